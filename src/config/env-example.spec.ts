import { readFileSync } from 'node:fs';
import { FEATURES, PREMIUM_FEATURES } from '../common/features/index.js';
import { envSchema } from './env.schema.js';

/** `.env.example` documents every variable the schema reads (env.schema.ts asks to keep them in step). */
const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
const lines = new Map([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

describe('.env.example', () => {
  it('lists exactly the variables of the configuration schema', () => {
    expect([...lines.keys()].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('has each premium feature setting, with the default of the feature registry', () => {
    for (const name of PREMIUM_FEATURES) {
      const { quota, model, flag } = FEATURES[name];
      expect([name, lines.get(quota.env), lines.get(model.env), lines.get(flag.env)]).toEqual([name, String(quota.default), '', String(flag.enabled)]);
    }
  });
});

import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { createRequire } from 'node:module';
import { LlmModule } from '../../src/llm/llm.module.js';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as { forbidden: { name: string }[]; options: Record<string, unknown> };

type Violation = { rule: string; from: string; to: string };

async function violations(paths: string[]): Promise<Violation[]> {
  const result: IReporterOutput = await cruise(paths, {
    ...config.options,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  } as never);
  if (typeof result.output === 'string') throw new Error(result.output);
  return result.output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const F = 'test/isolation/fixtures/src';
/** `to` is a fixture path, or a path from the project root (node_modules/, test/support/). */
const pair = (rule: string, from: string, to: string): Violation => ({ rule, from: `${F}/${from}`, to: /^(node_modules|test)\//.test(to) ? to : `${F}/${to}` });

/** Each fixture breaks the rule named beside it (and those only); every rule has at least one. */
const EXPECTED: Violation[] = [
  pair('core-allowed-imports', 'core/leaky.service.ts', 'llm/fake-llm.port.ts'),
  pair('core-allowed-imports', 'core/imports-main.ts', 'main.ts'),
  pair('llm-allowed-imports', 'llm/reaches-premium.ts', 'premium/index.ts'),
  pair('usage-allowed-imports', 'usage/reaches-llm.ts', 'llm/index.ts'),
  pair('premium-allowed-imports', 'premium/reaches-admin.ts', 'admin/index.ts'),
  pair('admin-allowed-imports', 'admin/reaches-llm-pricing.ts', 'llm/pricing/cost-calculator.ts'),
  pair('mcp-allowed-imports', 'mcp/reaches-llm.ts', 'llm/index.ts'),
  pair('flags-allowed-imports', 'flags/reaches-usage.ts', 'usage/index.ts'),
  pair('health-allowed-imports', 'health/reaches-llm.ts', 'llm/index.ts'),
  pair('database-allowed-imports', 'database/reaches-admin.ts', 'admin/index.ts'),
  pair('common-allowed-imports', 'common/errors/reaches-core.ts', 'core/index.ts'),
  pair('config-allowed-imports', 'config/reaches-common.ts', 'common/errors/index.ts'),
  pair('cross-module-through-index', 'premium/deep-import.ts', 'core/students/students.service.ts'),
  pair('cross-module-through-index', 'admin/deep-common.ts', 'common/errors/api.exception.ts'),
  pair('cross-module-through-index', 'admin/reaches-llm-pricing.ts', 'llm/pricing/cost-calculator.ts'),
  pair('cross-module-through-index', 'core/leaky.service.ts', 'llm/fake-llm.port.ts'),
  pair('entry-through-index', 'main.ts', 'core/students/students.service.ts'),
  pair('entry-files-only-wire', 'core/imports-main.ts', 'main.ts'),
  pair('only-listed-modules', 'reports/unlisted.ts', 'core/index.ts'),
  pair('money-is-pure', 'common/money/reaches-config.ts', 'config/index.ts'),
  pair('features-is-pure', 'common/features/reaches-config.ts', 'config/index.ts'),
  pair('core-no-llm-sdk', 'core/leaky.service.ts', 'node_modules/@anthropic-ai/sdk/index.d.ts'),
  pair('llm-sdks-only-in-adapters', 'core/leaky.service.ts', 'node_modules/@anthropic-ai/sdk/index.d.ts'),
  pair('llm-sdks-only-in-adapters', 'premium/uses-sdk.ts', 'node_modules/openai/index.d.ts'),
  pair('one-jwt-library', 'core/verifies-by-hand.ts', 'node_modules/jsonwebtoken/index.js'),
  pair('one-cache', 'premium/own-cache.ts', 'node_modules/lru-cache/dist/esm/node/index.d.ts'),
  pair('no-circular', 'flags/cycle-a.ts', 'flags/cycle-b.ts'),
  pair('no-test-code-in-src', 'core/uses-test-code.ts', 'test/support/database-server.ts'),
];

// A package resolves to wherever node_modules is (a linked one lies outside the project).
const key = (v: Violation) => `${v.rule}  ${v.from} -> ${v.to.replace(/^.*?node_modules\//, 'node_modules/')}`;

describe('the static boundary rules (dependency-cruiser)', () => {
  it('pass on the real source tree', async () => {
    expect(await violations(['src'])).toEqual([]);
  }, 60_000);

  it('each fire on the fixture that breaks them, and on nothing else there', async () => {
    const found = (await violations([F])).map(key).sort();
    expect(found).toEqual(EXPECTED.map(key).sort());
  }, 60_000);

  it('have a breaking fixture for every rule in .dependency-cruiser.cjs', () => {
    expect(new Set(EXPECTED.map((v) => v.rule))).toEqual(new Set(config.forbidden.map((r) => r.name)));
  });
});

describe('LlmModule', () => {
  // The behaviour (a provider outside LlmModule cannot get the client) is proved by booting
  // modules in runtime-isolation.e2e.spec.ts; this is the flag Nest reads to make a module global.
  it('is not registered as a global module', () => {
    expect(Reflect.getMetadata('__module:global__', LlmModule)).toBeUndefined();
  });
});

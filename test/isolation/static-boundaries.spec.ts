import { readFile } from 'node:fs/promises';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { createRequire } from 'node:module';
import { LlmModule } from '../../src/llm/llm.module.js';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };

async function violations(paths: string[]): Promise<{ rule: string; from: string; to: string }[]> {
  const result: IReporterOutput = await cruise(paths, {
    ...config.options,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  } as never);
  if (typeof result.output === 'string') throw new Error(result.output);
  return result.output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('the static boundary rule (dependency-cruiser)', () => {
  it('passes on the real source tree', async () => {
    expect(await violations(['src'])).toEqual([]);
  }, 60_000);

  it('fails on a Core file that imports from src/llm or an LLM SDK', async () => {
    const found = await violations(['test/isolation/fixtures/src']);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'core-stays-free', from: 'test/isolation/fixtures/src/core/leaky.service.ts' }),
        expect.objectContaining({ rule: 'core-no-llm-sdk', from: 'test/isolation/fixtures/src/core/leaky.service.ts' }),
      ]),
    );
  }, 60_000);
});

describe('LlmModule', () => {
  it('is not global, so only modules that import it can reach the LLM client', async () => {
    expect(Reflect.getMetadata('__module:global__', LlmModule)).toBeUndefined();
    const source = await readFile('src/llm/llm.module.ts', 'utf8');
    expect(source).not.toMatch(/@Global\(|global:\s*true/);
  });
});

import { spawn } from 'node:child_process';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { LlmGateway } from '../../src/llm/llm-gateway.service.js';
import { LlmError } from '../../src/llm/llm.errors.js';
import { FakeOpenAiServer } from '../fakes/fake-openai.server.js';
import { appOnFakeModel } from '../support/fake-model.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const Answer = z.object({ verdict: z.enum(['pass', 'fail']), reason: z.string() });

describe('the openai-compatible adapter (official openai package against a local server)', () => {
  let gateway: LlmGateway;

  const ctx = appOnFakeModel(
    () => FakeOpenAiServer.start(),
    (url) => ({
      LLM_BASE_URL: url,
      LLM_MODEL: 'llama-local',
      ANTHROPIC_TIMEOUT: '2',
      ANTHROPIC_MAX_RETRIES: '1',
      LLM_RETRY_BASE_MS: '5',
    }),
  );
  beforeAll(() => {
    gateway = ctx.t.app.get(LlmGateway);
  });

  const request = { feature: 'assessments' as const, system: ['Grade the answer.'], input: 'An answer', schema: Answer, maxTokens: 200 };

  it('is chosen by LLM_BASE_URL, sends a strict JSON schema, validates the answer and logs the call', async () => {
    expect(gateway.provider).toBe('openai-compatible');
    ctx.fake.enqueue({ status: 200, content: JSON.stringify({ verdict: 'pass', reason: 'covers it' }) });
    const result = await gateway.complete(request, { studentId: null, referenceId: 'sub-1' });
    expect(result).toMatchObject({ source: 'llm', provider: 'openai-compatible', model: 'llama-local', value: { verdict: 'pass' } });
    const sent = ctx.fake.requests.at(-1)!.body;
    expect(sent.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    expect(sent.response_format.json_schema.schema.properties.verdict.enum).toEqual(['pass', 'fail']);
    // The output limit as OpenAI's current parameter, never the deprecated max_tokens.
    expect(sent.max_completion_tokens).toBe(200);
    expect(sent).not.toHaveProperty('max_tokens');
    const [row] = await ctx.t.app.get(DataSource).query('SELECT * FROM llm_usage_logs WHERE call_id = $1', [result.callId]);
    // A local model with no LLM_PRICE_* is priced at $0 and flagged as such.
    expect(row).toMatchObject({ provider: 'openai-compatible', model: 'llama-local', outcome: 'success', cache_read_tokens: 8, price_source: 'local', cost_usd: '0.000000' });
  });

  it('honours finish_reason and refusal: a cut-off answer is truncated, a refusal is final', async () => {
    ctx.fake.enqueue({ status: 200, content: '{"verdict": "pa', finishReason: 'length' });
    expect(((await gateway.complete(request, { studentId: null }).catch((e: unknown) => e)) as LlmError).kind).toBe('truncated');
    ctx.fake.enqueue({ status: 200, content: '', refusal: 'I cannot help with that.' });
    const before = ctx.fake.requests.length;
    expect(((await gateway.complete(request, { studentId: null }).catch((e: unknown) => e)) as LlmError).kind).toBe('refused');
    expect(ctx.fake.requests.length).toBe(before + 1);
  });

  it('retries a 503 once and turns a non-JSON answer into bad_output', async () => {
    ctx.fake.enqueue({ status: 503, error: 'loading model' }, { status: 200, content: 'not json at all' });
    const error = (await gateway.complete(request, { studentId: null }).catch((e: unknown) => e)) as LlmError;
    expect(error).toBeInstanceOf(LlmError);
    expect(error.kind).toBe('bad_output');
    expect(ctx.fake.requests.slice(-2)).toHaveLength(2);
  });
});

describe('the openai-compatible adapter with configured prices', () => {
  let fake: FakeOpenAiServer;
  let t: TestApp;
  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    t = await startTestApp({ LLM_BASE_URL: fake.url, LLM_MODEL: 'gpt-hosted', LLM_PRICE_INPUT: '1.50', LLM_PRICE_OUTPUT: '6', LLM_MAX_TOKENS_PARAM: 'max_tokens' });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('prices at LLM_PRICE_* by hand and sends max_tokens where the server wants it', async () => {
    fake.enqueue({ status: 200, content: JSON.stringify({ verdict: 'fail', reason: 'too short' }) });
    const gateway = t.app.get(LlmGateway);
    const result = await gateway.complete(
      { feature: 'assessments', system: ['Grade the answer.'], input: 'An answer', schema: Answer, maxTokens: 200 },
      { studentId: null },
    );
    expect(fake.requests.at(-1)!.body.max_tokens).toBe(200);
    const [row] = await t.app.get(DataSource).query('SELECT * FROM llm_usage_logs WHERE call_id = $1', [result.callId]);
    // $1.50 per MTok input (uncached and, unset, cache reads at the input rate) and $6 output.
    const expected = ((row.tokens_input + row.cache_read_tokens) * 1.5 + row.tokens_output * 6) / 1_000_000;
    expect(row).toMatchObject({ price_source: 'configured', cost_usd: expected.toFixed(6) });
  });
});

describe('settings that cannot work together stop the built server at boot with one line', () => {
  const boot = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['dist/src/main.js'], {
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: 'postgres://127.0.0.1:9/none', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('an OpenAI-compatible server with no model name', async () => {
    const { code, stderr } = await boot({ LLM_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'Invalid configuration: LLM_BASE_URL is set but no model is named for adaptive_paths, assessments, tutor_questions and study_tools; ' +
        'set LLM_MODEL (or LLM_MODEL_ADAPTIVE_PATH, LLM_MODEL_ASSESSMENT, LLM_MODEL_TUTOR and LLM_MODEL_STUDY_TOOLS) to a model the server serves',
    );
  });

  it('a job timeout no grading fits in, and half a price', async () => {
    expect((await boot({ GRADING_JOB_TIMEOUT_SECONDS: '2' })).stderr.trim()).toMatch(/^Invalid configuration: GRADING_JOB_TIMEOUT_SECONDS=2 leaves 500 ms for grading/);
    expect((await boot({ LLM_PRICE_INPUT: '1' })).stderr.trim()).toBe(
      'Invalid configuration: LLM_PRICE_INPUT set without both LLM_PRICE_INPUT and LLM_PRICE_OUTPUT',
    );
  });
});

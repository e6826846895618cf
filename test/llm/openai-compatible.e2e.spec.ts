import { DataSource } from 'typeorm';
import { z } from 'zod';
import { LlmGateway } from '../../src/llm/llm-gateway.service.js';
import { LlmError } from '../../src/llm/llm.errors.js';
import { FakeOpenAiServer } from '../fakes/fake-openai.server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const Answer = z.object({ verdict: z.enum(['pass', 'fail']), reason: z.string() });

describe('the openai-compatible adapter (official openai package against a local server)', () => {
  let fake: FakeOpenAiServer;
  let t: TestApp;
  let gateway: LlmGateway;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    t = await startTestApp({
      LLM_BASE_URL: fake.url,
      LLM_MODEL_ASSESSMENT: 'llama-local',
      ANTHROPIC_TIMEOUT: '2',
      ANTHROPIC_MAX_RETRIES: '1',
      LLM_RETRY_BASE_MS: '5',
    });
    gateway = t.app.get(LlmGateway);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const request = { feature: 'assessments' as const, system: ['Grade the answer.'], input: 'An answer', schema: Answer, maxTokens: 200 };

  it('is chosen by LLM_BASE_URL, sends a strict JSON schema, validates the answer and logs the call', async () => {
    expect(gateway.provider).toBe('openai-compatible');
    fake.enqueue({ status: 200, content: JSON.stringify({ verdict: 'pass', reason: 'covers it' }) });
    const result = await gateway.complete(request, { studentId: null, referenceId: 'sub-1' });
    expect(result).toMatchObject({ source: 'llm', provider: 'openai-compatible', model: 'llama-local', value: { verdict: 'pass' } });
    const sent = fake.requests.at(-1)!.body;
    expect(sent.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    expect(sent.response_format.json_schema.schema.properties.verdict.enum).toEqual(['pass', 'fail']);
    const [row] = await t.app.get(DataSource).query('SELECT * FROM llm_usage_logs WHERE call_id = $1', [result.callId]);
    expect(row).toMatchObject({ provider: 'openai-compatible', model: 'llama-local', outcome: 'success', cache_read_tokens: 8, price_source: 'fallback' });
    // An unpriced model is never free.
    expect(Number(row.cost_usd)).toBeGreaterThan(0);
  });

  it('retries a 503 once and turns a non-JSON answer into bad_output', async () => {
    fake.enqueue({ status: 503, error: 'loading model' }, { status: 200, content: 'not json at all' });
    const error = (await gateway.complete(request, { studentId: null }).catch((e: unknown) => e)) as LlmError;
    expect(error).toBeInstanceOf(LlmError);
    expect(error.kind).toBe('bad_output');
    expect(fake.requests.slice(-2)).toHaveLength(2);
  });
});

import { DataSource } from 'typeorm';
import { z } from 'zod';
import { LlmGateway } from '../../src/llm/llm-gateway.service.js';
import type { LlmRequest } from '../../src/llm/llm-client.port.js';
import { LlmError } from '../../src/llm/llm.errors.js';
import { formatUsd } from '../../src/common/money/index.js';
import { computeCost } from '../../src/llm/pricing/cost-calculator.js';
import { asData, DATA_NOT_INSTRUCTIONS } from '../../src/llm/privacy.js';
import { UsageLogService } from '../../src/usage/usage-log.service.js';
import { FakeAnthropicServer } from '../fakes/fake-anthropic.server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const Plan = z.object({
  chapter_id: z.enum(['01-intro', '02-prompting']),
  steps: z.array(z.object({ action: z.enum(['review', 'start']), minutes: z.number().int().min(5).max(60) })).min(1),
  note: z.string(),
});
type Plan = z.infer<typeof Plan>;

const SYSTEM = [
  `You plan study sessions for a course. ${DATA_NOT_INSTRUCTIONS}`,
  'Catalog: 01-intro (Introduction), 02-prompting (Prompting). '.repeat(40),
];

function planRequest(overrides: Partial<LlmRequest<Plan>> = {}): LlmRequest<Plan> {
  return { feature: 'adaptive_paths', system: SYSTEM, input: asData('history', 'quiz 01-intro: 40%'), schema: Plan, maxTokens: 400, ...overrides };
}

type Row = {
  call_id: string;
  attempt: number;
  outcome: string;
  error_code: string | null;
  tokens_input: number;
  tokens_output: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: string;
  model: string;
  provider: string;
  feature: string;
  student_id: string | null;
  reference_id: string | null;
  request_id: string | null;
  provider_request_id: string | null;
  latency_ms: number;
};

const BASE_ENV = {
  ANTHROPIC_API_KEY: 'test-key',
  ANTHROPIC_TIMEOUT: '1',
  ANTHROPIC_MAX_RETRIES: '2',
  LLM_RETRY_BASE_MS: '10',
  LLM_CIRCUIT_FAILURES: '50',
};

describe('the LLM port against the fake Anthropic API (real SDK)', () => {
  let fake: FakeAnthropicServer;
  let t: TestApp;
  let gateway: LlmGateway;
  let studentId: string;

  const rows = async (callId: string): Promise<Row[]> =>
    t.app.get(DataSource).query('SELECT * FROM llm_usage_logs WHERE call_id = $1 ORDER BY attempt, created_at', [callId]);
  const rowsSince = async (since: Date): Promise<Row[]> =>
    t.app.get(DataSource).query('SELECT * FROM llm_usage_logs WHERE created_at >= $1 ORDER BY created_at, attempt', [since]);

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    t = await startTestApp({ ...BASE_ENV, ANTHROPIC_BASE_URL: fake.url });
    gateway = t.app.get(LlmGateway);
    const [row] = await t.app.get(DataSource).query(`SELECT student_id FROM students WHERE email = 'premium@test.com'`);
    studentId = row.student_id;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('returns a schema-valid object and logs one row whose cost matches the price list to the micro-dollar', async () => {
    const result = await gateway.complete(planRequest(), { studentId, referenceId: 'path-1', requestId: 'req-abc' });
    expect(Plan.parse(result.value)).toEqual(result.value);
    expect(result).toMatchObject({ source: 'llm', provider: 'anthropic', model: 'claude-sonnet-5-5', attempts: 1 });

    const [row, ...rest] = await rows(result.callId);
    expect(rest).toEqual([]);
    const expected = computeCost(
      'claude-sonnet-5-5',
      {
        inputTokens: row!.tokens_input,
        outputTokens: row!.tokens_output,
        cacheReadTokens: row!.cache_read_tokens,
        cacheWrite5mTokens: row!.cache_write_tokens,
        cacheWrite1hTokens: 0,
      },
      { at: new Date() },
    );
    expect(row).toMatchObject({
      outcome: 'success',
      attempt: 1,
      feature: 'adaptive_paths',
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      student_id: studentId,
      reference_id: 'path-1',
      request_id: 'req-abc',
      provider_request_id: expect.stringMatching(/^req_fake_/),
      cost_usd: formatUsd(expected.microUsd),
    });
    expect(row!.tokens_input + row!.cache_write_tokens + row!.cache_read_tokens).toBeGreaterThan(0);
    expect(row!.tokens_output).toBeGreaterThan(0);
    expect(expected.microUsd).toBe(result.usage.costMicroUsd);
  });

  it('sends only settings the model accepts: output_config.format and effort, no sampling, no forced tool, cached prefix', async () => {
    await gateway.complete(planRequest(), { studentId });
    const body = fake.requests.at(-1)!.body;
    expect(body.temperature).toBeUndefined();
    expect(body.top_p).toBeUndefined();
    expect(body.top_k).toBeUndefined();
    expect(body.tool_choice).toBeUndefined();
    expect(body.thinking).toBeUndefined();
    expect(body.output_config).toMatchObject({ effort: 'low', format: { type: 'json_schema', schema: expect.any(Object) } });
    expect(body.output_config.format.schema.properties.chapter_id.enum).toEqual(['01-intro', '02-prompting']);
    expect(body.system.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    expect(body.messages).toEqual([{ role: 'user', content: expect.stringContaining('<student_data') }]);
  });

  it('bills the cached prefix as a cache read on the next call', async () => {
    const first = await gateway.complete(planRequest({ system: [...SYSTEM, 'variant: caching'] }), { studentId });
    const second = await gateway.complete(planRequest({ system: [...SYSTEM, 'variant: caching'] }), { studentId });
    const [a] = await rows(first.callId);
    const [b] = await rows(second.callId);
    expect(a!.cache_write_tokens).toBeGreaterThan(0);
    expect(b!.cache_write_tokens).toBe(0);
    expect(b!.cache_read_tokens).toBe(a!.cache_write_tokens);
    expect(Number(b!.cost_usd)).toBeLessThan(Number(a!.cost_usd));
  });

  it('retries a 429 after its retry-after and logs both attempts', async () => {
    fake.enqueue({ kind: 'rate_limited', retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await gateway.complete(planRequest(), { studentId });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.attempts).toBe(2);
    expect((await rows(result.callId)).map((r) => [r.attempt, r.outcome, r.error_code])).toEqual([
      [1, 'error', 'rate_limited'],
      [2, 'success', null],
    ]);
  });

  it.each([
    [{ kind: 'server_error' } as const, 'server_error'],
    [{ kind: 'overloaded' } as const, 'overloaded'],
  ])('retries %j up to ANTHROPIC_MAX_RETRIES, then fails as %s with a row per attempt', async (mode, kind) => {
    fake.setDefault(mode);
    const since = new Date();
    const error = await gateway.complete(planRequest(), { studentId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe(kind);
    expect(fake.requests).toHaveLength(3);
    const logged = await rowsSince(since);
    expect(logged.map((r) => [r.attempt, r.outcome, r.error_code])).toEqual([
      [1, 'error', kind],
      [2, 'error', kind],
      [3, 'error', kind],
    ]);
    expect(logged.every((r) => r.cost_usd === '0.000000')).toBe(true);
  });

  it('does not retry an authentication failure', async () => {
    fake.setDefault({ kind: 'auth_error' });
    const since = new Date();
    const error = (await gateway.complete(planRequest(), { studentId }).catch((e: unknown) => e)) as LlmError;
    expect(error.kind).toBe('auth');
    expect(fake.requests).toHaveLength(1);
    expect((await rowsSince(since)).map((r) => r.error_code)).toEqual(['auth']);
  });

  it.each(['malformed_json', 'schema_violation'] as const)(
    'turns %s into bad_output, once, and still bills the tokens the model spent',
    async (kind) => {
      fake.setDefault({ kind });
      const since = new Date();
      const error = (await gateway.complete(planRequest(), { studentId }).catch((e: unknown) => e)) as LlmError;
      expect(error.kind).toBe('bad_output');
      expect(fake.requests).toHaveLength(1);
      const [row] = await rowsSince(since);
      expect(row).toMatchObject({ outcome: 'error', error_code: 'bad_output' });
      expect(row!.tokens_output).toBeGreaterThan(0);
      expect(Number(row!.cost_usd)).toBeGreaterThan(0);
    },
  );

  it('times a slow answer out per attempt, retries, and serves the fallback within the deadline', async () => {
    fake.setDefault({ kind: 'slow', delayMs: 5000 });
    const fallback: Plan = { chapter_id: '01-intro', steps: [{ action: 'review', minutes: 20 }], note: 'rules' };
    const started = Date.now();
    const result = await gateway.complete(planRequest({ fallback: () => fallback, deadlineMs: 2500 }), { studentId });
    const elapsed = Date.now() - started;
    expect(result.source).toBe('fallback');
    expect(result.value).toEqual(fallback);
    expect(result.error?.kind).toBe('timeout');
    expect(elapsed).toBeLessThan(3500);
    const logged = await rows(result.callId);
    expect(logged.filter((r) => r.outcome === 'timeout').length).toBeGreaterThanOrEqual(2);
    expect(logged.find((r) => r.outcome === 'fallback')).toMatchObject({ error_code: 'timeout', attempt: 0 });
  });

  it('never lets a student id into a prompt, and redacts contact details from student text', async () => {
    const error = (await gateway
      .complete(planRequest({ input: `student ${studentId} asks` }), { studentId })
      .catch((e: unknown) => e)) as LlmError;
    expect(error.kind).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);

    await gateway.complete(planRequest({ input: asData('answer', 'mail me at ada@example.com or +44 20 7946 0958') }), { studentId });
    const sent = JSON.stringify(fake.requests[0]!.body);
    expect(sent).not.toContain('ada@example.com');
    expect(sent).not.toContain('7946');
    expect(sent).not.toContain(studentId);
    expect(sent).toContain('[email]');
  });

  it('keeps serving when the usage log cannot be written, and counts the failure', async () => {
    const db = t.app.get(DataSource);
    const usage = t.app.get(UsageLogService);
    const before = usage.writeFailures;
    await db.query('ALTER TABLE llm_usage_logs RENAME TO llm_usage_logs_away');
    try {
      const result = await gateway.complete(planRequest(), { studentId });
      expect(result.source).toBe('llm');
      expect(usage.writeFailures).toBe(before + 1);
    } finally {
      await db.query('ALTER TABLE llm_usage_logs_away RENAME TO llm_usage_logs');
    }
  });
});

describe('circuit breaker and bulkhead', () => {
  let fake: FakeAnthropicServer;
  let t: TestApp;
  let gateway: LlmGateway;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    t = await startTestApp({
      ...BASE_ENV,
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURES: '3',
      LLM_CIRCUIT_HALF_OPEN_SECONDS: '1',
      LLM_MAX_CONCURRENCY: '1',
      LLM_MAX_QUEUE: '1',
    });
    gateway = t.app.get(LlmGateway);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('opens after consecutive failures, rejects without calling the model, and closes after a good trial call', async () => {
    fake.setDefault({ kind: 'overloaded' });
    for (let i = 0; i < 3; i++) {
      expect(((await gateway.complete(planRequest(), { studentId: null }).catch((e: unknown) => e)) as LlmError).kind).toBe('overloaded');
    }
    expect(gateway.stats().circuits['anthropic:claude-sonnet-5-5']).toBe('open');

    const calls = fake.requests.length;
    const since = new Date();
    const rejected = (await gateway.complete(planRequest(), { studentId: null }).catch((e: unknown) => e)) as LlmError;
    expect(rejected.kind).toBe('circuit_open');
    expect(fake.requests.length).toBe(calls);
    const [row] = await t.app.get(DataSource).query('SELECT outcome, error_code, attempt FROM llm_usage_logs WHERE created_at >= $1', [since]);
    expect(row).toEqual({ outcome: 'rejected', error_code: 'circuit_open', attempt: 0 });

    await new Promise((r) => setTimeout(r, 1100));
    fake.setDefault({ kind: 'ok' });
    expect((await gateway.complete(planRequest(), { studentId: null })).source).toBe('llm');
    expect(gateway.stats().circuits['anthropic:claude-sonnet-5-5']).toBe('closed');
  });

  it('lets LLM_MAX_CONCURRENCY calls run and LLM_MAX_QUEUE wait, and turns the rest away as busy', async () => {
    fake.setDefault({ kind: 'slow', delayMs: 300 });
    const outcomes = await Promise.allSettled([0, 1, 2, 3].map(() => gateway.complete(planRequest(), { studentId: null })));
    const busy = outcomes.filter((o) => o.status === 'rejected' && (o.reason as LlmError).kind === 'busy');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(busy).toHaveLength(2);
    expect((busy[0] as PromiseRejectedResult).reason.details.retryAfterMs).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(2);
  });
});

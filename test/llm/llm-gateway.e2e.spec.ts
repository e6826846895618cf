import { DataSource } from 'typeorm';
import { z } from 'zod';
import { LlmGateway } from '../../src/llm/llm-gateway.service.js';
import type { LlmRequest } from '../../src/llm/llm-client.port.js';
import { LlmError } from '../../src/llm/llm.errors.js';
import { asData, DATA_NOT_INSTRUCTIONS } from '../../src/llm/privacy.js';
import { UsageLogService } from '../../src/usage/usage-log.service.js';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { appOnFakeModel } from '../support/fake-model.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const Plan = z.object({
  chapter_id: z.enum(['01-intro', '02-prompting']),
  steps: z.array(z.object({ action: z.enum(['review', 'start']), minutes: z.number().int().min(5).max(60) })).min(1),
  note: z.string(),
});
type Plan = z.infer<typeof Plan>;

/** ~650 tokens with the schema: below Sonnet 5.5's minimum cacheable prefix of 1,024. */
const SYSTEM = [
  `You plan study sessions for a course. ${DATA_NOT_INSTRUCTIONS}`,
  'Catalog: 01-intro (Introduction), 02-prompting (Prompting). '.repeat(40),
];
/** Over 1,024 tokens: a prefix Sonnet 5.5 caches. */
const LONG_SYSTEM = [SYSTEM[0]!, 'Catalog: 01-intro (Introduction), 02-prompting (Prompting). '.repeat(90)];

/** Sonnet 5.5's published rates from 2026-10-07, in µ$ per token: $2 input, $10 output, $2.50 cache write (5 min), $0.10 cache read. */
const SONNET_55 = { input: 2, output: 10, write5m: 2.5, read: 0.1 };
const byHand = (r: { tokens_input: number; tokens_output: number; cache_write_tokens: number; cache_read_tokens: number }, multiplier = 1) =>
  (Math.round(
    (r.tokens_input * SONNET_55.input + r.tokens_output * SONNET_55.output + r.cache_write_tokens * SONNET_55.write5m + r.cache_read_tokens * SONNET_55.read) *
      multiplier *
      1000,
  ) /
    1000 /
    1_000_000).toFixed(6);

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
      cost_usd: byHand(row!),
    });
    expect(row!.tokens_input + row!.cache_write_tokens + row!.cache_read_tokens).toBeGreaterThan(0);
    expect(row!.tokens_output).toBeGreaterThan(0);
    expect((result.usage.costMicroUsd / 1_000_000).toFixed(6)).toBe(byHand(row!));
  });

  it('bills US-only inference at 1.1× and web searches at $10 per 1,000 on top', async () => {
    fake.reportUsage(() => ({ inference_geo: 'us', server_tool_use: { web_search_requests: 2, web_fetch_requests: 1 } }));
    const result = await gateway.complete(planRequest(), { studentId });
    const [row] = await rows(result.callId);
    const expected = (Number(byHand(row!, 1.1)) + 2 * 0.01).toFixed(6);
    expect(row!.cost_usd).toBe(expected);
  });

  it('never sends sampling parameters, and marks a prefix for caching only when the model can cache it', async () => {
    await gateway.complete(planRequest(), { studentId });
    const short = fake.requests.at(-1)!.body;
    expect(short.system.some((b: { cache_control?: unknown }) => b.cache_control)).toBe(false);
    await gateway.complete(planRequest({ system: LONG_SYSTEM }), { studentId });
    expect(fake.requests.at(-1)!.body.system.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    // Measured with the free token-counting endpoint, once per prefix.
    const counted = fake.tokenCountRequests;
    await gateway.complete(planRequest({ system: LONG_SYSTEM }), { studentId });
    expect(fake.tokenCountRequests).toBe(counted);
  });

  it('sizes max_tokens for adaptive thinking at the configured effort (low: +1,024)', async () => {
    await gateway.complete(planRequest({ maxTokens: 400 }), { studentId });
    expect(fake.requests.at(-1)!.body.max_tokens).toBe(400 + 1024);
  });

  it('treats a refusal as final: one call, billed, kind refused', async () => {
    fake.enqueue({ kind: 'refusal' });
    const since = new Date();
    const error = (await gateway.complete(planRequest(), { studentId }).catch((e: unknown) => e)) as LlmError;
    expect(error.kind).toBe('refused');
    expect(fake.requests).toHaveLength(1);
    const [row] = await rowsSince(since);
    expect(row).toMatchObject({ outcome: 'error', error_code: 'refused', cost_usd: byHand(row!) });
  });

  it('types a stop at the context window as truncated', async () => {
    fake.enqueue({ kind: 'context_window' });
    const error = (await gateway.complete(planRequest(), { studentId }).catch((e: unknown) => e)) as LlmError;
    expect([error.kind, error.details.stopReason]).toEqual(['truncated', 'model_context_window_exceeded']);
  });

  it('honours retry-after-ms over retry-after', async () => {
    fake.enqueue({ kind: 'rate_limited', retryAfterMs: 300, retryAfterSeconds: 30 });
    const started = Date.now();
    const result = await gateway.complete(planRequest(), { studentId });
    const elapsed = Date.now() - started;
    expect(result.attempts).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
  });

  it('honours a 30 s retry-after in full rather than cutting it to 10 s: past the deadline it gives up at once', async () => {
    fake.enqueue({ kind: 'rate_limited', retryAfterSeconds: 30 });
    const started = Date.now();
    const error = (await gateway.complete(planRequest({ deadlineMs: 15_000 }), { studentId }).catch((e: unknown) => e)) as LlmError;
    expect(error.kind).toBe('rate_limited');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry what the provider marks x-should-retry: false', async () => {
    fake.enqueue({ kind: 'server_error', shouldRetry: false });
    const error = (await gateway.complete(planRequest(), { studentId }).catch((e: unknown) => e)) as LlmError;
    expect(error.kind).toBe('server_error');
    expect(fake.requests).toHaveLength(1);
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
    expect(body.messages).toEqual([{ role: 'user', content: expect.stringContaining('<student_data') }]);
  });

  it('bills the cached prefix as a cache read on the next call', async () => {
    const first = await gateway.complete(planRequest({ system: [...LONG_SYSTEM, 'variant: caching'] }), { studentId });
    const second = await gateway.complete(planRequest({ system: [...LONG_SYSTEM, 'variant: caching'] }), { studentId });
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
  let gateway: LlmGateway;

  const ctx = appOnFakeModel(
    () => FakeAnthropicServer.start(),
    (url) => ({
      ...BASE_ENV,
      ANTHROPIC_BASE_URL: url,
      ANTHROPIC_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURES: '3',
      LLM_CIRCUIT_HALF_OPEN_SECONDS: '1',
      LLM_MAX_CONCURRENCY: '1',
      LLM_MAX_QUEUE: '1',
    }),
  );
  beforeAll(() => {
    gateway = ctx.t.app.get(LlmGateway);
  });
  beforeEach(() => ctx.fake.reset());

  it('opens after consecutive failures, rejects without calling the model, and closes after a good trial call', async () => {
    ctx.fake.setDefault({ kind: 'overloaded' });
    for (let i = 0; i < 3; i++) {
      expect(((await gateway.complete(planRequest(), { studentId: null }).catch((e: unknown) => e)) as LlmError).kind).toBe('overloaded');
    }
    expect(gateway.stats().circuits['anthropic:claude-sonnet-5-5']).toBe('open');

    const calls = ctx.fake.requests.length;
    const since = new Date();
    const rejected = (await gateway.complete(planRequest(), { studentId: null }).catch((e: unknown) => e)) as LlmError;
    expect(rejected.kind).toBe('circuit_open');
    expect(ctx.fake.requests.length).toBe(calls);
    const [row] = await ctx.t.app.get(DataSource).query('SELECT outcome, error_code, attempt FROM llm_usage_logs WHERE created_at >= $1', [since]);
    expect(row).toEqual({ outcome: 'rejected', error_code: 'circuit_open', attempt: 0 });

    await new Promise((r) => setTimeout(r, 1100));
    ctx.fake.setDefault({ kind: 'ok' });
    expect((await gateway.complete(planRequest(), { studentId: null })).source).toBe('llm');
    expect(gateway.stats().circuits['anthropic:claude-sonnet-5-5']).toBe('closed');
  });

  it('counts 429s apart: a burst of throttling never opens the circuit', async () => {
    ctx.fake.setDefault({ kind: 'rate_limited', retryAfterMs: 10 });
    for (let i = 0; i < 5; i++) {
      expect(((await gateway.complete(planRequest(), { studentId: null }).catch((e: unknown) => e)) as LlmError).kind).toBe('rate_limited');
    }
    expect(gateway.stats().circuits['anthropic:claude-sonnet-5-5']).toBe('closed');
    expect(gateway.stats().rateLimited).toBeGreaterThanOrEqual(5);
    ctx.fake.setDefault({ kind: 'ok' });
    expect((await gateway.complete(planRequest(), { studentId: null })).source).toBe('llm');
  });

  it('lets LLM_MAX_CONCURRENCY calls run and LLM_MAX_QUEUE wait, and turns the rest away as busy', async () => {
    ctx.fake.setDefault({ kind: 'slow', delayMs: 300 });
    const outcomes = await Promise.allSettled([0, 1, 2, 3].map(() => gateway.complete(planRequest(), { studentId: null })));
    const busy = outcomes.filter((o) => o.status === 'rejected' && (o.reason as LlmError).kind === 'busy');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(busy).toHaveLength(2);
    expect((busy[0] as PromiseRejectedResult).reason.details.retryAfterMs).toBeGreaterThan(0);
    expect(ctx.fake.requests).toHaveLength(2);
  });
});

describe('credentials the provider refuses', () => {
  let fake: FakeAnthropicServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start({ validApiKeys: ['the-right-key'] });
    t = await startTestApp({ ...BASE_ENV, ANTHROPIC_API_KEY: 'a-wrong-key', ANTHROPIC_BASE_URL: fake.url });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('are found at boot without spending tokens, reported by health, and the rules answer is served without calling', async () => {
    const gateway = t.app.get(LlmGateway);
    expect(gateway.stats().auth).toBe('invalid');
    // The boot check used the free models list: no message was sent, no token counted.
    expect(fake.requests).toHaveLength(0);
    expect(fake.tokenCountRequests).toBe(0);
    const health = await t.http.get('/api/v1/health').expect(200);
    expect(health.body.checks.llm).toMatchObject({ status: 'down', auth: 'invalid', provider: 'anthropic' });
    expect(health.body.status).toBe('degraded');

    const fallback: Plan = { chapter_id: '01-intro', steps: [{ action: 'review', minutes: 20 }], note: 'rules' };
    const result = await gateway.complete(planRequest({ fallback: () => fallback }), { studentId: null });
    expect(result).toMatchObject({ source: 'fallback', value: fallback, error: { kind: 'auth' } });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('a live 401', () => {
  const ctx = appOnFakeModel(() => FakeAnthropicServer.start(), (url) => ({ ...BASE_ENV, ANTHROPIC_BASE_URL: url }));

  it('is not retried, and marks the credentials invalid', async () => {
    const gateway = ctx.t.app.get(LlmGateway);
    expect(gateway.stats().auth).toBe('ok');
    ctx.fake.setDefault({ kind: 'auth_error' });
    const error = (await gateway.complete(planRequest(), { studentId: null }).catch((e: unknown) => e)) as LlmError;
    expect(error.kind).toBe('auth');
    expect(ctx.fake.requests).toHaveLength(1);
    expect(gateway.stats().auth).toBe('invalid');
  });
});

import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { z } from 'zod';
import {
  exampleFromSchema,
  FakeAnthropicServer,
  MALFORMED_JSON_TEXT,
  PLAIN_TEXT_REPLY,
  SCHEMA_VIOLATION_TEXT,
} from './index.js';

const MODEL = 'claude-sonnet-5-5';

const StudyPlan = z.object({
  chapter_id: z.enum(['01-intro', '02-prompting']),
  summary: z.string().min(12).max(200),
  steps: z
    .array(
      z.object({
        action: z.enum(['review', 'quiz', 'read']),
        minutes: z.number().int().min(5).max(60),
        resources: z.array(z.object({ title: z.string(), url: z.url() })).max(3),
      }),
    )
    .min(2)
    .max(5),
  reviewer: z.object({ email: z.email(), id: z.uuid() }).nullable(),
  due: z.iso.datetime(),
  confidence: z.number().gt(0).lt(1),
  tags: z.array(z.string().regex(/^[a-z]+$/)).min(1),
  note: z.string().optional(),
});

const ask = (content = 'Plan my week of study.') =>
  ({ model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content }] }) satisfies MessageCreateParamsNonStreaming;

/** The rejection of `promise`, which must be one of the SDK's API errors. */
async function apiError(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Anthropic.APIError);
  return error as APIError;
}

describe('FakeAnthropicServer driven by the real SDK', () => {
  let fake: FakeAnthropicServer;
  let client: Anthropic;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  /** Sends a body the SDK's types would refuse, as a caller with a wrong cast would. */
  const createRaw = (body: Record<string, unknown>) => client.messages.create(body as unknown as MessageCreateParamsNonStreaming);

  describe('structured output', () => {
    it('answers messages.parse with a value that passes the zod schema (enums, nested objects, arrays, bounds)', async () => {
      const message = await client.messages.parse({ ...ask(), output_config: { format: zodOutputFormat(StudyPlan) } });

      expect(StudyPlan.parse(message.parsed_output)).toEqual(message.parsed_output);
      expect(message.parsed_output).toEqual({
        chapter_id: '01-intro',
        summary: 'xxxxxxxxxxxx',
        steps: [
          { action: 'review', minutes: 5, resources: [{ title: 'example', url: 'https://example.com/' }] },
          { action: 'review', minutes: 5, resources: [{ title: 'example', url: 'https://example.com/' }] },
        ],
        reviewer: { email: 'student@example.com', id: '00000000-0000-4000-8000-000000000000' },
        due: '2026-11-02T09:30:00Z',
        confidence: 0.5,
        tags: ['example'],
        note: 'example',
      });
      expect(message).toMatchObject({
        id: expect.stringMatching(/^msg_fake_\d+$/),
        type: 'message',
        role: 'assistant',
        model: MODEL,
        stop_reason: 'end_turn',
        stop_sequence: null,
      });
      expect(message.content).toHaveLength(1);
      expect(message.content[0]).toMatchObject({ type: 'text', text: JSON.stringify(message.parsed_output) });
    });

    it('sends the schema as output_config.format and answers the same request the same way', async () => {
      const first = await client.messages.parse({ ...ask(), output_config: { format: zodOutputFormat(StudyPlan), effort: 'low' } });
      const second = await client.messages.parse({ ...ask(), output_config: { format: zodOutputFormat(StudyPlan), effort: 'low' } });
      expect(second.parsed_output).toEqual(first.parsed_output);

      const body = fake.requests[0]!.body;
      expect(body.output_config).toEqual({ effort: 'low', format: { type: 'json_schema', schema: expect.any(Object) } });
      expect(body.output_config.format.schema.properties.chapter_id.enum).toEqual(['01-intro', '02-prompting']);
    });

    it('uses the respondWith value for the requests it matches and generates the rest', async () => {
      const special = { chapter_id: '02-prompting' as const, score: 3 };
      const Answer = z.object({ chapter_id: z.enum(['01-intro', '02-prompting']), score: z.number().int() });
      fake.respondWith((body) => (JSON.stringify(body.messages).includes('special') ? special : undefined));

      const matched = await client.messages.parse({ ...ask('a special request'), output_config: { format: zodOutputFormat(Answer) } });
      const other = await client.messages.parse({ ...ask('an ordinary request'), output_config: { format: zodOutputFormat(Answer) } });
      expect(matched.parsed_output).toEqual(special);
      expect(other.parsed_output).toEqual({ chapter_id: '01-intro', score: 1 });
    });

    it('answers a raw JSON schema format with the value exampleFromSchema generates', async () => {
      const schema = {
        type: 'object',
        properties: { items: { type: 'array', items: { $ref: '#/$defs/item' }, minItems: 2 } },
        required: ['items'],
        additionalProperties: false,
        $defs: { item: { type: 'object', properties: { n: { type: 'integer', minimum: 3 } }, required: ['n'] } },
      };
      const message = await client.messages.create({ ...ask(), output_config: { format: { type: 'json_schema', schema } } });
      const block = message.content[0];
      expect(block?.type === 'text' && JSON.parse(block.text)).toEqual({ items: [{ n: 3 }, { n: 3 }] });
      expect(exampleFromSchema(schema)).toEqual({ items: [{ n: 3 }, { n: 3 }] });
    });

    it('answers plain text without a format, or the responder string', async () => {
      const plain = await client.messages.create(ask());
      expect(plain.content).toEqual([{ type: 'text', text: PLAIN_TEXT_REPLY, citations: null }]);

      fake.respondWith(() => 'Scripted reply');
      const scripted = await client.messages.create(ask());
      expect(scripted.content[0]).toMatchObject({ type: 'text', text: 'Scripted reply' });
    });

    it('cuts an answer longer than max_tokens and says so in stop_reason', async () => {
      const message = await client.messages.create({ ...ask(), max_tokens: 2 });
      expect(message.stop_reason).toBe('max_tokens');
      expect(message.content[0]).toMatchObject({ text: PLAIN_TEXT_REPLY.slice(0, 8) });
      expect(message.usage.output_tokens).toBe(2);
    });
  });

  describe('usage and prompt caching', () => {
    // The mechanics below use short prefixes, so this fake caches any marked prefix.
    let any: FakeAnthropicServer;
    let anyClient: Anthropic;
    beforeAll(async () => {
      any = await FakeAnthropicServer.start({ minCacheableTokens: () => 0 });
      anyClient = new Anthropic({ apiKey: 'test-key', baseURL: any.url, maxRetries: 0 });
    });
    afterAll(() => any.close());
    beforeEach(() => any.reset());

    it('caches only prefixes of at least the model\'s published minimum by default (Sonnet 5.5: 1,024; Haiku 5.5: 4,096)', async () => {
      const cached = (m: Anthropic.Message) => m.usage.cache_creation_input_tokens;
      const marked = (tokens: number) => [{ type: 'text' as const, text: 'A'.repeat(tokens * 4), cache_control: { type: 'ephemeral' as const } }];
      expect(cached(await client.messages.create({ ...ask(), system: marked(1023) }))).toBe(0);
      expect(cached(await client.messages.create({ ...ask(), system: marked(1024) }))).toBe(1024);
      expect(cached(await client.messages.create({ ...ask(), model: 'claude-haiku-5-5', system: marked(2048) }))).toBe(0);
      expect(cached(await client.messages.create({ ...ask(), model: 'claude-opus-5-5', system: marked(512) }))).toBe(512);
    });

    const system = (...blocks: Array<{ text: string; ttl?: '5m' | '1h' }>) =>
      blocks.map(({ text, ttl }) => ({
        type: 'text' as const,
        text,
        cache_control: ttl === '1h' ? { type: 'ephemeral' as const, ttl } : { type: 'ephemeral' as const },
      }));

    it('counts ceil(characters / 4) for input and output, with no cache fields when nothing is marked', async () => {
      const message = await client.messages.create({ ...ask('B'.repeat(41)), system: 'A'.repeat(100) });
      const text = (message.content[0] as Anthropic.TextBlock).text;
      expect(message.usage).toEqual({
        input_tokens: Math.ceil(141 / 4),
        output_tokens: Math.ceil(text.length / 4),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: 'standard',
        inference_geo: 'global',
        speed: 'standard',
      });
    });

    it('writes a cache_control prefix on first sight and reads it on the next request', async () => {
      const prefix = system({ text: 'A'.repeat(400) });
      const first = await anyClient.messages.create({ ...ask('B'.repeat(40)), system: prefix });
      const second = await anyClient.messages.create({ ...ask('C'.repeat(80)), system: prefix });

      expect(first.usage).toMatchObject({
        input_tokens: 10,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 0 },
      });
      expect(second.usage).toMatchObject({
        input_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 100,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      });
    });

    it('reads the longest cached prefix, writes the changed tail by its ttl, and treats another model as a miss', async () => {
      const longLived = { text: 'A'.repeat(400), ttl: '1h' as const };
      const first = await anyClient.messages.create({ ...ask(), system: system(longLived, { text: 'B'.repeat(200) }) });
      expect(first.usage.cache_creation).toEqual({ ephemeral_1h_input_tokens: 100, ephemeral_5m_input_tokens: 50 });

      const changedTail = await anyClient.messages.create({ ...ask(), system: system(longLived, { text: 'D'.repeat(80) }) });
      expect(changedTail.usage).toMatchObject({
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 20 },
      });

      const otherModel = await anyClient.messages.create({
        ...ask(),
        model: 'claude-haiku-5-5',
        system: system(longLived, { text: 'D'.repeat(80) }),
      });
      expect(otherModel.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 120 });
    });

    it('caches message content blocks too, and forgets everything on reset()', async () => {
      const messages = [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'E'.repeat(40), cache_control: { type: 'ephemeral' as const } },
            { type: 'text' as const, text: 'question' },
          ],
        },
      ];
      const first = await anyClient.messages.create({ ...ask(), messages });
      const second = await anyClient.messages.create({ ...ask(), messages });
      any.reset();
      const afterReset = await anyClient.messages.create({ ...ask(), messages });
      const usage = (m: Anthropic.Message) => [m.usage.cache_creation_input_tokens, m.usage.cache_read_input_tokens, m.usage.input_tokens];
      expect([first, second, afterReset].map(usage)).toEqual([
        [10, 0, 2],
        [0, 10, 2],
        [10, 0, 2],
      ]);
    });
  });

  describe('failure modes surface as the SDK typed errors', () => {
    it('rate_limited: RateLimitError 429 with retry-after and the Anthropic error body', async () => {
      fake.enqueue({ kind: 'rate_limited', retryAfterSeconds: 7 });
      const error = await apiError(client.messages.create(ask()));
      expect(error).toBeInstanceOf(Anthropic.RateLimitError);
      expect(error.status).toBe(429);
      expect(error.headers?.get('retry-after')).toBe('7');
      expect(error.type).toBe('rate_limit_error');
      expect(error.requestID).toMatch(/^req_fake_\d+$/);
      expect(error.error).toEqual({
        type: 'error',
        error: { type: 'rate_limit_error', message: expect.any(String) },
        request_id: error.requestID,
      });
    });

    it('server_error: InternalServerError 500', async () => {
      fake.enqueue({ kind: 'server_error' });
      const error = await apiError(client.messages.create(ask()));
      expect(error).toBeInstanceOf(Anthropic.InternalServerError);
      expect([error.status, error.type]).toEqual([500, 'api_error']);
    });

    it('overloaded: 529, an OverloadedError (a kind of InternalServerError)', async () => {
      fake.enqueue({ kind: 'overloaded' });
      const error = await apiError(client.messages.create(ask()));
      expect(error).toBeInstanceOf(Anthropic.OverloadedError);
      expect(error).toBeInstanceOf(Anthropic.InternalServerError);
      expect([error.status, error.type]).toEqual([529, 'overloaded_error']);
    });

    it('auth_error: AuthenticationError 401', async () => {
      fake.enqueue({ kind: 'auth_error' });
      const error = await apiError(client.messages.create(ask()));
      expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
      expect([error.status, error.type]).toEqual([401, 'authentication_error']);
    });

    it('malformed_json: 200 with a non-JSON text, which messages.parse rejects', async () => {
      fake.enqueue({ kind: 'malformed_json' }, { kind: 'malformed_json' });
      const raw = await client.messages.create({ ...ask(), output_config: { format: zodOutputFormat(StudyPlan) } });
      expect(raw.content[0]).toMatchObject({ type: 'text', text: MALFORMED_JSON_TEXT });
      expect(raw.usage.output_tokens).toBe(Math.ceil(MALFORMED_JSON_TEXT.length / 4));

      const parsed = client.messages.parse({ ...ask(), output_config: { format: zodOutputFormat(StudyPlan) } });
      await expect(parsed).rejects.toThrow(Anthropic.AnthropicError);
    });

    it('schema_violation: 200 with JSON that fails the schema, which messages.parse rejects', async () => {
      fake.enqueue({ kind: 'schema_violation' }, { kind: 'schema_violation' });
      const raw = await client.messages.create({ ...ask(), output_config: { format: zodOutputFormat(StudyPlan) } });
      expect(raw.content[0]).toMatchObject({ type: 'text', text: SCHEMA_VIOLATION_TEXT });

      const parsed = client.messages.parse({ ...ask(), output_config: { format: zodOutputFormat(StudyPlan) } });
      await expect(parsed).rejects.toThrow(/Failed to parse structured output/);
    });

    it('slow: answers ok after at least the delay', async () => {
      fake.enqueue({ kind: 'slow', delayMs: 300 });
      const started = Date.now();
      const message = await client.messages.create(ask());
      // Timers may fire a millisecond early against Date.now().
      expect(Date.now() - started).toBeGreaterThanOrEqual(298);
      expect(message.stop_reason).toBe('end_turn');
    });

    it('slow: a client timeout ends the wait and the next request is served at once', async () => {
      fake.enqueue({ kind: 'slow', delayMs: 10_000 });
      const error = await apiError(client.messages.create(ask(), { timeout: 100 }));
      expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
      const started = Date.now();
      await client.messages.create(ask());
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('plays queued modes in order, then the default; setDefault sticks until reset()', async () => {
      const status = (p: Promise<unknown>) =>
        p.then(
          () => 200,
          (e: unknown) => (e as APIError).status,
        );
      fake.enqueue({ kind: 'server_error' }, { kind: 'rate_limited', retryAfterSeconds: 1 });
      const queued = [];
      for (let i = 0; i < 3; i++) queued.push(await status(client.messages.create(ask())));
      expect(queued).toEqual([500, 429, 200]);

      fake.setDefault({ kind: 'overloaded' });
      expect([await status(client.messages.create(ask())), await status(client.messages.create(ask()))]).toEqual([529, 529]);
      fake.reset();
      expect(await status(client.messages.create(ask()))).toBe(200);
    });
  });

  describe('request validation like the 5.x models', () => {
    const tools = [{ name: 'grade', description: 'Grade an answer', input_schema: { type: 'object' as const, properties: {} } }];

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['temperature', { ...ask(), temperature: 0 }, /temperature/],
      ['top_p', { ...ask(), top_p: 0.9 }, /top_p/],
      ['top_k', { ...ask(), top_k: 5 }, /top_k/],
      ['a forced tool_choice (tool)', { ...ask(), tools, tool_choice: { type: 'tool', name: 'grade' } }, /tool_choice/],
      ['a forced tool_choice (any)', { ...ask(), tools, tool_choice: { type: 'any' } }, /tool_choice/],
      ['assistant prefill', { ...ask(), messages: [...ask().messages, { role: 'assistant', content: '{' }] }, /prefill/],
      ['thinking disabled', { ...ask(), thinking: { type: 'disabled' } }, /thinking/],
      ['a thinking budget', { ...ask(), thinking: { type: 'enabled', budget_tokens: 2048 } }, /budget_tokens/],
      ['no max_tokens', { model: MODEL, messages: ask().messages }, /max_tokens/],
      ['no messages', { ...ask(), messages: [] }, /messages/],
    ])('refuses %s with BadRequestError 400 invalid_request_error', async (_name, body, message) => {
      const error = await apiError(createRaw(body));
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect([error.status, error.type]).toEqual([400, 'invalid_request_error']);
      expect(error.apiMessage).toMatch(message);
    });

    it('answers an unknown model with NotFoundError 404', async () => {
      const error = await apiError(client.messages.create({ ...ask(), model: 'gpt-5' }));
      expect(error).toBeInstanceOf(Anthropic.NotFoundError);
      expect([error.status, error.type, error.apiMessage]).toEqual([404, 'not_found_error', 'model: gpt-5']);
    });

    it('accepts what the 5.x models do: auto tool choice, adaptive thinking, effort', async () => {
      const message = await client.messages.create({
        ...ask(),
        tools,
        tool_choice: { type: 'auto' },
        thinking: { type: 'adaptive' },
        output_config: { effort: 'high' },
      });
      expect(message.stop_reason).toBe('end_turn');
    });

    it('checks credentials and routes like the API', async () => {
      const noKey = await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: JSON.stringify(ask()) });
      expect(noKey.status).toBe(401);
      expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });

      const elsewhere = await fetch(`${fake.url}/v1/files`, { headers: { 'x-api-key': 'k', 'anthropic-version': '2026-10-21' } });
      expect(elsewhere.status).toBe(404);
      expect(fake.requests).toHaveLength(1);
    });

    it('requires a known anthropic-version', async () => {
      const send = (version?: string) =>
        fetch(`${fake.url}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': 'k', 'content-type': 'application/json', ...(version && { 'anthropic-version': version }) },
          body: JSON.stringify(ask()),
        });
      expect((await send()).status).toBe(400);
      expect(((await (await send('2099-01-01')).json()) as { error: { message: string } }).error.message).toBe('anthropic-version: 2099-01-01 is not a valid version');
      expect((await send('2026-10-21')).status).toBe(200);
      // The version the installed SDK sends.
      await client.messages.create(ask());
      expect(fake.requests.at(-1)!.headers['anthropic-version']).toBe('2026-10-21');
    });

    it('refuses sampling parameters on every model under 2026-10-21, as extra inputs', async () => {
      for (const model of ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-8', 'claude-sonnet-5-5']) {
        const error = await apiError(createRaw({ ...ask(), model, temperature: 0 }));
        expect([error.status, error.apiMessage]).toEqual([400, 'temperature: Extra inputs are not permitted']);
      }
    });

    it('takes prefill and thinking budgets on the 4.5 models only, effort from 4.6 on', async () => {
      const prefill = { ...ask(), messages: [...ask().messages, { role: 'assistant', content: '{' }] };
      expect((await createRaw({ ...prefill, model: 'claude-haiku-4-5' })).stop_reason).toBe('end_turn');
      expect((await apiError(createRaw({ ...prefill, model: 'claude-opus-4-6' }))).apiMessage).toMatch(/prefill/);
      expect((await apiError(createRaw({ ...ask(), model: 'claude-haiku-4-5', output_config: { effort: 'low' } }))).apiMessage).toMatch(/effort/);
      expect((await createRaw({ ...ask(), model: 'claude-sonnet-4-6', output_config: { effort: 'low' } })).stop_reason).toBe('end_turn');
      expect((await apiError(createRaw({ ...ask(), model: 'claude-sonnet-4-5', inference_geo: 'us' }))).apiMessage).toMatch(/inference_geo/);
    });

    it('allows max_tokens: 0 (nothing generated), rejects a negative one', async () => {
      const message = await client.messages.create({ ...ask(), max_tokens: 0 });
      expect([message.stop_reason, message.usage.output_tokens, message.content]).toEqual(['max_tokens', 0, []]);
      expect((await apiError(createRaw({ ...ask(), max_tokens: -1 }))).status).toBe(400);
    });
  });

  describe('what the API also answers', () => {
    it('413 past the request size limit', async () => {
      const small = await FakeAnthropicServer.start({ maxRequestBytes: 1000 });
      try {
        const c = new Anthropic({ apiKey: 'k', baseURL: small.url, maxRetries: 0 });
        const error = await apiError(c.messages.create(ask('x'.repeat(2000))));
        expect([error.status, error.type]).toEqual([413, 'request_too_large']);
      } finally {
        await small.close();
      }
    });

    it('refusals and context-window stops, billed like any answer', async () => {
      fake.enqueue({ kind: 'refusal' }, { kind: 'context_window' });
      const refused = await client.messages.create(ask());
      expect([refused.stop_reason, refused.content]).toEqual(['refusal', []]);
      expect(refused.usage.input_tokens).toBeGreaterThan(0);
      expect((await client.messages.create(ask())).stop_reason).toBe('model_context_window_exceeded');
    });

    it('rate-limit headers on every answer; retry-after-ms and x-should-retry on a 429', async () => {
      const ok = await client.messages.create(ask()).withResponse();
      expect(ok.response.headers.get('anthropic-ratelimit-requests-remaining')).toMatch(/^\d+$/);
      fake.enqueue({ kind: 'rate_limited', retryAfterMs: 1500, shouldRetry: false });
      const error = await apiError(client.messages.create(ask()));
      expect([error.headers?.get('retry-after-ms'), error.headers?.get('x-should-retry'), error.headers?.get('anthropic-ratelimit-requests-remaining')]).toEqual([
        '1500',
        'false',
        '0',
      ]);
    });

    it('the models list, and 401 for a key it does not know', async () => {
      const strict = await FakeAnthropicServer.start({ validApiKeys: ['good'] });
      try {
        const page = await new Anthropic({ apiKey: 'good', baseURL: strict.url, maxRetries: 0 }).models.list({ limit: 1 });
        expect(page.data.map((m) => m.id)).toContain('claude-sonnet-5-5');
        const error = await apiError(new Anthropic({ apiKey: 'bad', baseURL: strict.url, maxRetries: 0 }).models.list());
        expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
      } finally {
        await strict.close();
      }
    });

    it('Message Batches: create, retrieve until ended, results as JSONL at the batch service tier', async () => {
      const batch = await client.messages.batches.create({
        requests: [
          { custom_id: 'a', params: ask('first') },
          { custom_id: 'b', params: { ...ask('second'), temperature: 0 } as unknown as MessageCreateParamsNonStreaming },
        ],
      });
      expect(batch).toMatchObject({ type: 'message_batch', processing_status: 'ended' });
      const results: Anthropic.Messages.MessageBatchIndividualResponse[] = [];
      for await (const item of await client.messages.batches.results(batch.id)) results.push(item);
      expect(results.map((r) => [r.custom_id, r.result.type])).toEqual([
        ['a', 'succeeded'],
        ['b', 'errored'],
      ]);
      const first = results[0]!.result;
      expect(first.type === 'succeeded' && first.message.usage.service_tier).toBe('batch');
    });
  });

  describe('recording', () => {
    it('records every request, failed ones too, with headers, parsed body and time', async () => {
      const before = Date.now();
      await client.messages.create(ask('first'));
      await apiError(createRaw({ ...ask('second'), temperature: 1 }));
      fake.enqueue({ kind: 'server_error' });
      await apiError(client.messages.create(ask('third')));

      expect(fake.requests.map((r) => r.body.messages[0].content)).toEqual(['first', 'second', 'third']);
      const [first] = fake.requests;
      expect(first!.body).toEqual(ask('first'));
      // SDK 1.x sends the API key as a bearer token, not x-api-key.
      expect(first!.headers.authorization).toBe('Bearer test-key');
      expect(first!.headers['anthropic-version']).toEqual(expect.any(String));
      expect(first!.receivedAt).toBeGreaterThanOrEqual(before);
      expect(first!.receivedAt).toBeLessThanOrEqual(Date.now());
    });

    it('sends a request-id header that matches the message id', async () => {
      const { data, request_id } = await client.messages.create(ask()).withResponse();
      expect(request_id).toMatch(/^req_fake_\d+$/);
      expect(data.id).toBe(request_id?.replace('req_fake_', 'msg_fake_'));

      const message = await client.messages.create(ask());
      expect(message._request_id).toBe(message.id.replace('msg_fake_', 'req_fake_'));
    });
  });
});

describe('FakeAnthropicServer.close()', () => {
  it('returns promptly while a slow answer is pending, failing that request', async () => {
    const fake = await FakeAnthropicServer.start();
    const client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
    fake.setDefault({ kind: 'slow', delayMs: 30_000 });
    const pending = client.messages.create(ask()).then(
      () => undefined,
      (e: unknown) => e,
    );
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 10));

    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError);
  });
});

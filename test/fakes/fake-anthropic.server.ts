import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { API_VERSIONS, FAKE_MODELS, type FakeModelRules } from './fake-models.js';

/**
 * A stand-in for Anthropic's Messages API (`POST /v1/messages`, non-streaming) that the real SDK
 * talks to over HTTP, so no test mocks the SDK module. It enforces what API version 2026-10-21
 * enforces per model (fake-models.ts): the anthropic-version header, no sampling parameters on any
 * model, no prefill or effort where the model refuses them, the minimum cacheable prefix per
 * model, max_tokens from 0, a 413 past the request size limit. It answers structured output with a
 * value generated from the requested JSON schema, reports usage and prompt caching
 * deterministically, sends rate-limit headers, and fails on cue (429 with retry-after /
 * retry-after-ms / x-should-retry, 5xx, refusals, truncation). It also serves the models list and
 * the Message Batches endpoints.
 *
 *   const fake = await FakeAnthropicServer.start();
 *   const client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
 *
 * It also answers `POST /v1/messages/count_tokens`. Options (all optional; the defaults are the
 * behaviour above) make it closer to the real API for cost studies: a real tokenizer, a clock
 * for the cache's time to live, another minimum cacheable prefix, thinking tokens billed as
 * output (and counted against max_tokens), and the structured-output schema billed as input.
 */

export type FakeMode =
  | { kind: 'ok' }
  | { kind: 'rate_limited'; retryAfterSeconds?: number; retryAfterMs?: number; shouldRetry?: boolean }
  | { kind: 'server_error'; shouldRetry?: boolean }
  | { kind: 'refusal' }
  | { kind: 'context_window' }
  | { kind: 'overloaded' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'malformed_json' }
  | { kind: 'schema_violation' }
  | { kind: 'auth_error' };

export type RecordedRequest = { headers: Record<string, string | string[] | undefined>; body: any; receivedAt: number };

/** Returns the value to answer with, or `undefined` to let the next responder (or the schema generator) answer. */
export type FakeResponder = (body: any) => unknown;

export const MALFORMED_JSON_TEXT = 'Sure! Here is the plan: {not json';
export const SCHEMA_VIOLATION_TEXT = JSON.stringify({ unexpected: true });
export const PLAIN_TEXT_REPLY = 'This is a reply from the fake Anthropic API.';

type JsonObject = Record<string, unknown>;
type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'request_too_large'
  | 'api_error'
  | 'overloaded_error';
type Failure = { status: number; type: ErrorType; message: string; headers?: Record<string, string> };
type Ttl = '5m' | '1h';

const TTL_MS: Record<Ttl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** What every model counts: a character-based estimate, so tests can compute expected usage by hand. */
export const countTokens = (text: string): number => Math.ceil(text.length / 4);

export type FakeAnthropicOptions = {
  /** Counts the tokens of one text (input blocks, answer); default `countTokens`, ceil(characters / 4). */
  countTokens?: (text: string) => number;
  /** The clock the prompt cache reads for its time to live, in ms; default Date.now. */
  now?: () => number;
  /**
   * The shortest prefix, in tokens, that the cache stores for a model (a shorter marked prefix is
   * silently not cached). Default: each model's published minimum (fake-models.ts). Return
   * Infinity to turn prompt caching off, 0 to cache any marked prefix.
   */
  minCacheableTokens?: (model: string) => number;
  /**
   * Thinking tokens the model spends on this request before answering: billed as output and
   * counted against max_tokens, as adaptive thinking is. Default none.
   */
  thinkingTokens?: (body: any) => number;
  /** Bill the structured-output schema (output_config.format) as input, ahead of the system prompt. Default false. */
  countOutputFormat?: boolean;
  /** Only these keys are accepted (401 otherwise). Default: any key. */
  validApiKeys?: readonly string[];
  /** Usage fields to report beside the token counts (inference_geo, server_tool_use, speed, unknown ones…). */
  usage?: (body: any) => Record<string, unknown>;
  /** Request bodies above this many bytes answer 413, as the API does past 32 MB. */
  maxRequestBytes?: number;
  /** How long a message batch stays `in_progress` before it has ended; default 0. */
  batchProcessingMs?: number;
};

/** The Messages API's request size limit. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
export const RATE_LIMIT_REQUESTS = 4000;

type StoredBatch = {
  id: string;
  createdAt: number;
  results: Array<{ custom_id: string; result: JsonObject }>;
};

export class FakeAnthropicServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: FakeMode[] = [];
  private defaultMode: FakeMode = { kind: 'ok' };
  private responders: FakeResponder[] = [];
  private extraUsage?: (body: any) => Record<string, unknown>;
  private readonly cache: PromptCache;
  private readonly sockets = new Set<Socket>();
  /** Cancels the pending `slow` answers, so close() never waits on a timer. */
  private readonly pendingDelays = new Set<() => void>();
  private served = 0;
  private closed = false;
  /** How many `count_tokens` requests were answered. */
  tokenCountRequests = 0;
  /** Message batches created, in order. */
  readonly batches: StoredBatch[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeAnthropicOptions = {},
  ) {
    this.cache = new PromptCache(options);
  }

  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
    const holder: { fake?: FakeAnthropicServer } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeAnthropicServer(server, `http://127.0.0.1:${port}`, options);
    holder.fake = fake;
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    return fake;
  }

  /** Modes for the next requests, one per request, first in first out; then the default mode applies. */
  enqueue(...modes: FakeMode[]): void {
    this.queue.push(...modes);
  }

  setDefault(mode: FakeMode): void {
    this.defaultMode = mode;
  }

  /**
   * Answers successful requests with the responder's value (sent as the structured-output JSON, or
   * as the text itself when the request asks for no format and the value is a string) instead of
   * a generated one. Stays until reset(); the latest responder is asked first, and one returning
   * `undefined` passes the request on.
   */
  respondWith(responder: FakeResponder): void {
    this.responders.push(responder);
  }

  /** Usage fields to report beside the token counts from now on (until reset), over the `usage` option. */
  reportUsage(extra: (body: any) => Record<string, unknown>): void {
    this.extraUsage = extra;
  }

  /** Back to a fresh server: no recorded requests, queued modes, responders or cached prompts; default `ok`. */
  reset(): void {
    this.extraUsage = undefined;
    this.requests.length = 0;
    this.queue.length = 0;
    this.defaultMode = { kind: 'ok' };
    this.responders = [];
    this.cache.clear();
    this.batches.length = 0;
    this.tokenCountRequests = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.pendingDelays) cancel();
    // Keep-alive sockets would hold server.close() (and jest) open.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = ++this.served;
    const requestId = `req_fake_${n}`;
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        chunks.push(chunk as Buffer);
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const early = checkCredentials(req, this.options.validApiKeys) ?? checkVersion(req);
      if (size > (this.options.maxRequestBytes ?? MAX_REQUEST_BYTES)) {
        sendError(res, requestId, { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes' });
        return;
      }
      if (req.method === 'GET' && path === '/v1/models') {
        if (early) sendError(res, requestId, early);
        else send(res, 200, requestId, modelsPage());
        return;
      }
      if (path.startsWith('/v1/messages/batches')) {
        if (early) sendError(res, requestId, early);
        else this.batchRoute(req.method ?? 'GET', path, raw, res, requestId);
        return;
      }
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
        this.countTokensOf(req, res, requestId, raw);
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/messages') {
        const message = `The fake serves POST /v1/messages, not ${req.method} ${path}`;
        sendError(res, requestId, { status: 404, type: 'not_found_error', message });
        return;
      }
      const body = parseJson(raw);
      this.requests.push({ headers: { ...req.headers }, body: body ?? raw, receivedAt: Date.now() });
      const mode = this.queue.shift() ?? this.defaultMode;

      const failure =
        (isObject(body) ? undefined : invalid('The request body is not a JSON object')) ??
        early ??
        failureFor(mode) ??
        validate(body as JsonObject, versionOf(req));
      if (failure) {
        sendError(res, requestId, failure);
        return;
      }
      if (mode.kind === 'slow' && !(await this.delay(mode.delayMs, res))) return;
      send(res, 200, requestId, this.message(n, mode, body as JsonObject));
    } catch (error) {
      // A bug in the fake (or a throwing responder) must fail the test, not hang it.
      sendError(res, requestId, { status: 500, type: 'api_error', message: `Fake Anthropic server failed: ${String(error)}` });
    }
  }

  /** The Message Batches endpoints: create, retrieve, results (JSONL). Each request is checked and answered like a message. */
  private batchRoute(method: string, path: string, raw: string, res: ServerResponse, requestId: string): void {
    if (method === 'POST' && path === '/v1/messages/batches') {
      const body = parseJson(raw);
      const requests = isObject(body) && Array.isArray(body.requests) ? (body.requests as unknown[]) : undefined;
      if (!requests || requests.length === 0) {
        sendError(res, requestId, invalid('requests: at least one request is required'));
        return;
      }
      const ids = new Set<string>();
      for (const item of requests) {
        const id = asObject(item).custom_id;
        if (typeof id !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(id) || ids.has(id)) {
          sendError(res, requestId, invalid('requests: each custom_id must be unique and match ^[a-zA-Z0-9_-]{1,64}$'));
          return;
        }
        ids.add(id);
        const params = asObject(asObject(item).params);
        if (params.stream === true) {
          sendError(res, requestId, invalid('requests: stream is not supported in batches'));
          return;
        }
      }
      const batch: StoredBatch = { id: `msgbatch_fake_${this.batches.length + 1}`, createdAt: Date.now(), results: [] };
      for (const item of requests) {
        const { custom_id, params } = asObject(item) as { custom_id: string; params: unknown };
        const n = ++this.served;
        this.requests.push({ headers: {}, body: params, receivedAt: Date.now() });
        const mode = this.queue.shift() ?? this.defaultMode;
        const failure = (isObject(params) ? undefined : invalid('params: must be an object')) ?? failureFor(mode) ?? validate(params as JsonObject, '2026-10-21');
        const result = failure
          ? { type: 'errored', error: { type: 'error', error: { type: failure.type, message: failure.message } } }
          : { type: 'succeeded', message: this.message(n, mode, params as JsonObject, 'batch') };
        batch.results.push({ custom_id, result });
      }
      this.batches.push(batch);
      send(res, 200, requestId, this.batchObject(batch));
      return;
    }
    const m = /^\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(path);
    const batch = m ? this.batches.find((b) => b.id === m[1]) : undefined;
    if (!batch || method !== 'GET') {
      sendError(res, requestId, { status: 404, type: 'not_found_error', message: `batch: ${m?.[1] ?? path}` });
      return;
    }
    if (!m![2]) {
      send(res, 200, requestId, this.batchObject(batch));
      return;
    }
    if (!this.batchEnded(batch)) {
      sendError(res, requestId, invalid(`batch ${batch.id} is still in progress`));
      return;
    }
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(200, { 'content-type': 'application/binary', 'request-id': requestId });
    res.end(batch.results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  private batchEnded(batch: StoredBatch): boolean {
    return Date.now() - batch.createdAt >= (this.options.batchProcessingMs ?? 0);
  }

  private batchObject(batch: StoredBatch): JsonObject {
    const ended = this.batchEnded(batch);
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const r of batch.results) {
      if (!ended) counts.processing++;
      else if (r.result.type === 'succeeded') counts.succeeded++;
      else counts.errored++;
    }
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : 'in_progress',
      request_counts: counts,
      created_at: new Date(batch.createdAt).toISOString(),
      ended_at: ended ? new Date(batch.createdAt + (this.options.batchProcessingMs ?? 0)).toISOString() : null,
      expires_at: new Date(batch.createdAt + 24 * 3600_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${this.url}/v1/messages/batches/${batch.id}/results` : null,
    };
  }

  /** `POST /v1/messages/count_tokens`: the prompt's input tokens, counted as the usage of a message would be. */
  private countTokensOf(req: IncomingMessage, res: ServerResponse, requestId: string, raw: string): void {
    const body = parseJson(raw);
    const failure =
      (isObject(body) ? undefined : invalid('The request body is not a JSON object')) ??
      checkCredentials(req, this.options.validApiKeys) ??
      checkVersion(req) ??
      (typeof (body as JsonObject).model === 'string' && (body as JsonObject).model !== ''
        ? undefined
        : invalid('model: Field required')) ??
      (Array.isArray((body as JsonObject).messages) && ((body as JsonObject).messages as unknown[]).length > 0
        ? undefined
        : invalid('messages: at least one message is required'));
    if (failure) {
      sendError(res, requestId, failure);
      return;
    }
    this.tokenCountRequests++;
    const segments = promptSegments(body as JsonObject, this.options.countOutputFormat === true);
    send(res, 200, requestId, { input_tokens: this.cache.totalTokens(segments) });
  }

  /** Resolves true after `ms`, or false as soon as the client hangs up or the fake closes. */
  private delay(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (elapsed: boolean) => {
        clearTimeout(timer);
        res.off('close', onClose);
        this.pendingDelays.delete(cancel);
        resolve(elapsed);
      };
      const onClose = () => finish(false);
      const cancel = () => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      res.once('close', onClose);
      this.pendingDelays.add(cancel);
    });
  }

  private message(n: number, mode: FakeMode, body: JsonObject, tier: 'standard' | 'batch' = 'standard'): JsonObject {
    const model = String(body.model);
    const rules = FAKE_MODELS[model];
    const input = this.cache.inputUsage(model, promptSegments(body, this.options.countOutputFormat === true));
    let text = this.answerText(mode, body);
    let stopReason = 'end_turn';
    const maxTokens = body.max_tokens as number;
    // Adaptive thinking comes first and counts against max_tokens, like the real API.
    const thinking = Math.min(maxTokens, Math.max(0, Math.floor(this.options.thinkingTokens?.(body) ?? 0)));
    const room = maxTokens - thinking;
    const count = this.options.countTokens ?? countTokens;
    if (mode.kind === 'refusal') {
      text = '';
      stopReason = 'refusal';
    } else if (mode.kind === 'context_window') {
      text = text.slice(0, Math.max(0, Math.floor(text.length / 2)));
      stopReason = 'model_context_window_exceeded';
    } else if (count(text) > room) {
      // Like the real API: an answer longer than max_tokens is cut off, not an error.
      text = this.options.countTokens ? cutToTokens(text, room, count) : text.slice(0, room * 4);
      stopReason = 'max_tokens';
    }
    const thinkingBlocks = thinking > 0 ? [{ type: 'thinking', thinking: '', signature: `fake_signature_${n}` }] : [];
    const outputTokens = maxTokens === 0 ? 0 : thinking > 0 ? thinking + count(text) : Math.max(1, count(text));
    return {
      id: `msg_fake_${n}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [...thinkingBlocks, ...(text || stopReason === 'end_turn' ? [{ type: 'text', text, citations: null }] : [])],
      stop_reason: stopReason,
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage: {
        input_tokens: input.uncached,
        cache_creation_input_tokens: input.creation5m + input.creation1h,
        cache_read_input_tokens: input.read,
        cache_creation: { ephemeral_5m_input_tokens: input.creation5m, ephemeral_1h_input_tokens: input.creation1h },
        output_tokens: outputTokens,
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: tier,
        // Reported by the models that take inference_geo; older ones say nothing.
        inference_geo: rules?.inferenceGeo ? (typeof body.inference_geo === 'string' ? body.inference_geo : 'global') : null,
        speed: typeof body.speed === 'string' ? body.speed : 'standard',
        ...this.options.usage?.(body),
        ...this.extraUsage?.(body),
      },
    };
  }

  private answerText(mode: FakeMode, body: JsonObject): string {
    if (mode.kind === 'malformed_json') return MALFORMED_JSON_TEXT;
    if (mode.kind === 'schema_violation') return SCHEMA_VIOLATION_TEXT;
    const schema = requestedSchema(body);
    for (const responder of [...this.responders].reverse()) {
      const value = responder(body);
      if (value === undefined) continue;
      return schema === undefined && typeof value === 'string' ? value : JSON.stringify(value);
    }
    return schema === undefined ? PLAIN_TEXT_REPLY : JSON.stringify(exampleFromSchema(schema));
  }
}

// --- HTTP --------------------------------------------------------------------------------------

function send(res: ServerResponse, status: number, requestId: string, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const limits = {
    'anthropic-ratelimit-requests-limit': String(RATE_LIMIT_REQUESTS),
    'anthropic-ratelimit-requests-remaining': String(status === 429 ? 0 : RATE_LIMIT_REQUESTS - 1),
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60_000).toISOString(),
  };
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...limits, ...headers }).end(JSON.stringify(payload));
}

function sendError(res: ServerResponse, requestId: string, failure: Failure): void {
  const payload = { type: 'error', error: { type: failure.type, message: failure.message }, request_id: requestId };
  send(res, failure.status, requestId, payload, failure.headers);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

// --- Validation --------------------------------------------------------------------------------

const invalid = (message: string): Failure => ({ status: 400, type: 'invalid_request_error', message });

function checkCredentials(req: IncomingMessage, validKeys?: readonly string[]): Failure | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const key = (req.headers['x-api-key'] as string | undefined) ?? bearer;
  if (!key) return { status: 401, type: 'authentication_error', message: 'x-api-key or Authorization header is required' };
  if (validKeys && !validKeys.includes(key)) return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
  return undefined;
}

function versionOf(req: IncomingMessage): string {
  return String(req.headers['anthropic-version'] ?? '');
}

function checkVersion(req: IncomingMessage): Failure | undefined {
  const version = versionOf(req);
  if (!version) return invalid('anthropic-version: header is required');
  if (!(API_VERSIONS as readonly string[]).includes(version)) return invalid(`anthropic-version: ${version} is not a valid version`);
  return undefined;
}

function modelsPage(): JsonObject {
  const data = Object.keys(FAKE_MODELS).map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** Scripted failures win over validation, the way a gateway answers before the model sees the body. */
function failureFor(mode: FakeMode): Failure | undefined {
  switch (mode.kind) {
    case 'rate_limited':
      return {
        status: 429,
        type: 'rate_limit_error',
        message: 'Number of request tokens has exceeded your per-minute rate limit (fake)',
        headers: {
          ...(mode.retryAfterSeconds !== undefined && { 'retry-after': String(mode.retryAfterSeconds) }),
          ...(mode.retryAfterMs !== undefined && { 'retry-after-ms': String(mode.retryAfterMs) }),
          'x-should-retry': String(mode.shouldRetry ?? true),
        },
      };
    case 'server_error':
      return {
        status: 500,
        type: 'api_error',
        message: 'Internal server error (fake)',
        headers: { 'x-should-retry': String(mode.shouldRetry ?? true) },
      };
    case 'overloaded':
      return { status: 529, type: 'overloaded_error', message: 'Overloaded (fake)' };
    case 'auth_error':
      return { status: 401, type: 'authentication_error', message: 'invalid x-api-key (fake)' };
    default:
      return undefined;
  }
}

/** What the model accepts under the request's API version (rules per model in fake-models.ts). */
function validate(body: JsonObject, version: string): Failure | undefined {
  const model = body.model;
  if (typeof model !== 'string' || model === '') return invalid('model: Field required');
  if (body.max_tokens === undefined) return invalid('max_tokens: Field required');
  // From 2026-10-21, max_tokens: 0 is allowed (a cache warm-up that generates nothing).
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 0) {
    return invalid('max_tokens: Input should be a non-negative integer');
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid('messages: at least one message is required');
  if (body.stream === true) return invalid('stream: the fake Anthropic server answers non-streaming requests only');
  const rules: FakeModelRules | undefined = FAKE_MODELS[model];
  if (!rules) return { status: 404, type: 'not_found_error', message: `model: ${model}` };

  if (version === '2026-10-21') {
    for (const name of ['temperature', 'top_p', 'top_k']) {
      if (name in body) return invalid(`${name}: Extra inputs are not permitted`);
    }
  }
  const toolChoice = asObject(body.tool_choice);
  if (!rules.prefill && (toolChoice.type === 'tool' || toolChoice.type === 'any')) {
    return invalid(
      `tool_choice: forcing tool use (type "${String(toolChoice.type)}") is not supported by ${model}; ` +
        'use "auto" or "none", or output_config.format for structured output',
    );
  }
  if (!rules.prefill && asObject(messages.at(-1)).role === 'assistant') {
    return invalid(`messages: ${model} does not support assistant message prefill; the conversation must end with a user message`);
  }
  if (body.thinking !== undefined) {
    const thinking = asObject(body.thinking);
    if (thinking.type === 'disabled' && !rules.thinkingDisabled) {
      return invalid(`thinking.type: "disabled" is not supported by ${model}; it thinks adaptively, lower output_config.effort instead`);
    }
    if ('budget_tokens' in thinking && !rules.thinkingBudget) {
      return invalid(
        `thinking.budget_tokens: thinking budgets are not supported by ${model}; ` +
          'use thinking: {type: "adaptive"} and output_config.effort',
      );
    }
  }
  const outputConfig = asObject(body.output_config);
  if (outputConfig.effort !== undefined && outputConfig.effort !== null && !rules.effort) {
    return invalid(`output_config.effort: effort is not supported by ${model}`);
  }
  if (body.inference_geo !== undefined && !rules.inferenceGeo) {
    return invalid(`inference_geo: not supported by ${model}`);
  }
  const format = outputConfig.format;
  if (format !== undefined && format !== null) {
    const f = asObject(format);
    if (f.type !== 'json_schema' || !isObject(f.schema)) {
      return invalid('output_config.format: expected {type: "json_schema", schema: {...}}');
    }
  }
  return undefined;
}

function requestedSchema(body: JsonObject): JsonObject | undefined {
  const format = asObject(asObject(body.output_config).format);
  return format.type === 'json_schema' && isObject(format.schema) ? format.schema : undefined;
}

// --- Usage and prompt caching ------------------------------------------------------------------

/** One block of the prompt in order (system, then each message's content); `ttl` marks a cache breakpoint. */
type Segment = { role: string; text: string; ttl?: Ttl };

function promptSegments(body: JsonObject, withOutputFormat = false): Segment[] {
  const segments: Segment[] = [];
  // The schema is compiled into the request ahead of the system prompt: part of every cached prefix.
  const schema = withOutputFormat ? requestedSchema(body) : undefined;
  if (schema) segments.push({ role: 'output_format', text: JSON.stringify(schema) });
  const add = (role: string, content: unknown) => {
    if (typeof content === 'string') {
      segments.push({ role, text: content });
      return;
    }
    if (!Array.isArray(content)) return;
    for (const item of content) {
      const block = asObject(item);
      const { cache_control, ...rest } = block;
      const text = block.type === 'text' && typeof block.text === 'string' ? block.text : JSON.stringify(rest);
      const ttl = ttlOf(cache_control);
      segments.push(ttl ? { role, text, ttl } : { role, text });
    }
  };
  add('system', body.system);
  for (const message of body.messages as unknown[]) add(String(asObject(message).role), asObject(message).content);
  // A top-level cache_control caches the whole prompt (automatic caching).
  const automatic = ttlOf(body.cache_control);
  const last = segments.at(-1);
  if (automatic && last && !last.ttl) last.ttl = automatic;
  return segments;
}

function ttlOf(cacheControl: unknown): Ttl | undefined {
  const control = asObject(cacheControl);
  if (control.type !== 'ephemeral') return undefined;
  return control.ttl === '1h' ? '1h' : '5m';
}

type InputUsage = { uncached: number; read: number; creation5m: number; creation1h: number };

/** Cached prompt prefixes by hash, per model like the real cache, with their time to live. */
class PromptCache {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly options: Pick<FakeAnthropicOptions, 'countTokens' | 'now' | 'minCacheableTokens'> = {}) {}

  clear(): void {
    this.expiries.clear();
  }

  /** Tokens through each segment: on cumulative characters by default, else the sum of each segment's count. */
  private cumulativeTokens(segments: Segment[]): number[] {
    const count = this.options.countTokens;
    const out: number[] = [];
    let total = 0;
    for (const segment of segments) {
      total += count ? count(segment.text) : segment.text.length;
      out.push(total);
    }
    return count ? out : out.map((chars) => Math.ceil(chars / 4));
  }

  totalTokens(segments: Segment[]): number {
    return this.cumulativeTokens(segments).at(-1) ?? 0;
  }

  /**
   * The longest cached prefix ending at a breakpoint is read; the prompt up to each later
   * breakpoint is written (billed by that breakpoint's ttl); the rest is plain input.
   */
  inputUsage(model: string, segments: Segment[]): InputUsage {
    // Counted on cumulative totals, so the parts add up to exactly the whole prompt's count.
    const cumulative = this.cumulativeTokens(segments);
    const tokensThrough = (index: number): number => (index < 0 ? 0 : (cumulative[index] ?? 0));
    // A marked prefix shorter than the model's minimum is not cached at all (no error, as the API does).
    const minimum = this.options.minCacheableTokens?.(model) ?? FAKE_MODELS[model]?.minCacheableTokens ?? Infinity;
    const breakpoints = segments.flatMap(({ ttl }, index) =>
      ttl && tokensThrough(index) >= minimum ? [{ index, ttl, key: prefixKey(model, segments, index) }] : [],
    );

    const now = this.options.now?.() ?? Date.now();
    let readEnd = -1;
    for (const point of breakpoints) if ((this.expiries.get(point.key) ?? 0) > now) readEnd = point.index;

    const usage: InputUsage = { uncached: 0, read: tokensThrough(readEnd), creation5m: 0, creation1h: 0 };
    let written = readEnd;
    for (const point of breakpoints) {
      // Stores new prefixes and refreshes the lifetime of hit ones, as the real cache does.
      this.expiries.set(point.key, Math.max(this.expiries.get(point.key) ?? 0, now + TTL_MS[point.ttl]));
      if (point.index <= readEnd) continue;
      const tokens = tokensThrough(point.index) - tokensThrough(written);
      if (point.ttl === '1h') usage.creation1h += tokens;
      else usage.creation5m += tokens;
      written = point.index;
    }
    usage.uncached = tokensThrough(segments.length - 1) - usage.read - usage.creation5m - usage.creation1h;
    return usage;
  }
}

/** The longest start of `text` that counts at most `tokens`. */
function cutToTokens(text: string, tokens: number, count: (text: string) => number): string {
  if (tokens <= 0) return '';
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (count(text.slice(0, mid)) <= tokens) low = mid;
    else high = mid - 1;
  }
  return text.slice(0, low);
}

function prefixKey(model: string, segments: Segment[], end: number): string {
  const prefix = segments.slice(0, end + 1).map((s) => [s.role, s.text]);
  return createHash('sha256').update(JSON.stringify([model, prefix])).digest('hex');
}

// --- Values from a JSON schema -----------------------------------------------------------------

const MAX_DEPTH = 8;

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '2026-11-02T09:30:00Z',
  date: '2026-11-02',
  time: '09:30:00',
  duration: 'P1D',
  email: 'student@example.com',
  hostname: 'example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** Tried in order against a `pattern` the generator cannot invert. */
const PATTERN_CANDIDATES = ['example', 'abc', 'a', 'A', 'Example', 'EXAMPLE', '0', '1', '123', 'example-1', 'example_1', 'a1'];

/**
 * A deterministic value that satisfies `schema`: the first enum value or anyOf/oneOf variant, the
 * smallest allowed count of array items (at least one), every declared property, numbers as close
 * to 1 as the bounds allow. Also reads back the constraints the SDK's zod helper moves into
 * descriptions, so the value passes the original zod schema on the client.
 */
export function exampleFromSchema(root: JsonObject): unknown {
  const generate = (node: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH * 4) throw new Error('JSON schema is too deeply nested or recursive to generate a value');
    const schema = resolve(root, node);
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
    if (variants && variants.length > 0) {
      // Past the depth limit a null variant ends a recursive structure.
      const nullVariant = variants.find((v) => resolve(root, v).type === 'null');
      return generate(depth >= MAX_DEPTH && nullVariant ? nullVariant : variants[0], depth + 1);
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      const { allOf, ...rest } = schema;
      return generate(mergeSchemas([rest, ...allOf.map((s) => resolve(root, s))]), depth + 1);
    }

    switch (typeOf(schema, depth)) {
      case 'object': {
        const properties = asObject(schema.properties);
        const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
        const value: JsonObject = {};
        for (const [key, property] of Object.entries(properties)) {
          if (depth < MAX_DEPTH || required.has(key)) value[key] = generate(property, depth + 1);
        }
        // Required keys without a property schema: whatever additionalProperties allows.
        const extra = isObject(schema.additionalProperties) ? schema.additionalProperties : { type: 'string' };
        for (const key of required) if (!(key in value)) value[key] = generate(extra, depth + 1);
        return value;
      }
      case 'array': {
        const prefixItems = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
        const min = Math.max(numberOr(schema.minItems, 0), prefixItems.length);
        const max = numberOr(schema.maxItems, Infinity);
        const count = Math.min(depth < MAX_DEPTH ? Math.max(min, 1) : min, max);
        const items = isObject(schema.items) ? schema.items : {};
        return Array.from({ length: count }, (_, i) => generate(prefixItems[i] ?? items, depth + 1));
      }
      case 'string':
        return exampleString(schema);
      case 'integer':
        return exampleNumber(schema, true);
      case 'number':
        return exampleNumber(schema, false);
      case 'boolean':
        return true;
      default:
        // `null`, or an empty schema that accepts anything.
        return null;
    }
  };
  return generate(root, 0);
}

/** Follows `$ref`s and merges the constraints hidden in descriptions; the node's own keywords win. */
function resolve(root: JsonObject, node: unknown): JsonObject {
  let schema = withHoistedConstraints(asObject(node));
  for (let hops = 0; typeof schema.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`$ref chain too long at ${schema.$ref}`);
    const { $ref, ...siblings } = schema;
    schema = { ...withHoistedConstraints(pointer(root, $ref)), ...siblings };
  }
  return schema;
}

function pointer(root: JsonObject, ref: string): JsonObject {
  if (!ref.startsWith('#')) throw new Error(`Only local $refs are supported, got ${ref}`);
  let target: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    target = Array.isArray(target) ? target[Number(key)] : asObject(target)[key];
  }
  if (!isObject(target)) throw new Error(`$ref ${ref} does not point at a schema`);
  return target;
}

function mergeSchemas(schemas: JsonObject[]): JsonObject {
  const merged: JsonObject = {};
  const properties: JsonObject = {};
  const required = new Set<string>();
  for (const schema of schemas) {
    Object.assign(merged, schema);
    Object.assign(properties, asObject(schema.properties));
    if (Array.isArray(schema.required)) for (const key of schema.required) required.add(String(key));
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function typeOf(schema: JsonObject, depth: number): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    // Nullable types (['string', 'null']) get a real value, until recursion has to stop.
    const concrete = type.filter((t) => t !== 'null');
    return depth >= MAX_DEPTH && type.includes('null') ? 'null' : (concrete[0] as string | undefined) ?? 'null';
  }
  if (schema.properties !== undefined || schema.required !== undefined) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return undefined;
}

function exampleString(schema: JsonObject): string {
  const min = numberOr(schema.minLength, 0);
  const max = numberOr(schema.maxLength, Infinity);
  const formatted = typeof schema.format === 'string' ? FORMAT_EXAMPLES[schema.format] : undefined;
  const pattern = compilePattern(schema.pattern);
  const candidates = [
    ...(formatted ? [formatted] : []),
    ...PATTERN_CANDIDATES,
    'x'.repeat(min),
    'a'.repeat(min),
    '0'.repeat(min),
  ];
  const fits = (s: string) => s.length >= min && s.length <= max && (pattern?.test(s) ?? true);
  const found = candidates.find(fits);
  if (found !== undefined) return found;
  // Pad or cut to length; a pattern none of the candidates meets stays unmet (use respondWith).
  const base = formatted ?? 'example';
  return base.length < min ? base + 'x'.repeat(min - base.length) : base.slice(0, max);
}

function compilePattern(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

function exampleNumber(schema: JsonObject, integer: boolean): number {
  // Draft 4 spells exclusivity as a boolean beside minimum/maximum.
  const draft4Low = schema.exclusiveMinimum === true;
  const draft4High = schema.exclusiveMaximum === true;
  const min = draft4Low ? -Infinity : numberOr(schema.minimum, -Infinity);
  const max = draft4High ? Infinity : numberOr(schema.maximum, Infinity);
  const above = draft4Low ? numberOr(schema.minimum, -Infinity) : numberOr(schema.exclusiveMinimum, -Infinity);
  const below = draft4High ? numberOr(schema.maximum, Infinity) : numberOr(schema.exclusiveMaximum, Infinity);

  let low = Math.max(min, integer ? Math.floor(above) + 1 : above + 1);
  let high = Math.min(max, integer ? Math.ceil(below) - 1 : below - 1);
  if (integer) {
    low = Math.ceil(low);
    high = Math.floor(high);
  }
  let value = Math.min(Math.max(1, low), high);
  const multipleOf = numberOr(schema.multipleOf, 0);
  if (multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (value > high) value = Math.floor(high / multipleOf) * multipleOf;
    value = Number(value.toPrecision(12));
  }
  const inside = value >= min && value <= max && value > above && value < below;
  if (!integer && !inside) {
    // A narrow open interval: its midpoint is a value we can be sure of.
    value = (Math.max(min, above) + Math.min(max, below)) / 2;
  }
  return Number.isFinite(value) ? value : 0;
}

/**
 * The SDK's `transformJSONSchema` (used by `zodOutputFormat`) moves keywords the API does not
 * enforce — minimum, maxLength, maxItems, pattern… — into the description as `{key: json, …}`.
 * Reading them back keeps generated values valid for the zod schema the client parses with.
 */
function withHoistedConstraints(schema: JsonObject): JsonObject {
  if (typeof schema.description !== 'string') return schema;
  const hoisted = parseHoisted(schema.description.split('\n\n').at(-1)?.trim() ?? '');
  return hoisted ? { ...hoisted, ...schema } : schema;
}

function parseHoisted(text: string): JsonObject | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const end = text.length - 1;
  const out: JsonObject = {};
  let i = 1;
  while (i < end) {
    const colon = text.indexOf(': ', i);
    if (colon < 0) return undefined;
    const key = text.slice(i, colon);
    if (!/^[$\w-]+$/.test(key)) return undefined;
    const valueEnd = scanJsonValue(text, colon + 2, end);
    const value = parseJson(text.slice(colon + 2, valueEnd));
    if (value === undefined) return undefined;
    out[key] = value;
    i = valueEnd;
    if (text.startsWith(', ', i)) i += 2;
    else if (i !== end) return undefined;
  }
  return out;
}

/** Where the JSON value starting at `start` ends: the first top-level comma outside strings. */
function scanJsonValue(text: string, start: number, end: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) return i;
  }
  return end;
}

// --- Small helpers -----------------------------------------------------------------------------

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MessageBatches, type StoredBatch } from './batches.js';
import { answerTokenCount } from './count-tokens.js';
import { SlowAnswers, type FakeMode } from './faults.js';
import type { FakeHost } from './host.js';
import { MAX_REQUEST_BYTES, readBody, send, sendError } from './http.js';
import { answerMessage, MessageComposer } from './messages.js';
import { modelsPage } from './models.js';
import type { FakeAnthropicOptions, FakeResponder, RecordedRequest } from './options.js';
import { checkCredentials, checkVersion } from './rules.js';
import type { StreamOutcome } from './streaming.js';
import { PromptCache } from './usage.js';

/**
 * A stand-in for Anthropic's Messages API (`POST /v1/messages`, plain or streamed) that the real SDK
 * talks to over HTTP, so no test mocks the SDK module. It enforces what API version 2026-10-21
 * enforces per model (models.ts, rules.ts): the anthropic-version header, no sampling parameters
 * on any model, no prefill or effort where the model refuses them, the minimum cacheable prefix
 * per model, max_tokens from 0, a 413 past the request size limit. It answers structured output
 * with a value generated from the requested JSON schema (schema-values.ts), reports usage and
 * prompt caching deterministically (usage.ts), sends rate-limit headers, and fails on cue
 * (faults.ts: 429 with retry-after / retry-after-ms / x-should-retry, 5xx, refusals, truncation).
 * It also serves the models list, `POST /v1/messages/count_tokens` (count-tokens.ts) and the
 * Message Batches endpoints (batches.ts).
 *
 *   const fake = await FakeAnthropicServer.start();
 *   const client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
 *
 * Options (all optional; the defaults are the behaviour above) make it closer to the real API
 * for cost studies: a real tokenizer, a clock for the cache's time to live, another minimum
 * cacheable prefix, thinking tokens billed as output (and counted against max_tokens), and the
 * structured-output schema billed as input.
 */
export class FakeAnthropicServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: FakeMode[] = [];
  private defaultMode: FakeMode = { kind: 'ok' };
  private readonly cache: PromptCache;
  private readonly composer: MessageComposer;
  private readonly batchEndpoints: MessageBatches;
  private readonly host: FakeHost;
  private readonly sockets = new Set<Socket>();
  private readonly slow = new SlowAnswers();
  private served = 0;
  private closed = false;
  /** How many `count_tokens` requests were answered. */
  tokenCountRequests = 0;
  /** How each streamed answer ended (`client_gone`: the client hung up before the end), in order. */
  readonly streamOutcomes: StreamOutcome[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeAnthropicOptions = {},
  ) {
    this.cache = new PromptCache(options);
    this.composer = new MessageComposer(options, this.cache);
    this.host = {
      url,
      options,
      cache: this.cache,
      composer: this.composer,
      nextNumber: () => ++this.served,
      streamOutcomes: this.streamOutcomes,
      admit: (request) => {
        this.requests.push(request);
        return this.queue.shift() ?? this.defaultMode;
      },
    };
    this.batchEndpoints = new MessageBatches(this.host);
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

  /** Message batches created, in order. */
  get batches(): StoredBatch[] {
    return this.batchEndpoints.list;
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
    this.composer.respondWith(responder);
  }

  /** Usage fields to report beside the token counts from now on (until reset), over the `usage` option. */
  reportUsage(extra: (body: any) => Record<string, unknown>): void {
    this.composer.reportUsage(extra);
  }

  /** Back to a fresh server: no recorded requests, queued modes, responders or cached prompts; default `ok`. */
  reset(): void {
    this.composer.reset();
    this.requests.length = 0;
    this.queue.length = 0;
    this.defaultMode = { kind: 'ok' };
    this.cache.clear();
    this.batchEndpoints.list.length = 0;
    this.tokenCountRequests = 0;
    this.streamOutcomes.length = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.slow.cancelAll();
    // Keep-alive sockets would hold server.close() (and jest) open.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = this.host.nextNumber();
    const requestId = `req_fake_${n}`;
    try {
      const { raw, size } = await readBody(req);
      const exchange = { req, res, raw, requestId };
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
        else this.batchEndpoints.route(req.method ?? 'GET', path, raw, res, requestId);
        return;
      }
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
        if (answerTokenCount(this.host, exchange)) this.tokenCountRequests++;
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/messages') {
        const message = `The fake serves POST /v1/messages, not ${req.method} ${path}`;
        sendError(res, requestId, { status: 404, type: 'not_found_error', message });
        return;
      }
      await answerMessage(this.host, this.slow, exchange, n, early);
    } catch (error) {
      // A bug in the fake (or a throwing responder) must fail the test, not hang it.
      sendError(res, requestId, { status: 500, type: 'api_error', message: `Fake Anthropic server failed: ${String(error)}` });
    }
  }
}

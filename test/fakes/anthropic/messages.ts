import { failureFor, MALFORMED_JSON_TEXT, SCHEMA_VIOLATION_TEXT, type FakeMode, type SlowAnswers } from './faults.js';
import type { FakeHost } from './host.js';
import { invalid, send, sendError, type Exchange, type Failure } from './http.js';
import { isObject, parseJson, type JsonObject } from './json.js';
import type { FakeAnthropicOptions, FakeResponder } from './options.js';
import { requestedSchema, validateMessage, versionOf } from './rules.js';
import { exampleFromSchema } from './schema-values.js';
import { streamMessage } from './streaming.js';
import { countTokens, cutToTokens, messageUsage, promptSegments, type PromptCache } from './usage.js';

export const PLAIN_TEXT_REPLY = 'This is a reply from the fake Anthropic API.';

/** An assistant message as the Messages API returns it. */
export type FakeMessage = {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: JsonObject[];
  stop_reason: string;
  stop_sequence: null;
  stop_details: null;
  container: null;
  diagnostics: null;
  usage: JsonObject;
};

/**
 * `POST /v1/messages`: recorded, then scripted failures, then the request checked as the API
 * checks it, then the message. The message is composed whole before it is written, so a
 * streaming answer (`stream: true`) writes the same message as server-sent events (streaming.ts).
 */
export async function answerMessage(host: FakeHost, slow: SlowAnswers, x: Exchange, n: number, early: Failure | undefined): Promise<void> {
  const body = parseJson(x.raw);
  const mode = host.admit({ headers: { ...x.req.headers }, body: body ?? x.raw, receivedAt: Date.now() });
  const failure =
    (isObject(body) ? undefined : invalid('The request body is not a JSON object')) ??
    early ??
    failureFor(mode) ??
    validateMessage(body as JsonObject, versionOf(x.req));
  if (failure) {
    sendError(x.res, x.requestId, failure);
    return;
  }
  if (mode.kind === 'slow' && !(await slow.wait(mode.delayMs, x.res))) return;
  const message = host.composer.compose(n, mode, body as JsonObject);
  if ((body as JsonObject).stream !== true) {
    send(x.res, 200, x.requestId, message);
    return;
  }
  const plan = {
    chunkChars: host.options.streamChunkChars ?? 12,
    chunkDelayMs: host.options.streamChunkDelayMs ?? 0,
    ...(mode.kind === 'stream_break' && { breakAfter: { deltas: mode.afterDeltas, how: mode.how } }),
  };
  host.streamOutcomes.push(await streamMessage(x.res, x.requestId, message, plan));
}

/** Composes the answer to an accepted request: its text (responders, else a value of the requested schema), stop reason and usage. */
export class MessageComposer {
  private responders: FakeResponder[] = [];
  private extraUsage?: (body: any) => Record<string, unknown>;

  constructor(
    private readonly options: FakeAnthropicOptions,
    private readonly cache: PromptCache,
  ) {}

  respondWith(responder: FakeResponder): void {
    this.responders.push(responder);
  }

  reportUsage(extra: (body: any) => Record<string, unknown>): void {
    this.extraUsage = extra;
  }

  /** No responders, no extra usage fields (the cache is the server's to clear). */
  reset(): void {
    this.responders = [];
    this.extraUsage = undefined;
  }

  compose(n: number, mode: FakeMode, body: JsonObject, tier: 'standard' | 'batch' = 'standard'): FakeMessage {
    const model = String(body.model);
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
      usage: messageUsage(input, outputTokens, tier, body, { ...this.options.usage?.(body), ...this.extraUsage?.(body) }),
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

import Anthropic, { type AutoParseableOutputFormat } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { createHash } from 'node:crypto';
import { parse as parsePartialJson } from 'partial-json';
import type { z } from 'zod';
import { Memo } from '../../common/cache/index.js';
import type { AdapterResponse, AuthCheck, BatchAdapter, BatchItem, BatchOutcome, LlmAdapter, LlmRequest } from '../llm-client.port.js';
import { LlmError } from '../llm.errors.js';
import { capabilitiesFor, maxTokensFor } from '../models/model-capabilities.js';
import { unknownUsageFields, usageFromAnthropic } from '../pricing/cost-calculator.js';
import { fromAnthropicError } from './anthropic-errors.js';

export type AnthropicAdapterOptions = {
  apiKey: string;
  baseURL?: string;
  effort: 'low' | 'medium' | 'high';
  /** Told once per usage field the price list does not know. */
  onUnknownUsageField?: (field: string) => void;
};

/** Prefix token counts kept per model and prefix; a few hundred distinct prefixes at most. */
const MAX_MEASURED_PREFIXES = 2000;

/**
 * Claude through the official SDK. Structured output with `output_config.format` (never a forced
 * tool), settings chosen from the model's capabilities, and the stable system blocks marked for
 * prompt caching only when the prefix reaches the model's minimum cacheable length (measured once
 * per prefix with the free token-counting endpoint; a shorter marked prefix is never cached). The
 * SDK's own retries are off: the policies count every attempt once.
 */
export class AnthropicAdapter implements LlmAdapter {
  readonly provider = 'anthropic' as const;
  private client?: Anthropic;
  private created = 0;
  private readonly prefixTokens = new Memo<number>({ max: MAX_MEASURED_PREFIXES });
  private readonly reportedFields = new Set<string>();

  constructor(private readonly options: AnthropicAdapterOptions) {}

  /** Message Batches through the SDK: half price, answered within 24 hours. */
  readonly batches: BatchAdapter = {
    create: async (items: BatchItem<unknown>[], model: string) => {
      const requests = await Promise.all(items.map(async (item) => ({ custom_id: item.customId, params: await this.buildParams(item.request, model) })));
      try {
        return (await this.sdk().messages.batches.create({ requests })).id;
      } catch (error) {
        throw fromAnthropicError(error, new AbortController().signal);
      }
    },
    results: async <T>(batchId: string, requests: ReadonlyMap<string, LlmRequest<T>>) => {
      const signal = new AbortController().signal;
      try {
        const batch = await this.sdk().messages.batches.retrieve(batchId);
        if (batch.processing_status !== 'ended') return 'in_progress' as const;
        const outcomes: BatchOutcome<T>[] = [];
        for await (const item of await this.sdk().messages.batches.results(batchId)) {
          const request = requests.get(item.custom_id);
          if (!request) continue;
          if (item.result.type !== 'succeeded') {
            outcomes.push({ customId: item.custom_id, ok: false, error: new LlmError('server_error', `The batch request ${item.result.type}`) });
            continue;
          }
          try {
            outcomes.push({ customId: item.custom_id, ok: true, response: this.readMessage(item.result.message, request, batchId) });
          } catch (error) {
            outcomes.push({ customId: item.custom_id, ok: false, error: error instanceof LlmError ? error : new LlmError('bad_output', 'Unreadable batch answer') });
          }
        }
        return outcomes;
      } catch (error) {
        throw fromAnthropicError(error, signal);
      }
    },
  };

  get clientsCreated(): number {
    return this.created;
  }

  async call<T>(request: LlmRequest<T>, model: string, signal: AbortSignal): Promise<AdapterResponse<T>> {
    const params = await this.buildParams(request, model, signal);
    if (request.onPartial) return this.stream(params, request, request.onPartial, signal);
    let message: Anthropic.Message;
    try {
      message = await this.sdk().messages.create(params, { signal });
    } catch (error) {
      throw fromAnthropicError(error, signal);
    }
    return this.readMessage(message, request, (message as { _request_id?: string | null })._request_id ?? undefined);
  }

  /**
   * The same call through the SDK's streaming API: the structured output's JSON is parsed as it
   * grows and handed on. A stream that fails or is aborted part way still reports what it spent:
   * the input from `message_start`, the output from the text received (the API reports the output
   * count only in its closing `message_delta`, so it is estimated from the text at ~4 characters a
   * token, as a lower bound).
   */
  private async stream<T>(
    params: MessageCreateParamsNonStreaming,
    request: LlmRequest<T>,
    onPartial: (partial: unknown) => void,
    signal: AbortSignal,
  ): Promise<AdapterResponse<T>> {
    const stream = this.sdk().messages.stream(params, { signal });
    let streamed = 0;
    stream.on('text', (_delta, snapshot) => {
      let partial: unknown;
      try {
        partial = parsePartialJson(snapshot);
      } catch {
        return; // Not yet a readable prefix of a JSON value (e.g. only whitespace).
      }
      streamed = snapshot.length;
      onPartial(partial);
    });
    try {
      const message = await stream.finalMessage();
      return this.readMessage(message, request, stream.request_id ?? undefined);
    } catch (error) {
      const failure = error instanceof LlmError ? error : fromAnthropicError(error, signal);
      const snapshot = stream.currentMessage;
      const usage = failure.details.usage ?? (snapshot && usageFromAnthropic({ ...snapshot.usage, output_tokens: Math.max(snapshot.usage.output_tokens, Math.ceil(streamed / 4)) }));
      throw new LlmError(failure.kind, failure.message, {
        ...failure.details,
        ...(usage && { usage }),
        providerRequestId: failure.details.providerRequestId ?? stream.request_id ?? undefined,
        ...(streamed > 0 && { shouldRetry: false }),
      });
    }
  }

  /** The request the model accepts, also used for Message Batches. */
  async buildParams(request: LlmRequest<unknown>, model: string, signal?: AbortSignal): Promise<MessageCreateParamsNonStreaming> {
    const format = outputFormat(request.schema);
    const capabilities = capabilitiesFor(model);
    const base: MessageCreateParamsNonStreaming = {
      model,
      max_tokens: capabilities.effort ? maxTokensFor(model, request.maxTokens, this.options.effort) : request.maxTokens,
      system: request.system.map((text) => ({ type: 'text' as const, text })),
      messages: [{ role: 'user', content: request.input }],
      output_config: {
        format: { type: format.type, schema: format.schema },
        ...(capabilities.effort && { effort: this.options.effort }),
      },
    };
    if (request.system.length === 0) return base;
    const prefix = await this.prefixLength(base, signal);
    if (prefix < capabilities.minCacheableTokens) return base;
    // The last stable block ends the cached prefix: system prompt, rubric, catalog.
    const system = request.system.map((text, i, all) => ({
      type: 'text' as const,
      text,
      ...(i === all.length - 1 && { cache_control: { type: 'ephemeral' as const } }),
    }));
    return { ...base, system };
  }

  /** Reads one answer: billed usage first, then the stop reason, then the schema. */
  readMessage<T>(message: Anthropic.Message, request: LlmRequest<T>, providerRequestId?: string): AdapterResponse<T> {
    for (const field of unknownUsageFields(message.usage)) {
      if (this.reportedFields.has(field)) continue;
      this.reportedFields.add(field);
      this.options.onUnknownUsageField?.(field);
    }
    const usage = usageFromAnthropic(message.usage);
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    const details = { usage, providerRequestId, stopReason: message.stop_reason ?? undefined };
    if (message.stop_reason === 'refusal') throw new LlmError('refused', 'The model declined to answer', details);
    if (message.stop_reason === 'max_tokens' || message.stop_reason === 'model_context_window_exceeded') {
      throw new LlmError('truncated', `The model stopped at ${message.stop_reason} before a full answer`, details);
    }
    if (message.stop_reason !== 'end_turn' || !text) {
      throw new LlmError('bad_output', `The model stopped with ${message.stop_reason ?? 'no reason'} before a full answer`, details);
    }
    try {
      return { value: outputFormat(request.schema).parse(text), usage, providerRequestId };
    } catch {
      throw new LlmError('bad_output', 'The model answer did not match the schema', details);
    }
  }

  /**
   * Checks the credentials without spending tokens: listing models is free. `invalid` only on the
   * provider's own 401/403; anything else (network, 5xx) says nothing about the key.
   */
  async checkAuth(signal: AbortSignal): Promise<AuthCheck> {
    try {
      await this.sdk().models.list({ limit: 1 }, { signal });
      return { status: 'ok' };
    } catch (error) {
      const failure = fromAnthropicError(error, signal);
      return failure.kind === 'auth' ? { status: 'invalid', detail: failure.message } : { status: 'unknown', detail: failure.message };
    }
  }

  sdk(): Anthropic {
    if (!this.client) {
      this.client = new Anthropic({
        apiKey: this.options.apiKey,
        ...(this.options.baseURL && { baseURL: this.options.baseURL }),
        maxRetries: 0,
      });
      this.created++;
    }
    return this.client;
  }

  /** Tokens of the stable prefix (schema, tools and system), counted by the API once per prefix. */
  private async prefixLength(params: MessageCreateParamsNonStreaming, signal?: AbortSignal): Promise<number> {
    const key = createHash('sha256')
      .update(JSON.stringify([params.model, params.system, params.output_config?.format ?? null]))
      .digest('hex');
    // Not a shared load: each count runs under its own caller's abort signal.
    const known = this.prefixTokens.peek(key);
    if (known !== undefined) return known;
    try {
      // One character of user text stands in for the per-call part: it adds a token or two.
      const counted = await this.sdk().messages.countTokens(
        { model: params.model, system: params.system, messages: [{ role: 'user', content: '.' }], output_config: params.output_config },
        { signal },
      );
      this.prefixTokens.set(key, counted.input_tokens);
      return counted.input_tokens;
    } catch {
      // Unmeasured: leave the prefix unmarked this time and measure again on the next call.
      return 0;
    }
  }
}

/** A schema's JSON form is built once: callers reuse their schema objects across requests. */
const formats = new WeakMap<object, unknown>();
function outputFormat<T>(schema: z.ZodType<T>): AutoParseableOutputFormat<T> {
  let format = formats.get(schema) as AutoParseableOutputFormat<T> | undefined;
  if (!format) {
    format = zodOutputFormat(schema);
    formats.set(schema, format);
  }
  return format;
}

import Anthropic, { type AutoParseableOutputFormat } from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { z } from 'zod';
import type { AdapterResponse, LlmAdapter, LlmRequest } from '../llm-client.port.js';
import { LlmError } from '../llm.errors.js';
import { capabilitiesFor } from '../models/model-capabilities.js';
import { usageFromAnthropic } from '../pricing/cost-calculator.js';
import { fromAnthropicError } from './anthropic-errors.js';

export type AnthropicAdapterOptions = {
  apiKey: string;
  baseURL?: string;
  effort: 'low' | 'medium' | 'high';
};

/**
 * Claude through the official SDK. Structured output with `output_config.format` (never a forced
 * tool), the stable system blocks marked for prompt caching, settings chosen from the model's
 * capabilities. The SDK's own retries are off: the policies count every attempt once.
 */
export class AnthropicAdapter implements LlmAdapter {
  readonly provider = 'anthropic' as const;
  private client?: Anthropic;
  private created = 0;

  constructor(private readonly options: AnthropicAdapterOptions) {}

  get clientsCreated(): number {
    return this.created;
  }

  async call<T>(request: LlmRequest<T>, model: string, signal: AbortSignal): Promise<AdapterResponse<T>> {
    const format = outputFormat(request.schema);
    const params = this.params(request, model, format);
    let message: Anthropic.Message;
    try {
      message = await this.sdk().messages.create(params, { signal });
    } catch (error) {
      throw fromAnthropicError(error, signal);
    }
    const usage = usageFromAnthropic(message.usage);
    const providerRequestId = (message as { _request_id?: string | null })._request_id ?? undefined;
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    if (message.stop_reason !== 'end_turn' || !text) {
      throw new LlmError('bad_output', `The model stopped with ${message.stop_reason ?? 'no reason'} before a full answer`, {
        usage,
        providerRequestId,
      });
    }
    try {
      return { value: format.parse(text), usage, providerRequestId };
    } catch {
      throw new LlmError('bad_output', 'The model answer did not match the schema', { usage, providerRequestId });
    }
  }

  private params(
    request: LlmRequest<unknown>,
    model: string,
    format: ReturnType<typeof zodOutputFormat>,
  ): MessageCreateParamsNonStreaming {
    const capabilities = capabilitiesFor(model);
    return {
      model,
      max_tokens: request.maxTokens,
      // The last stable block ends the cached prefix: system prompt, rubric, catalog.
      system: request.system.map((text, i, all) => ({
        type: 'text' as const,
        text,
        ...(i === all.length - 1 && { cache_control: { type: 'ephemeral' as const } }),
      })),
      messages: [{ role: 'user', content: request.input }],
      output_config: {
        format: { type: format.type, schema: format.schema },
        ...(capabilities.effort && { effort: this.options.effort }),
      },
      // Older families accept sampling settings; a low temperature keeps their grading steady.
      ...(capabilities.samplingParameters && { temperature: 0 }),
    };
  }

  private sdk(): Anthropic {
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

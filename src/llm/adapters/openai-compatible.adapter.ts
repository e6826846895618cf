import OpenAI from 'openai';
import { z } from 'zod';
import type { AdapterResponse, LlmAdapter, LlmRequest } from '../llm-client.port.js';
import { LlmError, parseRetryAfter } from '../llm.errors.js';
import type { TokenUsage } from '../pricing/cost-calculator.js';

export type OpenAiCompatibleOptions = {
  baseURL: string;
  apiKey?: string;
  /** The output-length parameter the server reads: OpenAI's current `max_completion_tokens`, or the older `max_tokens`. */
  maxTokensParam?: 'max_completion_tokens' | 'max_tokens';
};

/**
 * Any server speaking OpenAI's chat completions (Ollama, vLLM, LM Studio…), through the official
 * `openai` package, with a strict JSON-schema response format validated again with zod.
 */
export class OpenAiCompatibleAdapter implements LlmAdapter {
  readonly provider = 'openai-compatible' as const;
  private client?: OpenAI;
  private created = 0;

  constructor(private readonly options: OpenAiCompatibleOptions) {}

  get clientsCreated(): number {
    return this.created;
  }

  async call<T>(request: LlmRequest<T>, model: string, signal: AbortSignal): Promise<AdapterResponse<T>> {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.sdk().chat.completions.create(
        {
          model,
          ...(this.options.maxTokensParam === 'max_tokens' ? { max_tokens: request.maxTokens } : { max_completion_tokens: request.maxTokens }),
          messages: [
            { role: 'system', content: request.system.join('\n\n') },
            { role: 'user', content: request.input },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: { name: `${request.feature.replace(/[^a-zA-Z0-9_]/g, '_')}_answer`, strict: true, schema: z.toJSONSchema(request.schema) },
          },
        },
        { signal },
      );
    } catch (error) {
      throw fromOpenAiError(error, signal);
    }
    const usage = usageFromOpenAi(completion.usage);
    const choice = completion.choices[0];
    const details = { usage, providerRequestId: completion.id, stopReason: choice?.finish_reason ?? undefined };
    if (choice?.message.refusal || choice?.finish_reason === 'content_filter') {
      throw new LlmError('refused', 'The model declined to answer', details);
    }
    if (choice?.finish_reason === 'length') throw new LlmError('truncated', 'The model stopped at its length limit', details);
    const text = choice?.message.content ?? '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new LlmError('bad_output', 'The model answer was not JSON', { usage });
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) throw new LlmError('bad_output', 'The model answer did not match the schema', { usage });
    return { value: parsed.data, usage, providerRequestId: completion.id };
  }

  private sdk(): OpenAI {
    if (!this.client) {
      // Local servers usually want no key; the client insists on one being set.
      this.client = new OpenAI({ baseURL: this.options.baseURL, apiKey: this.options.apiKey ?? 'not-needed', maxRetries: 0 });
      this.created++;
    }
    return this.client;
  }
}

function usageFromOpenAi(usage: OpenAI.Completions.CompletionUsage | undefined): TokenUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    outputTokens: usage?.completion_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
  };
}

function fromOpenAiError(error: unknown, signal: AbortSignal): LlmError {
  if (error instanceof OpenAI.APIUserAbortError || signal.aborted) return new LlmError('timeout', 'The model call was cut off at its deadline');
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'The model did not answer in time');
  if (error instanceof OpenAI.APIConnectionError) return new LlmError('server_error', 'Could not reach the model server');
  if (error instanceof OpenAI.APIError) {
    const status = (error.status as number | undefined) ?? 0;
    const details = { status, retryAfterMs: parseRetryAfter((error.headers as Headers | undefined)?.get('retry-after')) };
    if (status === 429) return new LlmError('rate_limited', 'The model server is rate limiting us', details);
    if (status === 401 || status === 403) return new LlmError('auth', 'The model server refused our credentials', details);
    if (status === 503 || status === 529) return new LlmError('overloaded', 'The model server is overloaded', details);
    if (status >= 500) return new LlmError('server_error', `The model server failed (${status})`, details);
    return new LlmError('invalid_request', `The model server refused the request (${status})`, details);
  }
  return new LlmError('server_error', 'Unknown failure calling the model server');
}

import Anthropic from '@anthropic-ai/sdk';
import { LlmError, retryDelayFromHeaders, shouldRetryFromHeaders } from '../llm.errors.js';

const STATUS_OF_TYPE: Record<string, number> = { overloaded_error: 529, api_error: 500, rate_limit_error: 429, request_too_large: 413 };

/** Maps the SDK's errors onto our error kinds; secrets in messages never get this far. */
export function fromAnthropicError(error: unknown, signal: AbortSignal): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof Anthropic.APIUserAbortError || signal.aborted) {
    return new LlmError('timeout', 'The model call was cut off at its deadline');
  }
  if (error instanceof Anthropic.APIConnectionTimeoutError) return new LlmError('timeout', 'The model did not answer in time');
  if (error instanceof Anthropic.APIConnectionError) return new LlmError('server_error', 'Could not reach the model provider');
  if (error instanceof Anthropic.APIError) {
    const headers = error.headers as Headers | undefined;
    const shouldRetry = shouldRetryFromHeaders(headers);
    const details = {
      status: error.status as number | undefined,
      providerRequestId: error.requestID ?? undefined,
      retryAfterMs: retryDelayFromHeaders(headers),
      ...(shouldRetry !== undefined && { shouldRetry }),
    };
    // An `error` event inside a stream has no HTTP status: its type says what it is.
    const type = (error.error as { error?: { type?: string } } | undefined)?.error?.type;
    const status = (error.status as number | undefined) ?? STATUS_OF_TYPE[type ?? ''] ?? 0;
    if (status === 429) return new LlmError('rate_limited', 'The model provider is rate limiting us', details);
    if (status === 529) return new LlmError('overloaded', 'The model provider is overloaded', details);
    if (status === 401 || status === 403) return new LlmError('auth', 'The model provider refused our credentials', details);
    if (status === 408) return new LlmError('timeout', 'The model provider timed out', details);
    if (status === 413) return new LlmError('invalid_request', 'The request is larger than the model provider accepts (413)', details);
    if (status >= 500) return new LlmError('server_error', `The model provider failed (${status})`, details);
    return new LlmError('invalid_request', `The model provider refused the request (${status})`, details);
  }
  return new LlmError('server_error', 'Unknown failure calling the model');
}

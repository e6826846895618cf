import type { TokenUsage } from './pricing/cost-calculator.js';

/**
 * Every way an LLM call can fail, as one type. `retryable` kinds are retried with backoff;
 * the others fail at once. `refused` (the model declined) is final; `truncated` (stopped at
 * max_tokens or the context window) is billed and may be asked again with more room.
 */
export type LlmErrorKind =
  | 'timeout'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'invalid_request'
  | 'auth'
  | 'bad_output'
  | 'refused'
  | 'truncated'
  | 'circuit_open'
  | 'busy';

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(['timeout', 'rate_limited', 'overloaded', 'server_error']);

export class LlmError extends Error {
  override readonly name = 'LlmError';

  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly details: {
      status?: number;
      retryAfterMs?: number;
      /** The provider's `x-should-retry` verdict, which wins over our own classification. */
      shouldRetry?: boolean;
      /** For `truncated`: why the model stopped (max_tokens, model_context_window_exceeded). */
      stopReason?: string;
      providerRequestId?: string;
      /** Tokens the provider billed even though the call failed (e.g. an answer that did not parse). */
      usage?: TokenUsage;
    } = {},
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.details.shouldRetry ?? RETRYABLE.has(this.kind);
  }
}

/**
 * How long the provider asks us to wait: `retry-after-ms` (milliseconds, as the SDK reads it)
 * wins over `retry-after` (seconds or an HTTP date).
 */
export function retryDelayFromHeaders(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(headers?.get('retry-after'), now);
}

/** `x-should-retry: true|false`, else undefined. */
export function shouldRetryFromHeaders(headers: { get(name: string): string | null } | undefined): boolean | undefined {
  const value = headers?.get('x-should-retry');
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** Parses a `retry-after` header: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

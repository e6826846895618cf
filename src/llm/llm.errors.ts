import type { TokenUsage } from './pricing/cost-calculator.js';

/**
 * Every way an LLM call can fail, as one type. `retryable` kinds are retried with backoff;
 * the others fail at once.
 */
export type LlmErrorKind =
  | 'timeout'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'invalid_request'
  | 'auth'
  | 'bad_output'
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
      providerRequestId?: string;
      /** Tokens the provider billed even though the call failed (e.g. an answer that did not parse). */
      usage?: TokenUsage;
    } = {},
  ) {
    super(message);
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Parses a `retry-after` header: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

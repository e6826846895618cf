import type { ServerResponse } from 'node:http';
import type { Failure } from './http.js';

/** How the fake answers a request: normally, or with one of the failures the real API has. */
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
  | { kind: 'auth_error' }
  /** Streaming only: after this many text deltas an `error` event (overloaded) ends the stream, or the connection is cut. */
  | { kind: 'stream_break'; afterDeltas: number; how: 'error' | 'cut' };

/** The answer text of `malformed_json` and `schema_violation`: a 200 whose content the client must reject. */
export const MALFORMED_JSON_TEXT = 'Sure! Here is the plan: {not json';
export const SCHEMA_VIOLATION_TEXT = JSON.stringify({ unexpected: true });

/** Scripted failures win over validation, the way a gateway answers before the model sees the body. */
export function failureFor(mode: FakeMode): Failure | undefined {
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

/** The waits of `slow` answers; all of them can be cancelled, so closing the fake never waits on a timer. */
export class SlowAnswers {
  private readonly pending = new Set<() => void>();

  /** Resolves true after `ms`, or false as soon as the client hangs up or cancelAll() runs. */
  wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (elapsed: boolean) => {
        clearTimeout(timer);
        res.off('close', onClose);
        this.pending.delete(cancel);
        resolve(elapsed);
      };
      const onClose = () => finish(false);
      const cancel = () => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      res.once('close', onClose);
      this.pending.add(cancel);
    });
  }

  cancelAll(): void {
    for (const cancel of this.pending) cancel();
  }
}

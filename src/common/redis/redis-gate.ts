import type { Logger } from '@nestjs/common';
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';

/** Failures in a row (timeouts mostly) after which Redis is skipped for a moment. */
const FAILURES_TO_OPEN = 3;

/**
 * A circuit breaker in front of every Redis command of the app. Each command already has a short
 * timeout (REDIS_COMMAND_TIMEOUT_MS); once a few in a row fail, the next ones fail at once for a
 * while instead of each waiting out its timeout, and one probe at a time finds Redis back. Callers
 * treat a failure as Redis being away: a cache miss, an in-process count.
 */
export class RedisGate {
  private readonly breaker: CircuitBreakerPolicy;

  constructor(retryAfterMs: number, logger: Logger) {
    this.breaker = circuitBreaker(handleAll, { halfOpenAfter: retryAfterMs, breaker: new ConsecutiveBreaker(FAILURES_TO_OPEN) });
    this.breaker.onBreak(() => logger.warn('Redis is not answering: caches miss and rate limits count in this process until it is back'));
    this.breaker.onReset(() => logger.log('Redis answers again'));
  }

  /** Whether a failure was the gate skipping Redis (already logged once) rather than a command failing. */
  static skipped(error: unknown): boolean {
    return error instanceof BrokenCircuitError;
  }

  run<T>(command: () => Promise<T>): Promise<T> {
    return this.breaker.execute(command);
  }

  /** Whether Redis is being skipped right now. */
  get open(): boolean {
    return this.breaker.state !== CircuitState.Closed;
  }

  /** Called each time Redis answers again after the gate had opened. */
  onRecovered(listener: () => void): void {
    this.breaker.onReset(listener);
  }
}

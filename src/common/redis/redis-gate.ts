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
  private breaker: CircuitBreakerPolicy;
  private readonly recovered: (() => void)[] = [];

  constructor(
    private readonly retryAfterMs: number,
    private readonly logger: Logger,
  ) {
    this.breaker = this.newBreaker();
  }

  /** A new connection is ready: Redis answers, whatever the commands before it met. */
  reset(): void {
    if (this.breaker.state === CircuitState.Closed) return;
    this.breaker = this.newBreaker();
    this.logger.log('Redis answers again');
  }

  private newBreaker(): CircuitBreakerPolicy {
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: this.retryAfterMs, breaker: new ConsecutiveBreaker(FAILURES_TO_OPEN) });
    breaker.onBreak(() => this.logger.warn('Redis is not answering: caches miss and rate limits count in this process until it is back'));
    breaker.onReset(() => {
      this.logger.log('Redis answers again');
      for (const listener of this.recovered) listener();
    });
    return breaker;
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
    this.recovered.push(listener);
  }
}

import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  noop,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { LlmError } from '../llm.errors.js';

export type LlmPolicyOptions = {
  maxConcurrency: number;
  maxQueue: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  attemptTimeoutMs: number;
  circuitFailures: number;
  circuitHalfOpenMs: number;
  /** Backoff base; tests shorten it. */
  baseDelayMs?: number;
  maxDelayMs?: number;
};

export const llmPolicyConfig = configSlice('llm-policies', [
  'LLM_MAX_CONCURRENCY',
  'LLM_MAX_QUEUE',
  'ANTHROPIC_MAX_RETRIES',
  'ANTHROPIC_TIMEOUT',
  'LLM_CIRCUIT_FAILURES',
  'LLM_CIRCUIT_HALF_OPEN_SECONDS',
  'LLM_RETRY_BASE_MS',
]);

/** The policy settings of the environment. */
export function policyOptions(config: ConfigOf<typeof llmPolicyConfig>): LlmPolicyOptions {
  return {
    maxConcurrency: config.LLM_MAX_CONCURRENCY,
    maxQueue: config.LLM_MAX_QUEUE,
    maxRetries: config.ANTHROPIC_MAX_RETRIES,
    attemptTimeoutMs: config.ANTHROPIC_TIMEOUT * 1000,
    circuitFailures: config.LLM_CIRCUIT_FAILURES,
    circuitHalfOpenMs: config.LLM_CIRCUIT_HALF_OPEN_SECONDS * 1000,
    baseDelayMs: config.LLM_RETRY_BASE_MS,
  };
}

export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated';

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/** Seconds a caller turned away by the bulkhead is told to wait. */
export const BUSY_RETRY_AFTER_MS = 5000;

const isLlmError = (e: unknown): e is LlmError => e instanceof LlmError;

/** Added to a provider's retry-after, up to this share of it (and at most RETRY_AFTER_JITTER_MAX_MS). */
const RETRY_AFTER_JITTER = 0.2;
const RETRY_AFTER_JITTER_MAX_MS = 2000;

/**
 * The resilience stack for LLM calls, from cockatiel: overall deadline → bulkhead → retry with
 * exponential backoff and full jitter (or the provider's retry-after / retry-after-ms plus a
 * little jitter, and its x-should-retry verdict) → a circuit breaker per provider/model that
 * throttling (429) never opens → a per-attempt timeout. A retry whose wait would pass the
 * deadline is not made: the caller learns at once that it is throttled.
 */
export class LlmPolicies {
  private readonly bulkhead: BulkheadPolicy;
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private throttled = 0;

  constructor(private readonly options: LlmPolicyOptions) {
    this.bulkhead = bulkhead(options.maxConcurrency, options.maxQueue);
  }

  /**
   * Runs `attempt` under the policies. Failures come out as LlmError: `busy` when the bulkhead
   * is full, `circuit_open` when the breaker is open, `timeout` past the deadline (if one is given).
   */
  async execute<T>(
    circuitKey: string,
    deadlineMs: number | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
    cancel?: AbortSignal,
  ): Promise<T> {
    // Without a caller's deadline the call is still bounded: each attempt times out, retries are
    // counted and backoff is capped.
    const deadlineAt = deadlineMs === undefined ? Infinity : Date.now() + deadlineMs;
    const policy = wrap(
      deadlineMs === undefined ? noop : timeout(deadlineMs, TimeoutStrategy.Aggressive),
      this.bulkhead,
      this.retryPolicy(deadlineAt),
      this.breakerFor(circuitKey),
      timeout(this.options.attemptTimeoutMs, TimeoutStrategy.Cooperative),
    );
    try {
      return await policy.execute(({ signal }) => this.counted(attempt(signal)), cancel);
    } catch (error) {
      throw toLlmError(error);
    }
  }

  /** 429s answered so far: throttling is counted apart from failures. */
  get rateLimited(): number {
    return this.throttled;
  }

  private async counted<T>(run: Promise<T>): Promise<T> {
    try {
      return await run;
    } catch (error) {
      if (isLlmError(error) && error.kind === 'rate_limited') this.throttled++;
      throw error;
    }
  }

  circuitStates(): Record<string, CircuitStateName> {
    return Object.fromEntries([...this.breakers].map(([key, breaker]) => [key, STATE_NAMES[breaker.state]]));
  }

  get inFlight(): number {
    return this.options.maxConcurrency - this.bulkhead.executionSlots;
  }

  get queued(): number {
    return this.options.maxQueue - this.bulkhead.queueSlots;
  }

  private breakerFor(key: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      // Only availability failures open the circuit; a bad request or bad output says nothing
      // about it, and throttling asks us to slow down, not to stop.
      breaker = circuitBreaker(
        handleWhen((e) => isLlmError(e) && e.retryable && e.kind !== 'rate_limited'),
        { halfOpenAfter: this.options.circuitHalfOpenMs, breaker: new ConsecutiveBreaker(this.options.circuitFailures) },
      );
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  private retryPolicy(deadlineAt: number) {
    const base = this.options.baseDelayMs ?? 500;
    const cap = this.options.maxDelayMs ?? 10_000;
    const delayFor = (error: LlmError, attempt: number): number => {
      const retryAfter = error.details.retryAfterMs;
      if (retryAfter !== undefined) {
        // The provider's wait, honoured in full, plus a little jitter so a crowd does not return at once.
        return Math.round(retryAfter + Math.random() * Math.min(retryAfter * RETRY_AFTER_JITTER, RETRY_AFTER_JITTER_MAX_MS));
      }
      // Full jitter: a random delay up to the exponential ceiling.
      return Math.round(Math.random() * Math.min(cap, base * 2 ** (attempt - 1)));
    };
    // Decided once per failure, so the predicate and the backoff agree on the wait.
    const planned = new WeakMap<LlmError, number>();
    let failures = 0;
    return retry(
      handleWhen((e) => {
        if (!isLlmError(e) || !e.retryable) return false;
        const wait = delayFor(e, ++failures);
        // Without a deadline a provider's wait is still bounded by the backoff cap's scale.
        const limit = deadlineAt === Infinity ? Math.max(cap, 60_000) : deadlineAt - Date.now() - MIN_ATTEMPT_MS;
        if (wait > limit) return false;
        planned.set(e, wait);
        return true;
      }),
      {
        maxAttempts: this.options.maxRetries,
        backoff: new DelegateBackoff<{ attempt: number; result: { error: unknown } | { value: unknown } }>((context) => {
          const error = 'error' in context.result ? context.result.error : undefined;
          return (isLlmError(error) ? planned.get(error) : undefined) ?? 0;
        }),
      },
    );
  }
}

/** A retry is only worth making with at least this long left before the deadline. */
const MIN_ATTEMPT_MS = 100;

function toLlmError(error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof BulkheadRejectedError) {
    return new LlmError('busy', 'Too many LLM calls are in flight or waiting', { retryAfterMs: BUSY_RETRY_AFTER_MS });
  }
  if (error instanceof BrokenCircuitError) return new LlmError('circuit_open', 'The circuit for this model is open');
  if (error instanceof TaskCancelledError) return new LlmError('timeout', 'The LLM call passed its deadline');
  return new LlmError('server_error', error instanceof Error ? error.message : 'Unknown LLM failure');
}

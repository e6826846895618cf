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
import type { AppConfig } from '../../config/config.loader.js';
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

/** The policy settings of the environment. */
export function policyOptions(config: AppConfig): LlmPolicyOptions {
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

/**
 * The resilience stack for LLM calls, from cockatiel: overall deadline → bulkhead → retry with
 * exponential backoff and full jitter (honouring `retry-after`) → a circuit breaker per
 * provider/model → a per-attempt timeout.
 */
export class LlmPolicies {
  private readonly bulkhead: BulkheadPolicy;
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly chains = new Map<string, ReturnType<typeof wrap>>();

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
    const policy = this.policyFor(circuitKey, deadlineMs);
    try {
      return (await policy.execute(({ signal }) => attempt(signal), cancel)) as T;
    } catch (error) {
      throw toLlmError(error);
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

  /** The policies hold no per-call state (timers live per execution), so one chain serves every call. */
  private policyFor(circuitKey: string, deadlineMs: number | undefined) {
    const key = `${circuitKey}\u0000${deadlineMs ?? ''}`;
    let policy = this.chains.get(key);
    if (!policy) {
      policy = wrap(
        deadlineMs === undefined ? noop : timeout(deadlineMs, TimeoutStrategy.Aggressive),
        this.bulkhead,
        this.retryPolicy(),
        this.breakerFor(circuitKey),
        timeout(this.options.attemptTimeoutMs, TimeoutStrategy.Cooperative),
      );
      this.chains.set(key, policy);
    }
    return policy;
  }

  private breakerFor(key: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      // Only availability failures open the circuit; a bad request or bad output says nothing about it.
      breaker = circuitBreaker(
        handleWhen((e) => isLlmError(e) && e.retryable),
        { halfOpenAfter: this.options.circuitHalfOpenMs, breaker: new ConsecutiveBreaker(this.options.circuitFailures) },
      );
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  private retryPolicy() {
    const base = this.options.baseDelayMs ?? 500;
    const cap = this.options.maxDelayMs ?? 10_000;
    return retry(handleWhen((e) => isLlmError(e) && e.retryable), {
      maxAttempts: this.options.maxRetries,
      backoff: new DelegateBackoff<{ attempt: number; result: { error: unknown } | { value: unknown } }>((context) => {
        const error = 'error' in context.result ? context.result.error : undefined;
        const retryAfter = isLlmError(error) ? error.details.retryAfterMs : undefined;
        if (retryAfter !== undefined) return Math.min(retryAfter, cap);
        // Full jitter: a random delay up to the exponential ceiling.
        return Math.round(Math.random() * Math.min(cap, base * 2 ** (context.attempt - 1)));
      }),
    });
  }
}

function toLlmError(error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof BulkheadRejectedError) {
    return new LlmError('busy', 'Too many LLM calls are in flight or waiting', { retryAfterMs: BUSY_RETRY_AFTER_MS });
  }
  if (error instanceof BrokenCircuitError) return new LlmError('circuit_open', 'The circuit for this model is open');
  if (error instanceof TaskCancelledError) return new LlmError('timeout', 'The LLM call passed its deadline');
  return new LlmError('server_error', error instanceof Error ? error.message : 'Unknown LLM failure');
}

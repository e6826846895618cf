import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { FEATURES, LLM_FEATURES } from '../common/features/index.js';
import { AppMetrics } from '../common/metrics/index.js';
import { configSlice, type ConfigOf } from '../config/index.js';
import type { PriceSource } from '../usage/index.js';
import { UsageLogService } from '../usage/index.js';
import type {
  AdapterResponse,
  AuthCheck,
  BatchItem,
  BillingContext,
  LlmAdapter,
  LlmClient,
  LlmProviderName,
  LlmRequest,
  LlmResult,
  LlmUsage,
} from './llm-client.port.js';
import { LlmError } from './llm.errors.js';
import { LLM_ADAPTER } from './llm.tokens.js';
import { modelFor } from './models/model-selection.js';
import { formatUsd } from '../common/money/index.js';
import { priceOverride } from './pricing/configured-price.js';
import { computeCost, type PriceOverride, type TokenUsage } from './pricing/cost-calculator.js';
import { assertNoIdentity } from './privacy.js';
import { LlmPolicies } from './resilience/llm-policies.js';

const AUTH_RECHECK_MS = 60_000;
/** Which model each feature uses, and the prices configured for a model the price list lacks. */
export const modelConfig = configSlice('llm-models', [
  'ANTHROPIC_MODEL',
  'LLM_MODEL',
  ...LLM_FEATURES.map((f) => FEATURES[f].model.env),
  'LLM_PRICE_INPUT',
  'LLM_PRICE_OUTPUT',
  'LLM_PRICE_CACHE_READ',
  'LLM_PRICE_CACHE_WRITE',
]);

const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };

/**
 * The LLM port's one implementation: picks the model for the feature, runs the provider adapter
 * under the resilience policies, prices and logs every attempt, and serves the deterministic
 * fallback when the model fails and the feature has one.
 */
@Injectable()
export class LlmGateway implements LlmClient {
  private readonly logger = new Logger('LlmGateway');
  private readonly warned = new Set<string>();
  private readonly override: PriceOverride | undefined;
  /** The provider's verdict on our credentials; `invalid` serves the rules answer without calling. */
  private authState: AuthCheck['status'] | 'unchecked' = 'unchecked';
  private authCheckedAt = 0;
  private authCheck?: Promise<AuthCheck['status']>;

  constructor(
    @Inject(LLM_ADAPTER) private readonly adapter: LlmAdapter,
    private readonly usage: UsageLogService,
    private readonly policies: LlmPolicies,
    @Inject(modelConfig.KEY) private readonly config: ConfigOf<typeof modelConfig>,
    @Optional() metrics?: AppMetrics,
  ) {
    this.override = priceOverride(config, adapter.provider);
    const states = { closed: 0, half_open: 1, open: 2, isolated: 3 } as const;
    metrics?.gauge('llm_circuit_state', 'Circuit per provider:model (0 closed, 1 half-open, 2 open, 3 isolated)', ['circuit'], (g) => {
      for (const [circuit, state] of Object.entries(this.policies.circuitStates())) g.set({ circuit }, states[state]);
    });
  }

  get provider(): LlmProviderName {
    return this.adapter.provider;
  }

  /** For health and metrics: breaker states, bulkhead occupancy, SDK clients made. */
  stats() {
    return {
      provider: this.adapter.provider,
      clientsCreated: this.adapter.clientsCreated,
      circuits: this.policies.circuitStates(),
      inFlight: this.policies.inFlight,
      queued: this.policies.queued,
      rateLimited: this.policies.rateLimited,
      auth: this.provider === 'rules' ? ('ok' as const) : this.authState,
    };
  }

  /**
   * Asks the provider whether it accepts our credentials, without spending tokens. Bounded by
   * `timeoutMs`: an unreachable provider leaves the state `unknown`, never blocks.
   */
  async checkAuth(timeoutMs = 5000): Promise<AuthCheck['status'] | 'unchecked'> {
    if (!this.adapter.checkAuth) return this.authState;
    this.authCheck ??= (async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const verdict = await this.adapter.checkAuth!(controller.signal);
        this.authState = verdict.status;
        return verdict.status;
      } finally {
        clearTimeout(timer);
        this.authCheckedAt = Date.now();
        this.authCheck = undefined;
      }
    })();
    return this.authCheck;
  }

  async complete<T>(request: LlmRequest<T>, billing: BillingContext): Promise<LlmResult<T>> {
    const callId = randomUUID();
    const started = performance.now();
    const model = modelFor(request.feature, this.config);
    const base = { callId, provider: this.provider, model, started };

    if (this.adapter.provider === 'rules') {
      // No model, no network, no cost: nothing to guard, meter or log.
      const answer = await this.adapter.call(request, model, new AbortController().signal);
      return this.result(base, answer.value, 'rules', NO_TOKENS, 0, 0);
    }
    assertNoIdentity([...request.system, request.input], billing.studentId);
    if (this.authState === 'invalid') {
      // A refused key is not tried per request; it is checked again (free) once a minute.
      if (Date.now() - this.authCheckedAt > AUTH_RECHECK_MS) void this.checkAuth().catch(() => undefined);
      const failure = new LlmError('auth', 'The model provider refused our credentials');
      await this.log(base, request, billing, 0, 'rejected', failure.kind, NO_TOKENS, { microUsd: 0, priced: 'none' }, started);
      if (!request.fallback) throw failure;
      return { ...this.result(base, request.fallback(), 'fallback', NO_TOKENS, 0, 0), error: failure };
    }

    let attempts = 0;
    let current: Promise<unknown> | undefined;
    try {
      const { response, costMicroUsd } = await this.policies.execute(
        `${this.provider}:${model}`,
        request.deadlineMs,
        (signal) => {
          const run = this.attempt(base, request, billing, ++attempts, signal);
          current = run;
          return run;
        },
        request.signal,
      );
      return this.result(base, response.value, 'llm', response.usage, costMicroUsd, attempts);
    } catch (error) {
      // Past the deadline the attempt in flight has been aborted: let it log itself first.
      await current?.catch(() => undefined);
      const failure = asLlmError(error);
      // Turned away before any attempt (bulkhead full, circuit open, deadline spent queueing).
      if (attempts === 0) {
        await this.log(base, request, billing, 0, 'rejected', failure.kind, NO_TOKENS, { microUsd: 0, priced: 'none' }, started);
      }
      if (!request.fallback) throw failure;
      await this.log(base, request, billing, 0, 'fallback', failure.kind, NO_TOKENS, { microUsd: 0, priced: 'none' }, started);
      this.logger.warn({ call_id: callId, feature: request.feature, model, error: failure.kind }, 'LLM failed; served the rules answer');
      return { ...this.result(base, request.fallback(), 'fallback', NO_TOKENS, 0, attempts), error: failure };
    }
  }

  /** Whether this provider can take Message Batches. */
  get batchCapable(): boolean {
    return this.adapter.batches !== undefined;
  }

  /** Sends requests of one feature as a Message Batch; returns the provider's batch id. */
  async submitBatch(items: BatchItem<unknown>[]): Promise<string> {
    if (!this.adapter.batches || items.length === 0) throw new LlmError('invalid_request', 'This provider takes no batches');
    const feature = items[0]!.request.feature;
    for (const item of items) assertNoIdentity([...item.request.system, item.request.input], item.billing.studentId);
    return this.adapter.batches.create(items, modelFor(feature, this.config));
  }

  /**
   * A batch's results once it has ended, each priced at the batch price and logged like a call
   * (one row per request, latency from `submittedAt`); `in_progress` before.
   */
  async batchResults<T>(
    batchId: string,
    items: ReadonlyArray<BatchItem<T>>,
    submittedAt: Date,
  ): Promise<'in_progress' | Array<{ customId: string; result?: LlmResult<T>; error?: LlmError }>> {
    if (!this.adapter.batches) throw new LlmError('invalid_request', 'This provider takes no batches');
    const byId = new Map(items.map((item) => [item.customId, item]));
    const outcomes = await this.adapter.batches.results(batchId, new Map(items.map((item) => [item.customId, item.request])));
    if (outcomes === 'in_progress') return outcomes;
    const since = performance.now() - (Date.now() - submittedAt.getTime());
    const done: Array<{ customId: string; result?: LlmResult<T>; error?: LlmError }> = [];
    for (const outcome of outcomes) {
      const item = byId.get(outcome.customId)!;
      const model = modelFor(item.request.feature, this.config);
      const base = { callId: randomUUID(), provider: this.provider, model, started: since };
      const usage = outcome.ok ? outcome.response.usage : (outcome.error.details.usage ?? NO_TOKENS);
      const cost = this.price(model, usage, true);
      if (outcome.ok) {
        await this.log(base, item.request, item.billing, 1, 'success', null, usage, cost, since, batchId);
        done.push({ customId: outcome.customId, result: this.result(base, outcome.response.value, 'llm', usage, cost.microUsd, 1) });
      } else {
        await this.log(base, item.request, item.billing, 1, 'error', outcome.error.kind, usage, cost, since, batchId);
        done.push({ customId: outcome.customId, error: outcome.error });
      }
    }
    return done;
  }

  /** One provider call, priced and logged whatever its outcome. */
  private async attempt<T>(
    base: { callId: string; provider: LlmProviderName; model: string },
    request: LlmRequest<T>,
    billing: BillingContext,
    attempt: number,
    signal: AbortSignal,
  ): Promise<{ response: AdapterResponse<T>; costMicroUsd: number }> {
    const { model } = base;
    const started = performance.now();
    try {
      const response = await this.adapter.call(request, model, signal);
      const cost = this.price(model, response.usage);
      await this.log(base, request, billing, attempt, 'success', null, response.usage, cost, started, response.providerRequestId);
      return { response, costMicroUsd: cost.microUsd };
    } catch (error) {
      const failure = asLlmError(error, signal);
      if (failure.kind === 'auth') {
        this.authState = 'invalid';
        this.authCheckedAt = Date.now();
      }
      const spent = failure.details.usage ?? NO_TOKENS;
      const outcome = failure.kind === 'timeout' ? 'timeout' : 'error';
      await this.log(base, request, billing, attempt, outcome, failure.kind, spent, this.price(model, spent), started, failure.details.providerRequestId);
      throw failure;
    }
  }

  private price(model: string, usage: TokenUsage, batch = false): { microUsd: number; priced: PriceSource } {
    const cost = computeCost(model, usage, {
      at: new Date(),
      batch,
      override: this.override,
      // A local server's model names say nothing about Anthropic's list.
      preferOverride: this.provider === 'openai-compatible',
    });
    if (cost.priced === 'fallback') this.warnOnce(`fallback:${model}`, { model }, 'Model missing from the price list: priced at the highest listed rates');
    if (cost.priced === 'local') this.warnOnce(`local:${model}`, { model }, 'Local model priced at $0 (set LLM_PRICE_INPUT and LLM_PRICE_OUTPUT if it costs money)');
    for (const warning of cost.warnings) this.warnOnce(warning, { model }, `Usage value the price list does not know: ${warning}`);
    return { microUsd: cost.microUsd, priced: cost.priced };
  }

  private warnOnce(key: string, context: Record<string, unknown>, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(context, message);
  }

  private async log(
    base: { callId: string; provider: LlmProviderName; model: string },
    request: LlmRequest<unknown>,
    billing: BillingContext,
    attempt: number,
    outcome: 'success' | 'error' | 'timeout' | 'rejected' | 'fallback',
    errorCode: string | null,
    usage: TokenUsage,
    cost: { microUsd: number; priced: PriceSource },
    since: number,
    providerRequestId?: string,
  ): Promise<void> {
    await this.usage.record({
      callId: base.callId,
      attempt,
      studentId: billing.studentId,
      feature: request.feature,
      referenceId: billing.referenceId ?? null,
      variant: billing.variant ?? null,
      provider: base.provider,
      model: base.model,
      outcome,
      errorCode,
      tokensInput: usage.inputTokens,
      tokensOutput: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWrite5mTokens: usage.cacheWrite5mTokens,
      cacheWrite1hTokens: usage.cacheWrite1hTokens,
      costUsd: formatUsd(cost.microUsd),
      priceSource: cost.priced,
      latencyMs: performance.now() - since,
      requestId: billing.requestId ?? null,
      providerRequestId: providerRequestId ?? null,
    });
  }

  private result<T>(
    base: { callId: string; provider: LlmProviderName; model: string; started: number },
    value: T,
    source: LlmResult<T>['source'],
    usage: TokenUsage,
    costMicroUsd: number,
    attempts: number,
  ): LlmResult<T> {
    const fullUsage: LlmUsage = { ...usage, costMicroUsd };
    return {
      value,
      source,
      provider: base.provider,
      model: base.model,
      usage: fullUsage,
      attempts,
      latencyMs: Math.round(performance.now() - base.started),
      callId: base.callId,
    };
  }
}

function asLlmError(error: unknown, signal?: AbortSignal): LlmError {
  if (error instanceof LlmError) return error;
  if (signal?.aborted) return new LlmError('timeout', 'The LLM call was cut off at its deadline');
  return new LlmError('server_error', error instanceof Error ? error.message : 'Unknown LLM failure');
}

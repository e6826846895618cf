import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppMetrics } from '../common/metrics/metrics.js';
import { APP_CONFIG } from '../config/app-config.module.js';
import type { AppConfig } from '../config/config.loader.js';
import type { PriceSource } from '../usage/llm-usage-log.entity.js';
import { UsageLogService } from '../usage/usage-log.service.js';
import type {
  AdapterResponse,
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
import { computeCost, microUsdToDecimal, type TokenUsage } from './pricing/cost-calculator.js';
import { assertNoIdentity } from './privacy.js';
import { LlmPolicies } from './resilience/llm-policies.js';

const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };

/**
 * The LLM port's one implementation: picks the model for the feature, runs the provider adapter
 * under the resilience policies, prices and logs every attempt, and serves the deterministic
 * fallback when the model fails and the feature has one.
 */
@Injectable()
export class LlmGateway implements LlmClient {
  private readonly logger = new Logger('LlmGateway');
  private readonly warnedUnpriced = new Set<string>();

  constructor(
    @Inject(LLM_ADAPTER) private readonly adapter: LlmAdapter,
    private readonly usage: UsageLogService,
    private readonly policies: LlmPolicies,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() metrics?: AppMetrics,
  ) {
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
    };
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
      const spent = failure.details.usage ?? NO_TOKENS;
      const outcome = failure.kind === 'timeout' ? 'timeout' : 'error';
      await this.log(base, request, billing, attempt, outcome, failure.kind, spent, this.price(model, spent), started, failure.details.providerRequestId);
      throw failure;
    }
  }

  private price(model: string, usage: TokenUsage): { microUsd: number; priced: PriceSource } {
    const cost = computeCost(model, usage, { at: new Date() });
    if (cost.priced === 'fallback' && !this.warnedUnpriced.has(model)) {
      this.warnedUnpriced.add(model);
      this.logger.warn({ model }, 'Model missing from the price list: priced at the fallback rate');
    }
    return { microUsd: cost.microUsd, priced: cost.priced };
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
      costUsd: microUsdToDecimal(cost.microUsd),
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

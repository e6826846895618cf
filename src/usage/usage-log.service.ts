import { Injectable, Logger, Optional } from '@nestjs/common';
import { AppMetrics } from '../common/metrics/metrics.js';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { LlmUsageLog, type PriceSource, type UsageOutcome } from './llm-usage-log.entity.js';

export type UsageEntry = {
  callId: string;
  attempt: number;
  studentId: string | null;
  feature: string;
  referenceId: string | null;
  variant: string | null;
  provider: string;
  model: string;
  outcome: UsageOutcome;
  errorCode: string | null;
  tokensInput: number;
  tokensOutput: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  /** Exact dollars as a decimal string (numeric in SQL). */
  costUsd: string;
  priceSource: PriceSource;
  latencyMs: number;
  requestId: string | null;
  providerRequestId: string | null;
};

/**
 * Writes the usage log. A failed write never reaches the caller: it is logged and counted, and
 * the user's request goes on.
 */
@Injectable()
export class UsageLogService {
  private readonly logger = new Logger(UsageLogService.name);
  private failedWrites = 0;

  constructor(
    @InjectRepository(LlmUsageLog) private readonly logs: Repository<LlmUsageLog>,
    @Optional() private readonly metrics?: AppMetrics,
  ) {}

  async record(entry: UsageEntry): Promise<void> {
    this.observe(entry);
    try {
      await this.logs.insert({
        callId: entry.callId,
        attempt: entry.attempt,
        studentId: entry.studentId,
        feature: entry.feature,
        referenceId: entry.referenceId,
        variant: entry.variant,
        provider: entry.provider,
        model: entry.model,
        outcome: entry.outcome,
        success: entry.outcome === 'success',
        errorCode: entry.errorCode,
        tokensInput: entry.tokensInput,
        tokensOutput: entry.tokensOutput,
        cacheReadTokens: entry.cacheReadTokens,
        cacheWriteTokens: entry.cacheWrite5mTokens + entry.cacheWrite1hTokens,
        cacheWrite1hTokens: entry.cacheWrite1hTokens,
        costUsd: entry.costUsd,
        priceSource: entry.priceSource,
        latencyMs: Math.max(0, Math.round(entry.latencyMs)),
        requestId: entry.requestId,
        providerRequestId: entry.providerRequestId,
      });
    } catch (error) {
      this.failedWrites++;
      this.metrics?.usageWriteFailures.inc();
      this.logger.error(
        { err: error, call_id: entry.callId, feature: entry.feature, outcome: entry.outcome },
        'Could not write an LLM usage row',
      );
    }
  }

  private observe(entry: UsageEntry): void {
    if (!this.metrics || entry.attempt === 0) return;
    const labels = { feature: entry.feature, model: entry.model };
    this.metrics.llmDuration.observe({ ...labels, outcome: entry.outcome }, entry.latencyMs / 1000);
    this.metrics.llmTokens.inc({ ...labels, kind: 'input' }, entry.tokensInput);
    this.metrics.llmTokens.inc({ ...labels, kind: 'output' }, entry.tokensOutput);
    this.metrics.llmTokens.inc({ ...labels, kind: 'cache_read' }, entry.cacheReadTokens);
    this.metrics.llmTokens.inc({ ...labels, kind: 'cache_write' }, entry.cacheWrite5mTokens + entry.cacheWrite1hTokens);
    this.metrics.llmCost.inc(labels, Number(entry.costUsd));
  }

  /** How many usage rows could not be written since the process started (a metric). */
  get writeFailures(): number {
    return this.failedWrites;
  }
}

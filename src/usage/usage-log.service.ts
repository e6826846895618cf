import { Injectable, Logger, Optional } from '@nestjs/common';
import { AppMetrics } from '../common/metrics/index.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PriceSource, UsageOutcome } from './llm-usage-log.entity.js';

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
    @InjectDataSource() private readonly db: DataSource,
    @Optional() private readonly metrics?: AppMetrics,
  ) {}

  async record(entry: UsageEntry): Promise<void> {
    this.observe(entry);
    try {
      // Plain SQL: the ORM's insert cost four times this statement, on every LLM call.
      await this.db.query(
        `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, reference_id, variant, provider, model, outcome,
           success, error_code, tokens_input, tokens_output, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
           cost_usd, price_source, latency_ms, request_id, provider_request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
        [
          entry.callId,
          entry.attempt,
          entry.studentId,
          entry.feature,
          entry.referenceId,
          entry.variant,
          entry.provider,
          entry.model,
          entry.outcome,
          entry.outcome === 'success',
          entry.errorCode,
          entry.tokensInput,
          entry.tokensOutput,
          entry.cacheReadTokens,
          entry.cacheWrite5mTokens + entry.cacheWrite1hTokens,
          entry.cacheWrite1hTokens,
          entry.costUsd,
          entry.priceSource,
          Math.max(0, Math.round(entry.latencyMs)),
          entry.requestId,
          entry.providerRequestId,
        ],
      );
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

import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppMetrics } from '../common/metrics/index.js';
import { isDatabaseUnavailable } from '../common/errors/index.js';
import { configSlice, type ConfigOf } from '../config/index.js';
import type { UsageEntry } from './usage-entry.js';
import { UsageJournal } from './usage-journal.js';
import { UsageLogRepository } from './usage-log.repository.js';

export type { UsageEntry } from './usage-entry.js';

/** While rows wait in the journal, the database is tried this often. */
const REPLAY_EVERY_MS = 2000;

export const usageLogConfig = configSlice('usage-log', ['DATA_DIR', 'USAGE_JOURNAL_DIR']);

/**
 * Writes the usage log: one row per provider call attempt and outcome. A row the database does
 * not take (it is away, or the statement failed) goes to the local usage journal, fsynced before
 * `record()` returns, and is replayed as soon as the database answers again, or at the next boot.
 * Either way it never fails the user's request, and no provider call goes unrecorded.
 */
@Injectable()
export class UsageLogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UsageLogService.name);
  private readonly journal: UsageJournal<UsageEntry>;
  private failedWrites = 0;
  private journaled = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rows: UsageLogRepository,
    @Inject(usageLogConfig.KEY) config: ConfigOf<typeof usageLogConfig>,
    @Optional() private readonly metrics?: AppMetrics,
  ) {
    const dir = resolve(config.USAGE_JOURNAL_DIR ?? join(config.DATA_DIR, 'usage-journal'));
    this.journal = new UsageJournal(dir, rows.scope);
  }

  /** Rows left by an earlier process (killed while the database was away) go in now. */
  onApplicationBootstrap(): void {
    void this.replay();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  async record(entry: UsageEntry): Promise<void> {
    this.observe(entry);
    try {
      await this.rows.insert(entry);
    } catch (error) {
      this.failedWrites++;
      this.metrics?.usageWriteFailures.inc();
      this.logger.warn({ err: error, call_id: entry.callId, feature: entry.feature, outcome: entry.outcome }, 'Usage row not written: kept in the journal');
      try {
        await this.journal.append([{ ...entry, at: entry.at ?? new Date().toISOString() }]);
        this.journaled++;
        this.scheduleReplay();
      } catch (journalError) {
        this.logger.error({ err: journalError, call_id: entry.callId }, 'Could not write an LLM usage row, nor keep it in the journal');
      }
    }
  }

  /** Writes what the journal holds; resolves with the rows written (0 while the database is away). */
  async replay(): Promise<number> {
    try {
      const { written, rejected } = await this.journal.replay((rows) => this.insertAll(rows));
      for (const row of rejected) {
        this.logger.error({ call_id: row.callId, feature: row.feature, outcome: row.outcome }, 'Dropped a journaled usage row the database refuses');
      }
      if (written > 0) this.logger.log({ rows: written }, 'Wrote journaled LLM usage rows');
      return written;
    } catch (error) {
      this.logger.warn({ err: error }, 'Journaled usage rows not written yet; retrying');
      this.scheduleReplay();
      return 0;
    }
  }

  /** How many usage rows could not be written at once since the process started (a metric). */
  get writeFailures(): number {
    return this.failedWrites;
  }

  private scheduleReplay(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.replay();
    }, REPLAY_EVERY_MS);
    this.timer.unref();
  }

  /** Row by row, so one the database refuses for good (not an outage) does not hold back the rest. */
  private async insertAll(rows: UsageEntry[]): Promise<{ rejected: UsageEntry[] }> {
    const rejected: UsageEntry[] = [];
    for (const row of rows) {
      try {
        await this.rows.insert(row);
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        rejected.push(row);
      }
    }
    return { rejected };
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
}

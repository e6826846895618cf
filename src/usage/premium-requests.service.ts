import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PremiumFeature } from '../common/features/index.js';

export type PremiumRequestRecord = {
  feature: PremiumFeature;
  variant: string;
  studentId: string | null;
  source: 'llm' | 'rules' | 'cache' | 'fallback' | 'rejected';
  latencyMs: number;
};

type PendingRow = PremiumRequestRecord & { at: Date };

/** Rows wait at most this long, or until this many are waiting, then go in one INSERT. */
const FLUSH_AFTER_MS = 50;
const MAX_BATCH = 500;
/** While the database is away, older rows are dropped beyond this (memory stays bounded). */
const MAX_PENDING = 20_000;

/**
 * One row per premium request however it was served, for the operators' metrics. Written in
 * batches off the request path: an analytics row must never cost the student a database round
 * trip, nor fail a request. Readers in this process call `flush()` first.
 */
@Injectable()
export class PremiumRequestsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('PremiumRequests');
  private pending: PendingRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  record(entry: PremiumRequestRecord): void {
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.dropped++;
    }
    this.pending.push({ ...entry, at: new Date() });
    if (this.pending.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes every row recorded so far; resolves when they are in (or their write failed). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    // Batches go in order, one at a time, so a flush also waits for the writes before it.
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  /** Before the database pool closes (TypeORM closes it on application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(rows: PendingRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += MAX_BATCH) {
      const batch = rows.slice(i, i + MAX_BATCH);
      try {
        await this.db.query(
          `INSERT INTO premium_requests (feature, variant, student_id, source, latency_ms, created_at)
           SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::uuid[], $4::varchar[], $5::int[], $6::timestamptz[])`,
          [
            batch.map((r) => r.feature),
            batch.map((r) => r.variant),
            batch.map((r) => r.studentId),
            batch.map((r) => r.source),
            batch.map((r) => Math.max(0, Math.round(r.latencyMs))),
            batch.map((r) => r.at),
          ],
        );
      } catch (error) {
        this.logger.warn({ err: error, rows: batch.length }, 'Could not record premium requests');
      }
    }
    if (this.dropped > 0) {
      this.logger.warn({ rows: this.dropped }, 'Dropped premium request rows while the database was away');
      this.dropped = 0;
    }
  }
}

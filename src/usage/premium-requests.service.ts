import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { PremiumFeature } from '../common/features/index.js';
import { PremiumRequestsRepository, type PremiumRequestRow, type RequestFigures } from './premium-requests.repository.js';

export type PremiumRequestRecord = {
  feature: PremiumFeature;
  variant: string;
  studentId: string | null;
  source: PremiumRequestRow['source'];
  latencyMs: number;
};

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
  private pending: PremiumRequestRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(private readonly repository: PremiumRequestsRepository) {}

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

  /** Per feature and variant over [from, to), this instance's own requests included. */
  async figures(from: Date, to: Date): Promise<RequestFigures[]> {
    await this.flush();
    return this.repository.figures(from, to);
  }

  /** Before the database pool closes (TypeORM closes it on application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(rows: PremiumRequestRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += MAX_BATCH) {
      const batch = rows.slice(i, i + MAX_BATCH);
      try {
        await this.repository.insertMany(batch);
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

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type PremiumRequestRecord = {
  feature: 'adaptive_paths' | 'assessments';
  variant: string;
  studentId: string | null;
  source: 'llm' | 'rules' | 'cache' | 'fallback' | 'rejected';
  latencyMs: number;
};

/** One row per premium request however it was served, for the operators' metrics. Never fails a request. */
@Injectable()
export class PremiumRequestsService {
  private readonly logger = new Logger('PremiumRequests');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(entry: PremiumRequestRecord): Promise<void> {
    try {
      await this.db.query(
        'INSERT INTO premium_requests (feature, variant, student_id, source, latency_ms) VALUES ($1, $2, $3, $4, $5)',
        [entry.feature, entry.variant, entry.studentId, entry.source, Math.max(0, Math.round(entry.latencyMs))],
      );
    } catch (error) {
      this.logger.warn({ err: error, feature: entry.feature }, 'Could not record a premium request');
    }
  }
}

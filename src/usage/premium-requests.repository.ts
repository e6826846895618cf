import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type PremiumRequestRow = {
  feature: string;
  variant: string;
  studentId: string | null;
  source: 'llm' | 'rules' | 'cache' | 'fallback' | 'rejected';
  latencyMs: number;
  at: Date;
};

/** How one feature variant's requests were served over a window. */
export type RequestFigures = {
  feature: string;
  variant: string;
  requests: number;
  cacheHits: number;
  fallbacks: number;
  /** Requests not refused (the base of the cache hit and fallback rates). */
  served: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
};

/** The premium_requests table: one row per premium request, however it was served. */
@Injectable()
export class PremiumRequestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One statement for the whole batch. */
  async insertMany(rows: PremiumRequestRow[]): Promise<void> {
    await this.db.query(
      `INSERT INTO premium_requests (feature, variant, student_id, source, latency_ms, created_at)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::uuid[], $4::varchar[], $5::int[], $6::timestamptz[])`,
      [
        rows.map((r) => r.feature),
        rows.map((r) => r.variant),
        rows.map((r) => r.studentId),
        rows.map((r) => r.source),
        rows.map((r) => Math.max(0, Math.round(r.latencyMs))),
        rows.map((r) => r.at),
      ],
    );
  }

  async deleteForStudents(studentIds: string[]): Promise<void> {
    await this.db.query('DELETE FROM premium_requests WHERE student_id = ANY($1)', [studentIds]);
  }

  /** Per feature and variant, the requests created in [from, to). */
  async figures(from: Date, to: Date): Promise<RequestFigures[]> {
    const rows: { feature: string; variant: string; requests: number; cache_hits: number; fallbacks: number; served: number; p50: number | null; p95: number | null }[] =
      await this.db.query(
        `SELECT feature, variant, count(*)::int AS requests,
                count(*) FILTER (WHERE source = 'cache')::int AS cache_hits,
                count(*) FILTER (WHERE source = 'fallback')::int AS fallbacks,
                count(*) FILTER (WHERE source <> 'rejected')::int AS served,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
           FROM premium_requests WHERE created_at >= $1 AND created_at < $2
          GROUP BY 1, 2`,
        [from, to],
      );
    return rows.map((r) => ({
      feature: r.feature,
      variant: r.variant,
      requests: r.requests,
      cacheHits: r.cache_hits,
      fallbacks: r.fallbacks,
      served: r.served,
      p50LatencyMs: r.p50 === null ? null : Number(r.p50),
      p95LatencyMs: r.p95 === null ? null : Number(r.p95),
    }));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FEATURES } from '../../common/features/index.js';
import { divideMicro, microToUsd, sqlSumMicroUsd } from '../../common/money/index.js';
import { PremiumRequestsService } from '../../usage/index.js';
import type { FeatureMetricsDto } from './metrics.dto.js';

type Row = Record<string, string | number | null>;

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

/** Per feature and variant over a window: what was asked, how it was served, what it cost. */
@Injectable()
export class MetricsReportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requests: PremiumRequestsService,
  ) {}

  async report(from: Date, to: Date): Promise<FeatureMetricsDto[]> {
    // This instance's own requests are counted even if their batch has not gone in yet.
    await this.requests.flush();
    const [requests, calls, completion] = await Promise.all([
      this.db.query<Row[]>(
        `SELECT feature, variant, count(*)::int AS requests,
                count(*) FILTER (WHERE source = 'cache')::int AS cache_hits,
                count(*) FILTER (WHERE source = 'fallback')::int AS fallbacks,
                count(*) FILTER (WHERE source <> 'rejected')::int AS served,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
           FROM premium_requests WHERE created_at >= $1 AND created_at < $2
          GROUP BY 1, 2`,
        [from, to],
      ),
      this.db.query<Row[]>(
        `SELECT feature, coalesce(variant, 'default') AS variant,
                count(*) FILTER (WHERE outcome IN ('success', 'error', 'timeout'))::int AS llm_calls,
                count(*) FILTER (WHERE outcome IN ('error', 'timeout'))::int AS failed,
                ${sqlSumMicroUsd('cost_usd')} AS cost_micro
           FROM llm_usage_logs WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2
          GROUP BY 1, 2`,
        [from, to],
      ),
      this.db.query<Row[]>(
        `SELECT $3::text AS feature, p.variant, count(*)::int AS paths,
                count(*) FILTER (WHERE EXISTS (
                  SELECT 1 FROM quiz_results r JOIN quizzes q ON q.quiz_id = r.quiz_id
                   WHERE r.student_id = p.student_id AND r.passed AND r.completed_at > p.generated_at
                     AND q.chapter_id = p.recommendations -> 0 ->> 'chapter_id'))::int AS completed
           FROM adaptive_paths p WHERE p.generated_at >= $1 AND p.generated_at < $2
          GROUP BY 1, 2`,
        [from, to, FEATURES.adaptive_paths.name],
      ),
    ]);
    const keys = new Set([...requests, ...calls, ...completion].map((r) => `${String(r.feature)}|${String(r.variant)}`));
    const find = (rows: Row[], key: string) => rows.find((r) => `${String(r.feature)}|${String(r.variant)}` === key);
    return [...keys].sort().map((key) => {
      const [feature, variant] = key.split('|') as [string, string];
      const req = find(requests, key);
      const call = find(calls, key);
      const done = find(completion, key);
      const requestsN = Number(req?.requests ?? 0);
      const costMicro = Number(call?.cost_micro ?? 0);
      const llmCalls = Number(call?.llm_calls ?? 0);
      return {
        feature,
        variant,
        requests: requestsN,
        llm_calls: llmCalls,
        cache_hit_rate: ratio(Number(req?.cache_hits ?? 0), Number(req?.served ?? 0)),
        fallback_rate: ratio(Number(req?.fallbacks ?? 0), Number(req?.served ?? 0)),
        latency_ms: {
          p50: req?.p50 === null || req?.p50 === undefined ? null : Math.round(Number(req.p50)),
          p95: req?.p95 === null || req?.p95 === undefined ? null : Math.round(Number(req.p95)),
        },
        error_rate: ratio(Number(call?.failed ?? 0), llmCalls),
        cost_usd: microToUsd(costMicro),
        cost_per_request: requestsN === 0 ? null : microToUsd(divideMicro(costMicro, requestsN)),
        completion_rate: done ? ratio(Number(done.completed), Number(done.paths)) : null,
      };
    });
  }
}

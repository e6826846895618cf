import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { reportRange } from '../reporting/report-range.js';
import { formatUsd, sqlSumMicroUsd } from '../../common/money/index.js';
import { APP_CONFIG } from '../../config/index.js';
import type { AppConfig } from '../../config/index.js';
import type { CostGroup } from './costs.dto.js';

export type CostRow = {
  key: string | null;
  full_name?: string | null;
  /** By student only: the UTC months ('YYYY-MM') in which this student's spend within the range reached the alert threshold. */
  over_threshold_months?: string[];
  total_requests: number;
  failed_requests: number;
  cost_micro: number;
  tokens_input: number;
  tokens_output: number;
};

/** LLM_COST_ALERT_THRESHOLD (micro-dollars per student per month) and LLM_ERROR_RATE_ALERT_PERCENT. */
export type CostThresholds = { costMicro: number; errorRatePercent: number };

export type CostReport = {
  start: string;
  end: string;
  group: CostGroup;
  rows: CostRow[];
  total: Omit<CostRow, 'key' | 'full_name'> & { students: number };
  alerts: { type: string; level: string; student_id: string | null; observed: string; threshold: string; period: string; created_at: Date }[];
};

const GROUP_SQL: Record<CostGroup, string> = {
  feature: 'l.feature',
  model: 'l.model',
  student: 'l.student_id::text',
  day: `to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};


/**
 * The cost report, in SQL over live usage rows. Money is summed as numeric and handed over as
 * integer micro-dollars, so every breakdown adds up to the total exactly.
 */
@Injectable()
export class CostReportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(startDate: string, endDate: string, group: CostGroup): Promise<CostReport> {
    const { from, to } = reportRange(startDate, endDate);
    const expr = GROUP_SQL[group];
    const rows: Record<string, string | number | null>[] = await this.db.query(
      `SELECT ${expr} AS key,
              ${group === 'student' ? 'max(s.full_name) AS full_name,' : ''}
              count(*) FILTER (WHERE l.outcome = 'success')::int AS total_requests,
              count(*) FILTER (WHERE l.outcome IN ('error', 'timeout'))::int AS failed_requests,
              ${sqlSumMicroUsd('l.cost_usd')} AS cost_micro,
              coalesce(sum(l.tokens_input), 0)::bigint::text AS tokens_input,
              coalesce(sum(l.tokens_output), 0)::bigint::text AS tokens_output
         FROM llm_usage_logs l
         ${group === 'student' ? 'LEFT JOIN students s ON s.student_id = l.student_id' : ''}
        WHERE l.deleted_at IS NULL AND l.created_at >= $1 AND l.created_at < $2
        GROUP BY 1
        ORDER BY ${group === 'day' ? '1 ASC' : 'sum(l.cost_usd) DESC, 1 ASC'}`,
      [from, to],
    );
    const [students]: { n: number }[] = await this.db.query(
      `SELECT count(DISTINCT student_id)::int AS n FROM llm_usage_logs
        WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2 AND student_id IS NOT NULL`,
      [from, to],
    );
    const over = group === 'student' ? await this.monthsOverThreshold(from, to) : new Map<string, string[]>();
    const parsed = rows.map((r) => ({
      key: r.key === null ? null : String(r.key),
      ...(group === 'student' && {
        full_name: r.full_name === null ? null : String(r.full_name),
        over_threshold_months: r.key === null ? [] : (over.get(String(r.key)) ?? []),
      }),
      total_requests: Number(r.total_requests),
      failed_requests: Number(r.failed_requests),
      cost_micro: Number(r.cost_micro),
      tokens_input: Number(r.tokens_input),
      tokens_output: Number(r.tokens_output),
    }));
    const total = parsed.reduce(
      (t, r) => ({
        total_requests: t.total_requests + r.total_requests,
        failed_requests: t.failed_requests + r.failed_requests,
        cost_micro: t.cost_micro + r.cost_micro,
        tokens_input: t.tokens_input + r.tokens_input,
        tokens_output: t.tokens_output + r.tokens_output,
      }),
      { total_requests: 0, failed_requests: 0, cost_micro: 0, tokens_input: 0, tokens_output: 0 },
    );
    const alerts = await this.db.query<CostReport['alerts']>(
      `SELECT type, level, student_id, observed::text AS observed, threshold::text AS threshold, period, created_at
         FROM llm_alerts WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at DESC LIMIT 200`,
      [from, to],
    );
    return { start: startDate, end: endDate, group, rows: parsed, total: { ...total, students: students?.n ?? 0 }, alerts };
  }

  /**
   * Per student, the calendar months (UTC) in which their spend within [from, to) reached
   * LLM_COST_ALERT_THRESHOLD: the per-student monthly rule the scheduled check raises a
   * COST_THRESHOLD_EXCEEDED alert on, applied to this range's rows. A threshold of 0 is off.
   */
  private async monthsOverThreshold(from: Date, to: Date): Promise<Map<string, string[]>> {
    const over = new Map<string, string[]>();
    const threshold = this.config.LLM_COST_ALERT_THRESHOLD;
    if (threshold <= 0) return over;
    const rows: { student: string; month: string }[] = await this.db.query(
      `SELECT l.student_id::text AS student, to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month
         FROM llm_usage_logs l
        WHERE l.deleted_at IS NULL AND l.student_id IS NOT NULL AND l.created_at >= $1 AND l.created_at < $2
        GROUP BY 1, 2
       HAVING sum(l.cost_usd) >= $3::numeric
        ORDER BY 1, 2`,
      [from, to, formatUsd(threshold)],
    );
    for (const { student, month } of rows) over.set(student, [...(over.get(student) ?? []), month]);
    return over;
  }

  /** The alert thresholds the report states, so that clients judge by the same numbers as the alerts. */
  get thresholds(): CostThresholds {
    return { costMicro: this.config.LLM_COST_ALERT_THRESHOLD, errorRatePercent: this.config.LLM_ERROR_RATE_ALERT_PERCENT };
  }
}

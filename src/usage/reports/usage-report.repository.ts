import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { sqlSumMicroUsd } from '../../common/money/index.js';

export type UsageGroup = 'feature' | 'model' | 'student' | 'day';

/** One group's calls over a window. Money in integer micro-dollars, summed exactly in SQL. */
export type UsageTotals = {
  /** The group's value (a student id, a UTC day, ...); null for calls billed to no student. */
  key: string | null;
  successfulCalls: number;
  failedCalls: number;
  costMicro: number;
  tokensInput: number;
  tokensOutput: number;
};

/** A feature variant's LLM calls over a window (variant 'default' when the call had none). */
export type CallFigures = { feature: string; variant: string; llmCalls: number; failed: number; costMicro: number };

const GROUP_SQL: Record<UsageGroup, string> = {
  feature: 'feature',
  model: 'model',
  student: 'student_id::text',
  day: `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

/**
 * The operators' reads of llm_usage_logs: live rows (not deleted) in a time range, aggregated in
 * SQL (the report index covers these columns: an index-only scan).
 */
@Injectable()
export class UsageReportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Per group over [from, to): by day in date order, otherwise the costliest first. */
  async totals(from: Date, to: Date, group: UsageGroup): Promise<UsageTotals[]> {
    const rows: { key: string | null; ok: number; failed: number; cost_micro: string; tokens_input: string; tokens_output: string }[] = await this.db.query(
      `SELECT ${GROUP_SQL[group]} AS key,
              count(*) FILTER (WHERE outcome = 'success')::int AS ok,
              count(*) FILTER (WHERE outcome IN ('error', 'timeout'))::int AS failed,
              ${sqlSumMicroUsd('cost_usd')} AS cost_micro,
              coalesce(sum(tokens_input), 0)::bigint::text AS tokens_input,
              coalesce(sum(tokens_output), 0)::bigint::text AS tokens_output
         FROM llm_usage_logs
        WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2
        GROUP BY 1
        ORDER BY ${group === 'day' ? '1 ASC' : 'sum(cost_usd) DESC, 1 ASC'}`,
      [from, to],
    );
    return rows.map((r) => ({
      key: r.key,
      successfulCalls: r.ok,
      failedCalls: r.failed,
      costMicro: Number(r.cost_micro),
      tokensInput: Number(r.tokens_input),
      tokensOutput: Number(r.tokens_output),
    }));
  }

  /** How many students had calls in [from, to). */
  /** Each (student, UTC month 'YYYY-MM') whose spend within [from, to) reached thresholdUsd. */
  async studentMonthsSpending(from: Date, to: Date, thresholdUsd: string): Promise<{ student: string; month: string }[]> {
    return this.db.query(
      `SELECT student_id::text AS student, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month
         FROM llm_usage_logs
        WHERE deleted_at IS NULL AND student_id IS NOT NULL AND created_at >= $1 AND created_at < $2
        GROUP BY 1, 2
       HAVING sum(cost_usd) >= $3::numeric
        ORDER BY 1, 2`,
      [from, to, thresholdUsd],
    );
  }

  async studentCount(from: Date, to: Date): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `SELECT count(DISTINCT student_id)::int AS n FROM llm_usage_logs
        WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2 AND student_id IS NOT NULL`,
      [from, to],
    );
    return rows[0]?.n ?? 0;
  }

  /** Per feature and variant over [from, to): the calls that reached a model, those that failed, their cost. */
  async callFigures(from: Date, to: Date): Promise<CallFigures[]> {
    const rows: { feature: string; variant: string; llm_calls: number; failed: number; cost_micro: string }[] = await this.db.query(
      `SELECT feature, coalesce(variant, 'default') AS variant,
              count(*) FILTER (WHERE outcome IN ('success', 'error', 'timeout'))::int AS llm_calls,
              count(*) FILTER (WHERE outcome IN ('error', 'timeout'))::int AS failed,
              ${sqlSumMicroUsd('cost_usd')} AS cost_micro
         FROM llm_usage_logs WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2
        GROUP BY 1, 2`,
      [from, to],
    );
    return rows.map((r) => ({ feature: r.feature, variant: r.variant, llmCalls: r.llm_calls, failed: r.failed, costMicro: Number(r.cost_micro) }));
  }

  /**
   * Students whose spend in [from, through] reached `percent`% of `thresholdUsd` (exact decimal
   * text), with that spend as numeric text.
   */
  async studentsSpending(from: Date, through: Date, thresholdUsd: string, percent: number): Promise<{ studentId: string; costUsd: string }[]> {
    const rows: { student_id: string; cost: string }[] = await this.db.query(
      `SELECT student_id::text, sum(cost_usd)::text AS cost
         FROM llm_usage_logs
        WHERE deleted_at IS NULL AND student_id IS NOT NULL AND created_at >= $1 AND created_at <= $2
        GROUP BY student_id
       HAVING sum(cost_usd) * 100 >= $3::numeric * $4`,
      [from, through, thresholdUsd, percent],
    );
    return rows.map((r) => ({ studentId: r.student_id, costUsd: r.cost }));
  }

  /** Everything spent in [from, through], as numeric text. */
  async spend(from: Date, through: Date): Promise<string> {
    const rows: { cost: string }[] = await this.db.query(
      `SELECT coalesce(sum(cost_usd), 0)::text AS cost FROM llm_usage_logs
        WHERE deleted_at IS NULL AND created_at >= $1 AND created_at <= $2`,
      [from, through],
    );
    return rows[0]?.cost ?? '0';
  }

  /**
   * Calls that reached a model in (after, through]: how many, how many failed, and the failed
   * share in percent (numeric text, six decimals; null with no calls).
   */
  async attempts(after: Date, through: Date): Promise<{ total: number; failed: number; failedPercent: string | null }> {
    const rows: { total: number; failed: number; failed_percent: string | null }[] = await this.db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT success)::int AS failed,
              round(count(*) FILTER (WHERE NOT success)::numeric * 100 / nullif(count(*), 0), 6)::text AS failed_percent
         FROM llm_usage_logs
        WHERE deleted_at IS NULL AND outcome IN ('success', 'error', 'timeout') AND created_at > $1 AND created_at <= $2`,
      [after, through],
    );
    const row = rows[0];
    return { total: row?.total ?? 0, failed: row?.failed ?? 0, failedPercent: row?.failed_percent ?? null };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { StudentsService } from '../../core/index.js';
import { UsageReportRepository } from '../../usage/index.js';
import { AlertsRepository, type ReportedAlert } from '../alerts/alerts.repository.js';
import { reportRange } from '../reporting/report-range.js';
import { formatUsd } from '../../common/money/index.js';
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
  alerts: ReportedAlert[];
};

/** The cost report lists at most this many alerts, the latest. */
const MAX_ALERTS = 200;

export const costReportConfig = configSlice('cost-report', ['LLM_COST_ALERT_THRESHOLD', 'LLM_ERROR_RATE_ALERT_PERCENT']);

/**
 * The cost report over live usage rows (usage sums them in SQL). Money is summed as numeric and
 * handed over as integer micro-dollars, so every breakdown adds up to the total exactly.
 */
@Injectable()
export class CostReportService {
  constructor(
    private readonly usage: UsageReportRepository,
    private readonly students: StudentsService,
    private readonly alertRows: AlertsRepository,
    @Inject(costReportConfig.KEY) private readonly config: ConfigOf<typeof costReportConfig>,
  ) {}

  async report(startDate: string, endDate: string, group: CostGroup): Promise<CostReport> {
    const { from, to } = reportRange(startDate, endDate);
    const [totals, students, alerts] = await Promise.all([
      this.usage.totals(from, to, group),
      this.usage.studentCount(from, to),
      this.alertRows.recent(from, to, MAX_ALERTS),
    ]);
    const studentIds = totals.flatMap((t) => (t.key === null ? [] : [t.key]));
    const [names, over] =
      group === 'student' ? await Promise.all([this.students.fullNames(studentIds), this.monthsOverThreshold(from, to)]) : [undefined, undefined];
    const parsed = totals.map((t) => ({
      key: t.key,
      ...(names && { full_name: t.key === null ? null : (names.get(t.key) ?? null) }),
      ...(over && { over_threshold_months: t.key === null ? [] : (over.get(t.key) ?? []) }),
      total_requests: t.successfulCalls,
      failed_requests: t.failedCalls,
      cost_micro: t.costMicro,
      tokens_input: t.tokensInput,
      tokens_output: t.tokensOutput,
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
    return { start: startDate, end: endDate, group, rows: parsed, total: { ...total, students }, alerts };
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
    const rows = await this.usage.studentMonthsSpending(from, to, formatUsd(threshold));
    for (const { student, month } of rows) over.set(student, [...(over.get(student) ?? []), month]);
    return over;
  }

  /** The alert thresholds the report states, so that clients judge by the same numbers as the alerts. */
  get thresholds(): CostThresholds {
    return { costMicro: this.config.LLM_COST_ALERT_THRESHOLD, errorRatePercent: this.config.LLM_ERROR_RATE_ALERT_PERCENT };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { StudentsService } from '../../core/index.js';
import { UsageReportRepository } from '../../usage/index.js';
import { AlertsRepository, type ReportedAlert } from '../alerts/alerts.repository.js';
import { reportRange } from '../reporting/report-range.js';
import type { CostGroup } from './costs.dto.js';

export type CostRow = {
  key: string | null;
  full_name?: string | null;
  total_requests: number;
  failed_requests: number;
  cost_micro: number;
  tokens_input: number;
  tokens_output: number;
};

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

export const costReportConfig = configSlice('cost-report', ['LLM_COST_ALERT_THRESHOLD']);

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
    const names = group === 'student' ? await this.students.fullNames(totals.flatMap((t) => (t.key === null ? [] : [t.key]))) : undefined;
    const parsed = totals.map((t) => ({
      key: t.key,
      ...(names && { full_name: t.key === null ? null : (names.get(t.key) ?? null) }),
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

  get thresholdMicro(): number {
    return this.config.LLM_COST_ALERT_THRESHOLD;
  }
}

import { divideMicro, microToUsd, parseUsd } from '../../common/money/index.js';
import type { CostReport, CostThresholds } from './cost-report.service.js';
import type { CostAlertDto, CostReportBody, CostRowBody } from './costs.dto.js';

/** The report as API.md's body: money from micro-dollars, an error-rate alert's rate in its own field. */
export function toCostReportBody(r: CostReport, thresholds: CostThresholds): CostReportBody {
  const rows: CostRowBody[] = r.rows.map((row) => ({
    [r.group]: row.key,
    ...(r.group === 'student' && { full_name: row.full_name ?? null, over_threshold_months: row.over_threshold_months ?? [] }),
    total_requests: row.total_requests,
    failed_requests: row.failed_requests,
    total_cost_usd: microToUsd(row.cost_micro),
    average_cost_per_request: microToUsd(divideMicro(row.cost_micro, row.total_requests)),
    tokens_input: row.tokens_input,
    tokens_output: row.tokens_output,
  }));
  return {
    period: { start_date: r.start, end_date: r.end },
    total_cost_usd: microToUsd(r.total.cost_micro),
    total_requests: r.total.total_requests,
    failed_requests: r.total.failed_requests,
    average_cost_per_student: microToUsd(divideMicro(r.total.cost_micro, r.total.students)),
    average_cost_per_request: microToUsd(divideMicro(r.total.cost_micro, r.total.total_requests)),
    tokens_input: r.total.tokens_input,
    tokens_output: r.total.tokens_output,
    threshold_usd: microToUsd(thresholds.costMicro),
    error_rate_threshold_percent: thresholds.errorRatePercent,
    [`breakdown_by_${r.group}`]: rows,
    alerts: r.alerts.map((a): CostAlertDto => {
      const rate = a.type === 'ERROR_RATE_HIGH';
      // Money is numeric(14, 6) text, read exactly; a rate is a percentage, not money.
      const observed = rate ? Number(a.observed) : microToUsd(parseUsd(a.observed));
      const threshold = rate ? Number(a.threshold) : microToUsd(parseUsd(a.threshold));
      return {
        type: a.type,
        level: a.level,
        student_id: a.student_id,
        cost_usd: observed,
        threshold_usd: threshold,
        error_rate_percent: rate ? observed : null,
        error_rate_threshold_percent: rate ? threshold : null,
        period: a.period,
        created_at: a.created_at.toISOString(),
      };
    }),
  };
}

import { toCostReportBody } from './cost-report.mapper.js';
import type { CostReport } from './cost-report.service.js';

const at = new Date('2026-03-15T13:00:00.000Z');
const report: CostReport = {
  start: '2026-03-01',
  end: '2026-03-31',
  group: 'model',
  rows: [
    { key: 'claude-sonnet-5-5', total_requests: 3, failed_requests: 1, cost_micro: 1_000_000, tokens_input: 900, tokens_output: 300 },
    { key: 'claude-haiku-5-5', total_requests: 0, failed_requests: 2, cost_micro: 14, tokens_input: 10, tokens_output: 0 },
  ],
  total: { total_requests: 3, failed_requests: 3, cost_micro: 1_000_014, tokens_input: 910, tokens_output: 300, students: 4 },
  alerts: [
    { type: 'COST_THRESHOLD_EXCEEDED', level: 'alert', student_id: 'abc', observed: '0.550000', threshold: '0.500000', period: '2026-03', created_at: at },
    { type: 'ERROR_RATE_HIGH', level: 'warning', student_id: null, observed: '12.500000', threshold: '10.000000', period: '2026-03-15T12', created_at: at },
  ],
};

describe('toCostReportBody', () => {
  const body = toCostReportBody(report, { costMicro: 500_000, errorRatePercent: 5 });

  it('turns micro-dollars into dollars, with averages rounded half-up to a micro-dollar', () => {
    expect(body).toMatchObject({
      period: { start_date: '2026-03-01', end_date: '2026-03-31' },
      total_cost_usd: 1.000014,
      total_requests: 3,
      failed_requests: 3,
      average_cost_per_student: 0.250004, // 1 000 014 / 4 = 250 003.5 -> 250 004
      average_cost_per_request: 0.333338, // 1 000 014 / 3 = 333 338
      threshold_usd: 0.5,
      error_rate_threshold_percent: 5,
    });
    expect(body.breakdown_by_model).toEqual([
      { model: 'claude-sonnet-5-5', total_requests: 3, failed_requests: 1, total_cost_usd: 1, average_cost_per_request: 0.333333, tokens_input: 900, tokens_output: 300 },
      { model: 'claude-haiku-5-5', total_requests: 0, failed_requests: 2, total_cost_usd: 0.000014, average_cost_per_request: 0, tokens_input: 10, tokens_output: 0 },
    ]);
  });

  it('gives an error-rate alert its rate in fields of its own, and keeps cost_usd as before', () => {
    expect(body.alerts).toEqual([
      {
        type: 'COST_THRESHOLD_EXCEEDED', level: 'alert', student_id: 'abc', cost_usd: 0.55, threshold_usd: 0.5,
        error_rate_percent: null, error_rate_threshold_percent: null, period: '2026-03', created_at: '2026-03-15T13:00:00.000Z',
      },
      {
        type: 'ERROR_RATE_HIGH', level: 'warning', student_id: null, cost_usd: 12.5, threshold_usd: 10,
        error_rate_percent: 12.5, error_rate_threshold_percent: 10, period: '2026-03-15T12', created_at: '2026-03-15T13:00:00.000Z',
      },
    ]);
  });

  it('gives each student row the months the API counts as over the threshold, an empty list when none', () => {
    const byStudent = toCostReportBody(
      {
        ...report,
        group: 'student',
        rows: [
          { key: 's1', full_name: 'Ada', over_threshold_months: ['2026-02', '2026-03'], total_requests: 2, failed_requests: 0, cost_micro: 1_200_000, tokens_input: 1, tokens_output: 1 },
          { key: 's2', full_name: null, total_requests: 1, failed_requests: 0, cost_micro: 10, tokens_input: 1, tokens_output: 1 },
        ],
      },
      { costMicro: 500_000, errorRatePercent: 5 },
    );
    expect(byStudent.breakdown_by_student?.map((r) => [r.student, r.full_name, r.over_threshold_months])).toEqual([
      ['s1', 'Ada', ['2026-02', '2026-03']],
      ['s2', null, []],
    ]);
    expect(byStudent.breakdown_by_model).toBeUndefined();
  });
});

/** What the dashboard's panels read from the API's answers (public/admin/js/report.js). */
import {
  alertsToList,
  bestOf,
  breakdown,
  failureRateReached,
  featureList,
  isOver,
  monthsOver,
  topByCost,
  variantsByFeature,
} from '../../../public/admin/js/report.js';

describe('dashboard report reading', () => {
  it("reads the breakdown named after the group, or none", () => {
    const rows = [{ day: '2026-03-01' }];
    expect(breakdown({ breakdown_by_day: rows }, 'day')).toBe(rows);
    expect(breakdown({ breakdown_by_day: rows }, 'feature')).toEqual([]);
    expect(breakdown({ breakdown_by_feature: 'oops' }, 'feature')).toEqual([]);
    expect(breakdown(null, 'day')).toEqual([]);
  });

  it('counts a student over the threshold exactly when the API names a month, whatever the amount', () => {
    expect(isOver({ total_cost_usd: 0.01, over_threshold_months: ['2026-02'] })).toBe(true);
    expect(monthsOver({ over_threshold_months: ['2026-02', '2026-03'] })).toEqual(['2026-02', '2026-03']);
    expect(isOver({ total_cost_usd: 99, over_threshold_months: [] })).toBe(false);
    // A report without the field (an older server) marks nobody: the dashboard has no rule of its own.
    expect(isOver({ total_cost_usd: 99 })).toBe(false);
  });

  it('takes the top n by cost, most first, keeping the API order among equals', () => {
    const rows = [
      { s: 'a', total_cost_usd: 0.1 },
      { s: 'b', total_cost_usd: 0.3 },
      { s: 'c', total_cost_usd: 0.1 },
      { s: 'd', total_cost_usd: 'x' },
      { s: 'e', total_cost_usd: 0.2 },
    ];
    expect(topByCost(rows, 3).map((r) => r.s)).toEqual(['b', 'e', 'a']);
    expect(topByCost(rows, 10).map((r) => r.s)).toEqual(['b', 'e', 'a', 'c', 'd']);
    expect(topByCost([], 10)).toEqual([]);
  });

  it("warns on failures from the API's error-rate percentage, reached exactly", () => {
    expect(failureRateReached(95, 5, 5)).toBe(true); // 5 of 100 attempts is 5 %
    expect(failureRateReached(96, 4, 5)).toBe(false);
    expect(failureRateReached(19, 1, 5)).toBe(true);
    expect(failureRateReached(91, 9, 10)).toBe(false);
    expect(failureRateReached(0, 0, 5)).toBe(false);
    expect(failureRateReached(0, 3, 100)).toBe(true);
    // No percentage from the API: no warning rather than a guess.
    expect(failureRateReached(0, 50, undefined)).toBe(false);
  });

  it('lists stored alerts newest first, and the over-threshold students without a stored cost alert', () => {
    const alerts = [
      { type: 'DAILY_BUDGET_EXCEEDED', student_id: null, created_at: '2026-03-02T00:00:00Z' },
      { type: 'COST_THRESHOLD_EXCEEDED', student_id: 's1', created_at: '2026-03-05T00:00:00Z' },
      { type: 'ERROR_RATE_HIGH', student_id: null, created_at: '2026-03-03T00:00:00Z' },
    ];
    const over = [{ student: 's1' }, { student: 's2' }, { student: null }];
    const list = alertsToList(alerts, over);
    expect(list.stored.map((a) => a.type)).toEqual(['COST_THRESHOLD_EXCEEDED', 'ERROR_RATE_HIGH', 'DAILY_BUDGET_EXCEEDED']);
    expect(list.unalerted).toEqual([{ student: 's2' }, { student: null }]);
    expect(alerts[0]!.type).toBe('DAILY_BUDGET_EXCEEDED'); // the API's list is not reordered in place
  });

  it("lists every feature the flags API lists, in its order, then other features the numbers name", () => {
    const flags = [{ feature: 'adaptive_paths' }, { feature: 'assessments' }, { feature: 'tutor_questions' }];
    expect(featureList(flags, [{ feature: 'assessments' }])).toEqual(['adaptive_paths', 'assessments', 'tutor_questions']);
    expect(featureList(flags, [{ feature: 'zeta' }, { feature: 'retired' }, { feature: 'zeta' }, { feature: null }])).toEqual([
      'adaptive_paths', 'assessments', 'tutor_questions', '(none)', 'retired', 'zeta',
    ]);
    expect(featureList([], [{ feature: 'b' }, { feature: 'a' }])).toEqual(['a', 'b']);
  });

  it('groups the variant rows per feature, a feature without requests with none', () => {
    const rows = [
      { feature: 'assessments', variant: 'rules' },
      { feature: 'adaptive_paths', variant: 'static' },
      { feature: 'assessments', variant: 'llm' },
      { feature: 'adaptive_paths', variant: 'adaptive' },
    ];
    expect(variantsByFeature(['adaptive_paths', 'assessments', 'tutor_questions'], rows)).toEqual([
      { feature: 'adaptive_paths', rows: [rows[3], rows[1]] },
      { feature: 'assessments', rows: [rows[2], rows[0]] },
      { feature: 'tutor_questions', rows: [] },
    ]);
  });

  it('marks the best of two or more values, and nothing on a tie or a single value', () => {
    const pick = (r: { v: unknown }) => r.v;
    expect(bestOf([{ v: 0.3 }, { v: 0.1 }, { v: 0.2 }], pick, 'min')).toBe(0.1);
    expect(bestOf([{ v: 0.3 }, { v: 0.1 }, { v: 0.2 }], pick, 'max')).toBe(0.3);
    expect(bestOf([{ v: 0.3 }, { v: null }], pick, 'min')).toBeNull();
    expect(bestOf([{ v: 0.2 }, { v: '0.2' }], pick, 'min')).toBeNull();
    expect(bestOf([], pick, 'max')).toBeNull();
  });
});

import { alertEmailSubject, alertEmailText, alertLogFields, alertWebhookPayload, describeAlert } from './alert-rendering.js';
import type { AlertView } from './alert.types.js';

const STUDENT = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';

const cost: AlertView = {
  alert_id: '11111111-2222-4333-8444-555555555555',
  type: 'COST_THRESHOLD_EXCEEDED',
  level: 'alert',
  student_id: STUDENT,
  subject: STUDENT,
  period: '2026-03',
  observed: '0.550000',
  threshold: '0.500000',
  created_at: '2026-03-15T12:30:00.000Z',
};
const budget: AlertView = {
  ...cost,
  type: 'DAILY_BUDGET_EXCEEDED',
  level: 'warning',
  student_id: null,
  subject: 'global',
  period: '2026-03-15',
  observed: '8.125000',
  threshold: '10.000000',
};
const errors: AlertView = { ...budget, type: 'ERROR_RATE_HIGH', level: 'alert', period: '2026-03-15T12', observed: '7.500000', threshold: '5' };

describe('alert rendering', () => {
  it('names the level, type and subject in the e-mail subject: the student, or the global subject and its period', () => {
    expect(alertEmailSubject(cost)).toBe(`[Course Companion] ALERT: COST_THRESHOLD_EXCEEDED for student ${STUDENT}`);
    expect(alertEmailSubject(budget)).toBe('[Course Companion] WARNING: DAILY_BUDGET_EXCEEDED for global 2026-03-15');
    expect(alertEmailSubject(errors)).toBe('[Course Companion] ALERT: ERROR_RATE_HIGH for global 2026-03-15T12');
  });

  it('writes a per-student cost alert as plain text with dollars to the cent and the dashboard path', () => {
    expect(alertEmailText(cost)).toBe(
      [
        'Course Companion ALERT: COST_THRESHOLD_EXCEEDED',
        '',
        `LLM spend of student ${STUDENT} this month (UTC) has reached 100 % of its threshold.`,
        '',
        'Type:      COST_THRESHOLD_EXCEEDED',
        'Level:     alert',
        `Subject:   student ${STUDENT}`,
        'Period:    2026-03 (UTC)',
        'Observed:  $0.55',
        'Threshold: $0.50 (warning at 80 %, alert at 100 %)',
        'Raised at: 2026-03-15T12:30:00.000Z',
        'Alert id:  11111111-2222-4333-8444-555555555555',
        '',
        'Review it in the admin dashboard: /admin',
        '',
      ].join('\n'),
    );
  });

  it('says 80 % for a warning, keeps sub-cent digits, and writes an error rate in percent, not dollars', () => {
    const warning = alertEmailText({ ...budget, observed: '8.125000' });
    expect(warning).toContain('WARNING: DAILY_BUDGET_EXCEEDED');
    expect(warning).toContain('Total LLM spend today (UTC) has reached 80 % of its threshold.');
    expect(warning).toContain('Subject:   global\n');
    expect(warning).toContain('Observed:  $8.125\n');
    expect(warning).toContain('Threshold: $10.00 (');
    const rate = alertEmailText(errors);
    expect(rate).toContain('Share of LLM call attempts that failed in the last hour has reached 100 % of its threshold.');
    expect(rate).toContain('Observed:  7.5 %\n');
    expect(rate).toContain('Threshold: 5 % (');
    expect(rate).not.toContain('$');
  });

  it('POSTs the stored fields only, and logs them with alert_level (pino owns `level`)', () => {
    const fields = {
      alert_id: cost.alert_id,
      type: 'COST_THRESHOLD_EXCEEDED',
      subject: STUDENT,
      student_id: STUDENT,
      period: '2026-03',
      observed: '0.550000',
      threshold: '0.500000',
      created_at: '2026-03-15T12:30:00.000Z',
    };
    const extra = { ...cost, emailed_at: '2026-03-15T12:30:01.000Z' } as AlertView;
    expect(alertWebhookPayload(extra)).toStrictEqual({ ...fields, level: 'alert' });
    expect(alertLogFields(extra)).toStrictEqual({ ...fields, alert_level: 'alert' });
  });

  it('describes an alert in one line', () => {
    expect(describeAlert(cost)).toBe(`COST_THRESHOLD_EXCEEDED for student ${STUDENT} in 2026-03: observed 0.550000 vs threshold 0.500000`);
    expect(describeAlert(errors)).toBe('ERROR_RATE_HIGH for global in 2026-03-15T12: observed 7.500000 vs threshold 5');
  });
});

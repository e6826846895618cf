import { trimDecimal } from '../../common/money/index.js';
import type { AlertView, AlertWebhookPayload } from './alert.types.js';

/** Where an operator reviews alerts; the e-mail names the path (no public base URL is configured). */
export const ADMIN_PATH = '/admin';

/** E.g. `[Course Companion] ALERT: COST_THRESHOLD_EXCEEDED for student 6f1c…`. */
export function alertEmailSubject(alert: AlertView): string {
  const who = alert.student_id ? `student ${alert.student_id}` : `${alert.subject} ${alert.period}`;
  return `[Course Companion] ${alert.level.toUpperCase()}: ${alert.type} for ${who}`;
}

export function alertEmailText(alert: AlertView): string {
  const percent = alert.type === 'ERROR_RATE_HIGH';
  const amount = (text: string) => (percent ? `${trimDecimal(text, 0)} %` : `$${trimDecimal(text, 2)}`);
  const what: Record<AlertView['type'], string> = {
    COST_THRESHOLD_EXCEEDED: `LLM spend of student ${alert.student_id ?? alert.subject} this month (UTC)`,
    DAILY_BUDGET_EXCEEDED: 'Total LLM spend today (UTC)',
    ERROR_RATE_HIGH: 'Share of LLM call attempts that failed in the last hour',
  };
  const mark = alert.level === 'alert' ? 'has reached 100 %' : 'has reached 80 %';
  return [
    `Course Companion ${alert.level === 'alert' ? 'ALERT' : 'WARNING'}: ${alert.type}`,
    '',
    `${what[alert.type]} ${mark} of its threshold.`,
    '',
    `Type:      ${alert.type}`,
    `Level:     ${alert.level}`,
    `Subject:   ${alert.student_id ? `student ${alert.student_id}` : alert.subject}`,
    `Period:    ${alert.period} (UTC)`,
    `Observed:  ${amount(alert.observed)}`,
    `Threshold: ${amount(alert.threshold)} (warning at 80 %, alert at 100 %)`,
    `Raised at: ${alert.created_at}`,
    `Alert id:  ${alert.alert_id}`,
    '',
    `Review it in the admin dashboard: ${ADMIN_PATH}`,
    '',
  ].join('\n');
}

/** The JSON body POSTed to ALERT_WEBHOOK_URL: the stored alert's fields, nothing else. */
export function alertWebhookPayload(alert: AlertView): AlertWebhookPayload {
  return {
    alert_id: alert.alert_id,
    type: alert.type,
    level: alert.level,
    subject: alert.subject,
    student_id: alert.student_id,
    period: alert.period,
    observed: alert.observed,
    threshold: alert.threshold,
    created_at: alert.created_at,
  };
}

/** The structured fields of a log line about an alert. `alert_level`, not `level`: pino writes its own numeric `level`. */
export function alertLogFields(alert: AlertView): Record<string, string | null> {
  const { level, ...rest } = alertWebhookPayload(alert);
  return { ...rest, alert_level: level };
}

/** The alert in one line, for a log message. */
export function describeAlert(alert: AlertView): string {
  const who = alert.student_id ? `student ${alert.student_id}` : alert.subject;
  return `${alert.type} for ${who} in ${alert.period}: observed ${alert.observed} vs threshold ${alert.threshold}`;
}

export const ALERT_TYPES = ['COST_THRESHOLD_EXCEEDED', 'DAILY_BUDGET_EXCEEDED', 'ERROR_RATE_HIGH'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** 'warning' at 80 % of the threshold, 'alert' at 100 %. */
export type AlertLevel = 'warning' | 'alert';

/** `subject` of the alerts that are not about one student. */
export const GLOBAL_SUBJECT = 'global';

/**
 * A stored alert as the admin side shows it. `observed` and `threshold` are exact decimal strings:
 * dollars, except for ERROR_RATE_HIGH where they are percentages. `threshold` is the configured
 * limit (the 100 % mark) at both levels.
 */
export type AlertView = {
  alert_id: string;
  type: AlertType;
  level: AlertLevel;
  student_id: string | null;
  /** The student id, or 'global'. */
  subject: string;
  /** UTC 'YYYY-MM' (cost), 'YYYY-MM-DD' (daily budget) or 'YYYY-MM-DDTHH' (error rate). */
  period: string;
  observed: string;
  threshold: string;
  /** ISO 8601. */
  created_at: string;
};

/** An alert raised by this evaluation, with what its delivery achieved. */
export type RaisedAlert = AlertView & {
  emailed_at: string | null;
  webhooked_at: string | null;
};

/** The JSON body POSTed to ALERT_WEBHOOK_URL. */
export type AlertWebhookPayload = Pick<
  AlertView,
  'alert_id' | 'type' | 'level' | 'subject' | 'student_id' | 'period' | 'observed' | 'threshold' | 'created_at'
>;

/** A row of llm_alerts as `RETURNING *` / `SELECT *` hands it over (numeric as text). */
export type AlertRow = {
  alert_id: string;
  type: AlertType;
  level: AlertLevel;
  subject: string;
  student_id: string | null;
  period: string;
  observed: string;
  threshold: string;
  created_at: Date;
  emailed_at: Date | null;
  webhooked_at: Date | null;
};

export function toAlertView(row: AlertRow): AlertView {
  return {
    alert_id: row.alert_id,
    type: row.type,
    level: row.level,
    student_id: row.student_id,
    subject: row.subject,
    period: row.period,
    observed: String(row.observed),
    threshold: String(row.threshold),
    created_at: new Date(row.created_at).toISOString(),
  };
}

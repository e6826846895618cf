import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';
import { trimDecimal } from '../../common/money/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import type { AlertView, AlertWebhookPayload } from './alert.types.js';

export type DeliveryResult = { emailed: boolean; webhooked: boolean };

export const alertDeliveryConfig = configSlice('alert-delivery', ['LLM_COST_ALERT_EMAIL', 'ALERT_WEBHOOK_URL', 'SMTP_URL', 'SMTP_SERVER', 'SMTP_PORT', 'SMTP_USERNAME', 'SMTP_PASSWORD', 'SMTP_FROM']);
type DeliveryConfig = ConfigOf<typeof alertDeliveryConfig>;

export const WEBHOOK_TIMEOUT_MS = 5_000;
/** Where an operator reviews alerts; the e-mail names the path (no public base URL is configured). */
export const ADMIN_PATH = '/admin';

const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/**
 * Sends one alert to the operators: by e-mail (LLM_COST_ALERT_EMAIL over SMTP) and, when
 * ALERT_WEBHOOK_URL is set, as a JSON POST. Without SMTP or a recipient the alert is logged
 * instead. Never throws: a failed channel is logged and reported as not delivered, and the other
 * channel is tried all the same. SMTP credentials and the webhook URL (which often holds a token)
 * never reach the log.
 */
@Injectable()
export class AlertDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('AlertDelivery');
  private readonly mailer: Transporter | null;
  private readonly secrets: string[];

  constructor(@Inject(alertDeliveryConfig.KEY) private readonly config: DeliveryConfig) {
    this.mailer = config.LLM_COST_ALERT_EMAIL ? createMailer(config) : null;
    this.secrets = secretsOf(config);
  }

  /** True when alerts go out by e-mail (SMTP and a recipient are configured). */
  get emailEnabled(): boolean {
    return this.mailer !== null;
  }

  get webhookEnabled(): boolean {
    return this.config.ALERT_WEBHOOK_URL !== undefined;
  }

  /** Both channels at once; neither waits on nor spoils the other. */
  async deliver(alert: AlertView): Promise<DeliveryResult> {
    const [emailed, webhooked] = await Promise.all([this.email(alert), this.webhook(alert)]);
    return { emailed, webhooked };
  }

  async email(alert: AlertView): Promise<boolean> {
    const fields = alertLogFields(alert);
    if (!this.mailer) {
      const reason = this.config.LLM_COST_ALERT_EMAIL ? 'no SMTP server configured' : 'no LLM_COST_ALERT_EMAIL configured';
      this.logger.warn({ event: 'llm_alert', delivery: 'log', reason, ...fields }, `LLM ${alert.level}: ${describeAlert(alert)}`);
      return false;
    }
    try {
      await this.mailer.sendMail({
        from: this.config.SMTP_FROM,
        to: this.config.LLM_COST_ALERT_EMAIL,
        subject: alertEmailSubject(alert),
        text: alertEmailText(alert),
      });
      this.logger.log({ event: 'llm_alert', delivery: 'email', ...fields }, `LLM ${alert.level} e-mailed: ${describeAlert(alert)}`);
      return true;
    } catch (error) {
      // The alert itself still lands in the log, so it is never lost silently.
      this.logger.error(
        { event: 'llm_alert_email_failed', delivery: 'log', error: this.describeError(error), ...fields },
        `Could not e-mail an LLM ${alert.level}: ${describeAlert(alert)}`,
      );
      return false;
    }
  }

  async webhook(alert: AlertView): Promise<boolean> {
    const url = this.config.ALERT_WEBHOOK_URL;
    if (!url) return false;
    const target = new URL(url).host;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'course-companion-alerts' },
        body: JSON.stringify(alertWebhookPayload(alert)),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        redirect: 'manual',
      });
      // Release the connection; the body is of no interest.
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) {
        this.logger.warn(
          { event: 'llm_alert_webhook_failed', target, status: response.status, alert_id: alert.alert_id, type: alert.type },
          `Alert webhook answered HTTP ${response.status}`,
        );
        return false;
      }
      return true;
    } catch (error) {
      this.logger.warn(
        { event: 'llm_alert_webhook_failed', target, error: this.describeError(error), alert_id: alert.alert_id, type: alert.type },
        'Alert webhook could not be reached',
      );
      return false;
    }
  }

  onModuleDestroy(): void {
    this.mailer?.close();
  }

  /** What is safe to log about a failure: no stack, no request, no credentials. */
  private describeError(error: unknown): { name: string; message: string; code?: string } {
    // Duck-typed: errors from another realm (or non-Error throws) are not `instanceof Error`.
    const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; code?: unknown };
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: this.redact(typeof e.message === 'string' ? e.message : String(error)),
      ...(typeof e.code === 'string' && { code: e.code }),
    };
  }

  private redact(text: string): string {
    return this.secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  }
}

function createMailer(config: DeliveryConfig): Transporter | null {
  if (config.SMTP_URL) {
    return nodemailer.createTransport({ url: config.SMTP_URL, ...SMTP_TIMEOUTS } satisfies SMTPTransportOptions);
  }
  if (config.SMTP_SERVER) {
    const options: SMTPTransportOptions = {
      host: config.SMTP_SERVER,
      port: config.SMTP_PORT,
      // 465 is implicit TLS; anything else (587, 25) upgrades with STARTTLS when offered.
      secure: config.SMTP_PORT === 465,
      ...SMTP_TIMEOUTS,
      ...(config.SMTP_USERNAME && { auth: { user: config.SMTP_USERNAME, pass: config.SMTP_PASSWORD ?? '' } }),
    };
    return nodemailer.createTransport(options);
  }
  return null;
}

/** Strings that must never appear in a log line, longest first. */
function secretsOf(config: DeliveryConfig): string[] {
  const secrets = new Set<string>();
  if (config.SMTP_PASSWORD) secrets.add(config.SMTP_PASSWORD);
  if (config.ALERT_WEBHOOK_URL) secrets.add(config.ALERT_WEBHOOK_URL);
  if (config.SMTP_URL) {
    secrets.add(config.SMTP_URL);
    try {
      const url = new URL(config.SMTP_URL);
      if (url.password) {
        secrets.add(url.password);
        secrets.add(decodeURIComponent(url.password));
      }
    } catch {
      // Validated at boot; nothing more to hide.
    }
  }
  return [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** `alert_level`, not `level`: pino writes its own numeric `level` into every line. */
function alertLogFields(alert: AlertView): Record<string, string | null> {
  return {
    alert_id: alert.alert_id,
    type: alert.type,
    alert_level: alert.level,
    subject: alert.subject,
    student_id: alert.student_id,
    period: alert.period,
    observed: alert.observed,
    threshold: alert.threshold,
    created_at: alert.created_at,
  };
}

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

function describeAlert(alert: AlertView): string {
  const who = alert.student_id ? `student ${alert.student_id}` : alert.subject;
  return `${alert.type} for ${who} in ${alert.period}: observed ${alert.observed} vs threshold ${alert.threshold}`;
}

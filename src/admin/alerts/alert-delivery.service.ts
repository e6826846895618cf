import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { AlertRedactor } from './alert-redaction.js';
import { alertEmailSubject, alertEmailText, alertLogFields, alertWebhookPayload, describeAlert } from './alert-rendering.js';
import { alertMailTransport, postAlertWebhook, type AlertMailTransport } from './alert-transports.js';
import type { AlertView } from './alert.types.js';

export type DeliveryResult = { emailed: boolean; webhooked: boolean };

export const alertDeliveryConfig = configSlice('alert-delivery', ['LLM_COST_ALERT_EMAIL', 'ALERT_WEBHOOK_URL', 'SMTP_URL', 'SMTP_SERVER', 'SMTP_PORT', 'SMTP_USERNAME', 'SMTP_PASSWORD', 'SMTP_FROM']);
type DeliveryConfig = ConfigOf<typeof alertDeliveryConfig>;

/**
 * Sends one alert to the operators: by e-mail (LLM_COST_ALERT_EMAIL over SMTP) and, when
 * ALERT_WEBHOOK_URL is set, as a JSON POST. Without SMTP or a recipient the alert is logged
 * instead. Never throws: a failed channel is logged and reported as not delivered, and the other
 * channel is tried all the same. What is sent is rendered in alert-rendering.ts, how it leaves is
 * alert-transports.ts, and what a log line may not say is alert-redaction.ts.
 */
@Injectable()
export class AlertDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('AlertDelivery');
  private readonly mail: AlertMailTransport;
  private readonly redactor: AlertRedactor;

  constructor(@Inject(alertDeliveryConfig.KEY) private readonly config: DeliveryConfig) {
    this.mail = alertMailTransport(config);
    this.redactor = AlertRedactor.fromConfig(config);
  }

  /** True when alerts go out by e-mail (SMTP and a recipient are configured). */
  get emailEnabled(): boolean {
    return this.mail.kind === 'smtp';
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
    if (this.mail.kind === 'log') {
      this.logger.warn({ event: 'llm_alert', delivery: 'log', reason: this.mail.reason, ...fields }, `LLM ${alert.level}: ${describeAlert(alert)}`);
      return false;
    }
    try {
      await this.mail.send({ subject: alertEmailSubject(alert), text: alertEmailText(alert) });
      this.logger.log({ event: 'llm_alert', delivery: 'email', ...fields }, `LLM ${alert.level} e-mailed: ${describeAlert(alert)}`);
      return true;
    } catch (error) {
      // The alert itself still lands in the log, so it is never lost silently.
      this.logger.error(
        { event: 'llm_alert_email_failed', delivery: 'log', error: this.redactor.describeError(error), ...fields },
        `Could not e-mail an LLM ${alert.level}: ${describeAlert(alert)}`,
      );
      return false;
    }
  }

  async webhook(alert: AlertView): Promise<boolean> {
    const url = this.config.ALERT_WEBHOOK_URL;
    if (!url) return false;
    // The host only: the path or query often carries a token.
    const target = new URL(url).host;
    try {
      const { ok, status } = await postAlertWebhook(url, alertWebhookPayload(alert));
      if (!ok) {
        this.logger.warn(
          { event: 'llm_alert_webhook_failed', target, status, alert_id: alert.alert_id, type: alert.type },
          `Alert webhook answered HTTP ${status}`,
        );
      }
      return ok;
    } catch (error) {
      this.logger.warn(
        { event: 'llm_alert_webhook_failed', target, error: this.redactor.describeError(error), alert_id: alert.alert_id, type: alert.type },
        'Alert webhook could not be reached',
      );
      return false;
    }
  }

  onModuleDestroy(): void {
    if (this.mail.kind === 'smtp') this.mail.close();
  }
}

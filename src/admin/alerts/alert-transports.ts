import type { SMTPTransportOptions, Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/index.js';

export type MailConfig = Pick<
  AppConfig,
  'LLM_COST_ALERT_EMAIL' | 'SMTP_URL' | 'SMTP_SERVER' | 'SMTP_PORT' | 'SMTP_USERNAME' | 'SMTP_PASSWORD' | 'SMTP_FROM'
>;

/** One rendered alert e-mail. */
export type AlertMail = { subject: string; text: string };

/**
 * How alert e-mails leave: over SMTP to LLM_COST_ALERT_EMAIL, or, with no recipient or no SMTP
 * server configured, into the log (`reason` says which is missing).
 */
export type AlertMailTransport =
  | { kind: 'smtp'; send(mail: AlertMail): Promise<void>; close(): void }
  | { kind: 'log'; reason: string };

export const WEBHOOK_TIMEOUT_MS = 5_000;

const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** nodemailer's options: SMTP_URL as given, else SMTP_SERVER / SMTP_PORT with a login when SMTP_USERNAME is set. */
export function smtpOptions(config: MailConfig): SMTPTransportOptions | null {
  if (config.SMTP_URL) return { url: config.SMTP_URL, ...SMTP_TIMEOUTS };
  if (!config.SMTP_SERVER) return null;
  return {
    host: config.SMTP_SERVER,
    port: config.SMTP_PORT,
    // 465 is implicit TLS; anything else (587, 25) upgrades with STARTTLS when offered.
    secure: config.SMTP_PORT === 465,
    ...SMTP_TIMEOUTS,
    ...(config.SMTP_USERNAME && { auth: { user: config.SMTP_USERNAME, pass: config.SMTP_PASSWORD ?? '' } }),
  };
}

export function alertMailTransport(config: MailConfig): AlertMailTransport {
  const recipient = config.LLM_COST_ALERT_EMAIL;
  if (!recipient) return { kind: 'log', reason: 'no LLM_COST_ALERT_EMAIL configured' };
  const options = smtpOptions(config);
  if (!options) return { kind: 'log', reason: 'no SMTP server configured' };
  // nodemailer is loaded with the first alert, not at every start (bench:cold-start).
  let mailer: Promise<Transporter> | undefined;
  return {
    kind: 'smtp',
    async send(mail) {
      mailer ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(options));
      await (await mailer).sendMail({ from: config.SMTP_FROM, to: recipient, subject: mail.subject, text: mail.text });
    },
    close: () => void mailer?.then((transport) => transport.close()),
  };
}

/** POSTs the payload as JSON and says how the peer answered; throws when it cannot be reached in time. */
export async function postAlertWebhook(url: string, payload: unknown, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<{ ok: boolean; status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'course-companion-alerts' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  // Release the connection; the body is of no interest.
  await response.body?.cancel().catch(() => undefined);
  return { ok: response.ok, status: response.status };
}

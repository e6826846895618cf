import type { AppConfig } from '../../config/index.js';

export type RedactionConfig = Pick<AppConfig, 'SMTP_URL' | 'SMTP_PASSWORD' | 'ALERT_WEBHOOK_URL'>;

/** What a log line may say about a failed delivery. */
export type SafeError = { name: string; message: string; code?: string };

/** An address as SMTP replies echo it ("550 <ops@example.com>: Recipient address rejected"). */
const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Keeps delivery secrets (the SMTP password, the SMTP and webhook URLs, which often carry a token)
 * and e-mail addresses out of the log. Built once from the configuration.
 */
export class AlertRedactor {
  /** Longest first, so a secret that contains another is replaced whole. */
  private readonly secrets: string[];

  constructor(secrets: Iterable<string>) {
    this.secrets = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }

  static fromConfig(config: RedactionConfig): AlertRedactor {
    const secrets: string[] = [];
    if (config.SMTP_PASSWORD) secrets.push(config.SMTP_PASSWORD);
    if (config.ALERT_WEBHOOK_URL) secrets.push(config.ALERT_WEBHOOK_URL);
    if (config.SMTP_URL) {
      secrets.push(config.SMTP_URL);
      try {
        const url = new URL(config.SMTP_URL);
        if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
      } catch {
        // Validated at boot; nothing more to hide.
      }
    }
    return new AlertRedactor(secrets);
  }

  redact(text: string): string {
    const withoutSecrets = this.secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
    return withoutSecrets.replace(EMAIL, '[email]');
  }

  /** A failure as it may be logged: its name, redacted message and code; no stack, no request, no credentials. */
  describeError(error: unknown): SafeError {
    // Duck-typed: errors from another realm (or non-Error throws) are not `instanceof Error`.
    const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; code?: unknown };
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: this.redact(typeof e.message === 'string' ? e.message : String(error)),
      ...(typeof e.code === 'string' && { code: e.code }),
    };
  }
}

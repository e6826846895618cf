import { AlertRedactor } from './alert-redaction.js';

describe('AlertRedactor', () => {
  const config = {
    SMTP_URL: 'smtps://mailer:p%40ss%2Fw0rd@smtp.example.com:465',
    SMTP_PASSWORD: 'sup3r-s3cret',
    ALERT_WEBHOOK_URL: 'https://hooks.example.com/alerts?token=hook-secret-123',
  };

  it('replaces the SMTP password, the SMTP URL with its password (encoded and decoded) and the webhook URL', () => {
    const r = AlertRedactor.fromConfig(config);
    expect(r.redact('login failed for sup3r-s3cret')).toBe('login failed for [redacted]');
    expect(r.redact('connect smtps://mailer:p%40ss%2Fw0rd@smtp.example.com:465 refused')).toBe('connect [redacted] refused');
    expect(r.redact('auth p@ss/w0rd and p%40ss%2Fw0rd')).toBe('auth [redacted] and [redacted]');
    expect(r.redact('POST https://hooks.example.com/alerts?token=hook-secret-123 timed out')).toBe('POST [redacted] timed out');
  });

  it('replaces a secret that contains another one whole', () => {
    expect(new AlertRedactor(['abc', 'xxabcxx']).redact('a xxabcxx b abc')).toBe('a [redacted] b [redacted]');
  });

  it('masks e-mail addresses that SMTP replies echo', () => {
    const r = new AlertRedactor([]);
    expect(r.redact("Can't send mail - all recipients were rejected: 550 5.1.1 <ops.team+llm@example.co.uk>: Recipient address rejected")).toBe(
      "Can't send mail - all recipients were rejected: 550 5.1.1 <[email]>: Recipient address rejected",
    );
  });

  it('leaves text with nothing to hide as it is, and ignores unset or empty settings', () => {
    const r = AlertRedactor.fromConfig({ SMTP_URL: undefined, SMTP_PASSWORD: '', ALERT_WEBHOOK_URL: undefined });
    expect(r.redact('connect ECONNREFUSED 127.0.0.1:2525')).toBe('connect ECONNREFUSED 127.0.0.1:2525');
  });

  it('describes a failure by name, redacted message and string code only: no stack, no other fields', () => {
    const r = AlertRedactor.fromConfig(config);
    const error = Object.assign(new Error('Invalid login: 535 for mailer/sup3r-s3cret'), { code: 'EAUTH', response: 'sup3r-s3cret', command: 'AUTH PLAIN' });
    expect(r.describeError(error)).toStrictEqual({ name: 'Error', message: 'Invalid login: 535 for mailer/[redacted]', code: 'EAUTH' });
    expect(r.describeError(Object.assign(new TypeError('fetch failed'), { code: 7 }))).toStrictEqual({ name: 'TypeError', message: 'fetch failed' });
    expect(r.describeError('sup3r-s3cret rejected')).toStrictEqual({ name: 'Error', message: '[redacted] rejected' });
    expect(r.describeError({ name: 'AbortError', message: 'This operation was aborted' })).toStrictEqual({ name: 'AbortError', message: 'This operation was aborted' });
  });
});

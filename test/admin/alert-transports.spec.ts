/**
 * How alert e-mails and webhooks leave, against a real SMTP server and a real HTTP server on
 * 127.0.0.1 (test/admin/alert-receivers.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertMailTransport, postAlertWebhook, smtpOptions, type MailConfig } from '../../src/admin/alerts/alert-transports.js';
import { closedPort, startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './alert-receivers.js';

const FROM = 'Course Companion <no-reply@localhost>';
const base: MailConfig = {
  LLM_COST_ALERT_EMAIL: 'ops@example.com',
  SMTP_URL: undefined,
  SMTP_SERVER: undefined,
  SMTP_PORT: 587,
  SMTP_USERNAME: undefined,
  SMTP_PASSWORD: undefined,
  SMTP_FROM: FROM,
};
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

describe('smtpOptions', () => {
  it('takes SMTP_URL as it is, ahead of SMTP_SERVER', () => {
    expect(smtpOptions({ ...base, SMTP_URL: 'smtp://127.0.0.1:2525', SMTP_SERVER: 'ignored.example.com' })).toStrictEqual({ url: 'smtp://127.0.0.1:2525', ...TIMEOUTS });
  });

  it('builds host and port from SMTP_SERVER: implicit TLS on 465 only, a login only with SMTP_USERNAME', () => {
    expect(smtpOptions({ ...base, SMTP_SERVER: 'smtp.example.com' })).toStrictEqual({ host: 'smtp.example.com', port: 587, secure: false, ...TIMEOUTS });
    expect(smtpOptions({ ...base, SMTP_SERVER: 'smtp.example.com', SMTP_PORT: 465, SMTP_USERNAME: 'mailer', SMTP_PASSWORD: 'pw' })).toStrictEqual({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      ...TIMEOUTS,
      auth: { user: 'mailer', pass: 'pw' },
    });
    expect(smtpOptions({ ...base, SMTP_SERVER: 'smtp.example.com', SMTP_USERNAME: 'mailer' })).toMatchObject({ auth: { user: 'mailer', pass: '' } });
  });

  it('is null with no server', () => {
    expect(smtpOptions(base)).toBeNull();
  });
});

describe('alertMailTransport', () => {
  let smtp: SmtpReceiver;
  let authSmtp: SmtpReceiver;
  beforeAll(async () => {
    [smtp, authSmtp] = await Promise.all([startSmtpReceiver(), startSmtpReceiver({ user: 'mailer', pass: 'right-pass' })]);
  });
  afterAll(() => Promise.all([smtp?.close(), authSmtp?.close()]));
  beforeEach(() => {
    smtp.messages.length = 0;
    authSmtp.messages.length = 0;
  });

  it('goes to the log without a recipient, or without a server, and says which is missing', () => {
    expect(alertMailTransport({ ...base, LLM_COST_ALERT_EMAIL: undefined, SMTP_URL: smtp.url })).toStrictEqual({ kind: 'log', reason: 'no LLM_COST_ALERT_EMAIL configured' });
    expect(alertMailTransport(base)).toStrictEqual({ kind: 'log', reason: 'no SMTP server configured' });
  });

  it('sends the mail over SMTP from SMTP_FROM to the recipient, as plain text', async () => {
    const transport = alertMailTransport({ ...base, SMTP_URL: smtp.url });
    if (transport.kind !== 'smtp') throw new Error(`expected an SMTP transport, got ${transport.kind}`);
    try {
      await transport.send({ subject: 'LLM alert', text: 'Observed:  $0.55\n' });
    } finally {
      transport.close();
    }
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail).toMatchObject({ from: 'no-reply@localhost', to: ['ops@example.com'], user: null, subject: 'LLM alert' });
    expect(mail!.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(mail!.text.trimEnd()).toBe('Observed:  $0.55');
  });

  it('logs in with SMTP_USERNAME / SMTP_PASSWORD, and a wrong password rejects the send', async () => {
    const server = { ...base, SMTP_SERVER: '127.0.0.1', SMTP_PORT: authSmtp.port, SMTP_USERNAME: 'mailer' };
    const right = alertMailTransport({ ...server, SMTP_PASSWORD: 'right-pass' });
    const wrong = alertMailTransport({ ...server, SMTP_PASSWORD: 'wrong-pass' });
    if (right.kind !== 'smtp' || wrong.kind !== 'smtp') throw new Error('expected SMTP transports');
    try {
      await right.send({ subject: 'in', text: 'ok' });
      await expect(wrong.send({ subject: 'out', text: 'no' })).rejects.toMatchObject({ code: 'EAUTH' });
    } finally {
      right.close();
      wrong.close();
    }
    expect(authSmtp.messages.map((m) => [m.user, m.subject])).toEqual([['mailer', 'in']]);
  });

  it('rejects when the server is down', async () => {
    const transport = alertMailTransport({ ...base, SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
    if (transport.kind !== 'smtp') throw new Error('expected an SMTP transport');
    try {
      await expect(transport.send({ subject: 's', text: 't' })).rejects.toMatchObject({ code: expect.any(String) });
    } finally {
      transport.close();
    }
  });
});

describe('postAlertWebhook', () => {
  let hook: WebhookReceiver;
  beforeAll(async () => {
    hook = await startWebhookReceiver();
  });
  afterAll(() => hook?.close());
  beforeEach(() => {
    hook.requests.length = 0;
    hook.status = 204;
  });

  it('POSTs the payload as JSON to the URL with its query, and reports the status', async () => {
    await expect(postAlertWebhook(hook.url, { alert_id: 'a1', level: 'alert' })).resolves.toEqual({ ok: true, status: 204 });
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]).toMatchObject({
      method: 'POST',
      url: '/hooks/alerts?token=hook-secret-123',
      headers: { 'content-type': 'application/json', 'user-agent': 'course-companion-alerts' },
      body: { alert_id: 'a1', level: 'alert' },
    });
  });

  it('reports a refusal as not ok, with the status', async () => {
    hook.status = 500;
    await expect(postAlertWebhook(hook.url, {})).resolves.toEqual({ ok: false, status: 500 });
  });

  it('does not follow a redirect', async () => {
    hook.status = 302;
    await expect(postAlertWebhook(hook.url, {})).resolves.toEqual({ ok: false, status: 302 });
    expect(hook.requests).toHaveLength(1);
  });

  it('throws when nothing listens, and when the peer does not answer in time', async () => {
    await expect(postAlertWebhook(`http://127.0.0.1:${await closedPort()}/hook`, {})).rejects.toThrow();
    // A peer that accepts the connection and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = silent.address() as AddressInfo;
      await expect(postAlertWebhook(`http://127.0.0.1:${port}/hook`, {}, 200)).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      await new Promise<void>((resolve) => {
        silent.closeAllConnections();
        silent.close(() => resolve());
      });
    }
  });
});

import { Logger, type LoggerService } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import pg from 'pg';
import { ALERTS_INTERVAL_NAME, AlertsScheduler } from '../../src/admin/alerts/alerts.scheduler.js';
import { AlertsModule } from '../../src/admin/alerts/alerts.module.js';
import { AlertsService } from '../../src/admin/alerts/alerts.service.js';
import { AppConfigModule } from '../../src/config/app-config.module.js';
import { loadConfig } from '../../src/config/config.loader.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { DEMO, TEST_JWT_SECRET } from '../support/test-app.js';
import { createSeededTestDatabase, type TestDatabase } from '../support/test-database.js';
import { closedPort, startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './alert-receivers.js';

/** Every evaluation is pinned to this instant: mid-month, mid-day, half past the hour (UTC). */
const NOW = new Date('2026-03-15T12:30:00.000Z');
const OPS = 'ops@example.com';
const SMTP_USER = 'mailer';
const SMTP_PASS = 'sup3r-s3cret-smtp-pa55';

type LogEntry = { level: string; message: unknown; params: unknown[] };

/** Collects what Nest's Logger is asked to write (every `new Logger(ctx)` routes here). */
class CapturingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];
  log(message: unknown, ...params: unknown[]) {
    this.entries.push({ level: 'log', message, params });
  }
  warn(message: unknown, ...params: unknown[]) {
    this.entries.push({ level: 'warn', message, params });
  }
  error(message: unknown, ...params: unknown[]) {
    this.entries.push({ level: 'error', message, params });
  }
  /** The structured fields of entries whose `event` matches. */
  events(event: string): Record<string, any>[] {
    return this.entries
      .map((e) => e.message)
      .filter((m): m is Record<string, any> => typeof m === 'object' && m !== null && (m as { event?: unknown }).event === event);
  }
}

type UsageRow = {
  student?: string | null;
  cost?: string;
  at: string | Date;
  outcome?: 'success' | 'error' | 'timeout' | 'rejected' | 'fallback';
  deleted?: boolean;
};

describe('LLM alerts (AlertsModule on a real database, SMTP server and webhook)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let smtp: SmtpReceiver;
  let authSmtp: SmtpReceiver;
  let hook: WebhookReceiver;
  let logs: CapturingLogger;
  let premium: string;
  let free: string;
  let student: string;
  const opened: TestingModule[] = [];

  const baseEnv = () => ({ LLM_COST_ALERT_EMAIL: OPS, SMTP_URL: smtp.url, ALERT_WEBHOOK_URL: hook.url });

  async function boot(env: Record<string, string> = baseEnv()): Promise<TestingModule> {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET_KEY: TEST_JWT_SECRET, DATABASE_URL: db.url, ...env });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(db.url), AlertsModule],
    })
      .setLogger(logs)
      .compile();
    opened.push(moduleRef);
    await moduleRef.init();
    return moduleRef;
  }

  async function service(env?: Record<string, string>): Promise<AlertsService> {
    return (await boot(env)).get(AlertsService);
  }

  async function usage(...rows: UsageRow[]): Promise<void> {
    for (const r of rows) {
      const outcome = r.outcome ?? 'success';
      const at = new Date(r.at);
      await pool.query(
        `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, provider, model, outcome, success, cost_usd, created_at, deleted_at)
         VALUES (gen_random_uuid(), 1, $1, 'adaptive_paths', 'anthropic', 'claude-sonnet-5-5', $2, $3, $4, $5, $6)`,
        [r.student ?? null, outcome, outcome === 'success', r.cost ?? '0', at, r.deleted ? at : null],
      );
    }
  }

  /** `total` call attempts in the last hour before NOW, the first `failed` of them failed. */
  async function attempts(total: number, failed: number, extra: Partial<UsageRow> = {}): Promise<void> {
    const rows: UsageRow[] = [];
    for (let i = 0; i < total; i++) {
      rows.push({ at: new Date(NOW.getTime() - (i + 1) * 60_000), outcome: i < failed ? (i % 2 ? 'timeout' : 'error') : 'success', ...extra });
    }
    await usage(...rows);
  }

  async function stored(): Promise<Record<string, any>[]> {
    const { rows } = await pool.query(
      `SELECT type, level, subject, student_id, period, observed::text AS observed, threshold::text AS threshold,
              created_at, emailed_at, webhooked_at
         FROM llm_alerts ORDER BY type, subject, level DESC`,
    );
    return rows;
  }

  const brief = (alerts: { type: string; level: string; subject: string }[]) =>
    alerts.map((a) => `${a.type}/${a.level}/${a.subject}`).sort();

  beforeAll(async () => {
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
    [smtp, authSmtp, hook] = await Promise.all([
      startSmtpReceiver(),
      startSmtpReceiver({ user: SMTP_USER, pass: SMTP_PASS }),
      startWebhookReceiver(),
    ]);
    db = await createSeededTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // The file's DROP DATABASE … WITH (FORCE) can reach a connection the pool is still closing; an idle
    // client's error is the pool's to report (node-postgres: without a listener it is an unhandled 'error').
    pool.on('error', () => undefined);
    const ids = async (email: string) =>
      ((await pool.query('SELECT student_id FROM students WHERE lower(email) = lower($1)', [email])).rows[0] as { student_id: string })
        .student_id;
    [premium, free, student] = await Promise.all([ids(DEMO.premium.email), ids(DEMO.free.email), ids(DEMO.student.email)]);
  });

  beforeEach(async () => {
    await pool.query('TRUNCATE llm_usage_logs, llm_alerts');
    smtp.messages.length = 0;
    authSmtp.messages.length = 0;
    hook.requests.length = 0;
    hook.status = 204;
    logs.entries.length = 0;
  });

  afterEach(async () => {
    while (opened.length) await opened.pop()!.close();
  });

  afterAll(async () => {
    while (opened.length) await opened.pop()!.close();
    await pool?.end();
    await db?.drop();
    await Promise.all([smtp?.close(), authSmtp?.close(), hook?.close()]);
  });

  describe('per-student monthly cost', () => {
    it('stores a warning and an alert once, e-mails and POSTs each exactly once, and never again', async () => {
      await usage(
        { student: premium, cost: '0.300000', at: '2026-03-01T00:00:00Z' },
        { student: premium, cost: '0.250000', at: '2026-03-15T12:29:00Z' },
        // Not this month (UTC): February, and April.
        { student: premium, cost: '5.000000', at: '2026-02-28T23:59:59.999Z' },
        { student: premium, cost: '5.000000', at: '2026-04-01T00:00:00Z' },
        // Soft-deleted spend does not count.
        { student: free, cost: '9.000000', at: '2026-03-10T08:00:00Z', deleted: true },
        { student: free, cost: '0.100000', at: '2026-03-10T09:00:00Z' },
      );
      const alerts = await service();

      const raised = await alerts.evaluate(NOW);
      expect(brief(raised)).toEqual([`COST_THRESHOLD_EXCEEDED/alert/${premium}`, `COST_THRESHOLD_EXCEEDED/warning/${premium}`]);
      for (const a of raised) {
        expect(a).toMatchObject({
          student_id: premium,
          subject: premium,
          period: '2026-03',
          observed: '0.550000',
          threshold: '0.500000',
          created_at: NOW.toISOString(),
        });
        expect(a.alert_id).toMatch(/^[0-9a-f-]{36}$/);
        expect(a.emailed_at).not.toBeNull();
        expect(a.webhooked_at).not.toBeNull();
      }

      const rows = await stored();
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.emailed_at).toBeInstanceOf(Date);
        expect(row.webhooked_at).toBeInstanceOf(Date);
      }

      // One e-mail per new alert, to the configured recipient.
      expect(smtp.messages).toHaveLength(2);
      expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
        `[Course Companion] ALERT: COST_THRESHOLD_EXCEEDED for student ${premium}`,
        `[Course Companion] WARNING: COST_THRESHOLD_EXCEEDED for student ${premium}`,
      ]);
      for (const m of smtp.messages) {
        expect(m.to).toEqual([OPS]);
        expect(m.from).toBe('no-reply@localhost');
        expect(m.raw).toMatch(/^To: ops@example\.com$/m);
        expect(m.raw).toMatch(/^Content-Type: text\/plain/m);
        expect(m.text).toContain('Observed:  $0.55');
        expect(m.text).toContain('Threshold: $0.50');
        expect(m.text).toContain('Period:    2026-03 (UTC)');
        expect(m.text).toContain('/admin');
      }

      // One webhook POST per new alert, with the alert as JSON.
      expect(hook.requests).toHaveLength(2);
      for (const r of hook.requests) {
        expect(r.method).toBe('POST');
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.url).toBe('/hooks/alerts?token=hook-secret-123');
      }
      expect(hook.requests.map((r) => r.body)).toEqual(
        expect.arrayContaining(
          (['warning', 'alert'] as const).map((level) => ({
            alert_id: expect.any(String),
            type: 'COST_THRESHOLD_EXCEEDED',
            level,
            subject: premium,
            student_id: premium,
            period: '2026-03',
            observed: '0.550000',
            threshold: '0.500000',
            created_at: NOW.toISOString(),
          })),
        ),
      );

      // Again, later the same month and with more spend: nothing new is stored or sent.
      await usage({ student: premium, cost: '1.000000', at: '2026-03-15T12:40:00Z' });
      await expect(alerts.evaluate(NOW)).resolves.toEqual([]);
      await expect(alerts.evaluate(new Date('2026-03-20T00:00:00Z'))).resolves.toEqual([]);
      expect(await stored()).toHaveLength(2);
      expect(smtp.messages).toHaveLength(2);
      expect(hook.requests).toHaveLength(2);

      // Next month is a new period.
      await usage({ student: premium, cost: '0.600000', at: '2026-04-02T00:00:00Z' });
      const april = await alerts.evaluate(new Date('2026-04-02T06:00:00Z'));
      expect(brief(april)).toEqual([`COST_THRESHOLD_EXCEEDED/alert/${premium}`, `COST_THRESHOLD_EXCEEDED/warning/${premium}`]);
      expect(april.map((a) => a.period)).toEqual(['2026-04', '2026-04']);
      expect(april.map((a) => a.observed)).toEqual(['5.600000', '5.600000']);
      expect(smtp.messages).toHaveLength(4);
    });

    it('at 80 % stores only a warning, compared exactly (0.399999 of 0.50 is nothing)', async () => {
      await usage(
        { student: premium, cost: '0.200000', at: '2026-03-03T00:00:00Z' },
        { student: premium, cost: '0.200000', at: '2026-03-04T00:00:00Z' },
        { student: free, cost: '0.399999', at: '2026-03-04T00:00:00Z' },
        { student: student, cost: '0.499999', at: '2026-03-04T00:00:00Z' },
      );
      const alerts = await service();
      const raised = await alerts.evaluate(NOW);
      expect(brief(raised)).toEqual([`COST_THRESHOLD_EXCEEDED/warning/${premium}`, `COST_THRESHOLD_EXCEEDED/warning/${student}`].sort());
      expect(raised.find((a) => a.subject === premium)).toMatchObject({ observed: '0.400000', threshold: '0.500000' });
      expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
        `[Course Companion] WARNING: COST_THRESHOLD_EXCEEDED for student ${premium}`,
        `[Course Companion] WARNING: COST_THRESHOLD_EXCEEDED for student ${student}`,
      ].sort());

      // Reaching 100 % later adds just the alert; the warning is not sent twice.
      await usage({ student: premium, cost: '0.100000', at: '2026-03-15T12:00:00Z' });
      const later = await alerts.evaluate(NOW);
      expect(brief(later)).toEqual([`COST_THRESHOLD_EXCEEDED/alert/${premium}`]);
      expect(later[0]).toMatchObject({ observed: '0.500000', threshold: '0.500000' });
      expect(smtp.messages).toHaveLength(3);
      expect(hook.requests).toHaveLength(3);
    });

    it('ignores soft-deleted rows', async () => {
      await usage(
        { student: premium, cost: '3.000000', at: '2026-03-05T00:00:00Z', deleted: true },
        { student: premium, cost: '0.100000', at: '2026-03-05T00:00:00Z' },
      );
      const alerts = await service();
      await expect(alerts.evaluate(NOW)).resolves.toEqual([]);
      expect(await stored()).toEqual([]);
      expect(smtp.messages).toHaveLength(0);
      expect(hook.requests).toHaveLength(0);
    });

    it('stores and delivers each alert once when several instances evaluate at the same moment', async () => {
      await usage({ student: premium, cost: '0.700000', at: '2026-03-05T00:00:00Z' });
      const [a, b, c] = await Promise.all([service(), service(), service()]);
      const results = await Promise.all([a.evaluate(NOW), b.evaluate(NOW), c.evaluate(NOW), a.evaluate(NOW)]);
      expect(brief(results.flat())).toEqual([`COST_THRESHOLD_EXCEEDED/alert/${premium}`, `COST_THRESHOLD_EXCEEDED/warning/${premium}`]);
      expect(await stored()).toHaveLength(2);
      expect(smtp.messages).toHaveLength(2);
      expect(hook.requests).toHaveLength(2);
    });
  });

  describe('global daily budget', () => {
    // A per-student threshold out of reach, so only the budget speaks.
    const env = () => ({ ...baseEnv(), LLM_COST_ALERT_THRESHOLD: '1000', LLM_DAILY_BUDGET_USD: '10.00' });

    it("warns at 80 % of today's (UTC) total, alerts at 100 %, across students and anonymous calls", async () => {
      await usage(
        { student: premium, cost: '5.000000', at: '2026-03-15T00:00:00Z' },
        { student: null, cost: '3.000000', at: '2026-03-15T11:00:00Z' },
        { student: free, cost: '4.000000', at: '2026-03-15T09:00:00Z', deleted: true },
        // Yesterday and tomorrow (UTC) are other days.
        { student: free, cost: '50.000000', at: '2026-03-14T23:59:59.999Z' },
        { student: free, cost: '50.000000', at: '2026-03-16T00:00:00Z' },
      );
      const alerts = await service(env());
      const first = await alerts.evaluate(NOW);
      expect(brief(first)).toEqual(['DAILY_BUDGET_EXCEEDED/warning/global']);
      expect(first[0]).toMatchObject({ student_id: null, period: '2026-03-15', observed: '8.000000', threshold: '10.000000' });
      expect(smtp.messages.map((m) => m.subject)).toEqual(['[Course Companion] WARNING: DAILY_BUDGET_EXCEEDED for global 2026-03-15']);
      expect(smtp.messages[0]!.text).toContain('Observed:  $8.00');
      expect(smtp.messages[0]!.text).toContain('Threshold: $10.00');

      await usage({ student: free, cost: '1.999999', at: '2026-03-15T12:00:00Z' });
      await expect(alerts.evaluate(NOW)).resolves.toEqual([]);

      await usage({ student: free, cost: '0.000001', at: '2026-03-15T12:10:00Z' });
      const second = await alerts.evaluate(NOW);
      expect(brief(second)).toEqual(['DAILY_BUDGET_EXCEEDED/alert/global']);
      expect(second[0]).toMatchObject({ observed: '10.000000', threshold: '10.000000' });
      expect(hook.requests.map((r) => (r.body as { level: string }).level)).toEqual(['warning', 'alert']);
      expect(hook.requests[1]!.body).toMatchObject({ type: 'DAILY_BUDGET_EXCEEDED', subject: 'global', student_id: null, period: '2026-03-15' });
      expect(await stored()).toHaveLength(2);
    });
  });

  describe('error rate of the last hour', () => {
    const env = () => ({ ...baseEnv(), LLM_COST_ALERT_THRESHOLD: '1000', LLM_ERROR_RATE_ALERT_PERCENT: '5' });

    it('alerts when more than 5 % of at least 20 attempts failed', async () => {
      await attempts(20, 2);
      // Not attempts: turned away before any call, or served by the fallback.
      await usage(
        { at: '2026-03-15T12:00:00Z', outcome: 'rejected' },
        { at: '2026-03-15T12:00:00Z', outcome: 'fallback' },
        // Outside the window (it is (NOW - 1 h, NOW]), or deleted.
        { at: '2026-03-15T11:30:00Z', outcome: 'success' },
        { at: '2026-03-15T12:30:00.001Z', outcome: 'success' },
        { at: '2026-03-15T12:15:00Z', outcome: 'success', deleted: true },
      );
      const alerts = await service(env());
      const raised = await alerts.evaluate(NOW);
      expect(brief(raised)).toEqual(['ERROR_RATE_HIGH/alert/global', 'ERROR_RATE_HIGH/warning/global']);
      for (const a of raised) {
        expect(a).toMatchObject({ student_id: null, period: '2026-03-15T12', observed: '10.000000', threshold: '5.000000' });
      }
      expect(smtp.messages.map((m) => m.subject).sort()).toEqual([
        '[Course Companion] ALERT: ERROR_RATE_HIGH for global 2026-03-15T12',
        '[Course Companion] WARNING: ERROR_RATE_HIGH for global 2026-03-15T12',
      ]);
      expect(smtp.messages[0]!.text).toContain('Observed:  10 %');
      expect(smtp.messages[0]!.text).toContain('Threshold: 5 %');

      // Once per hour: the same hour stays quiet, the next one may speak again.
      await expect(alerts.evaluate(new Date('2026-03-15T12:59:00Z'))).resolves.toEqual([]);
      await usage(
        ...Array.from({ length: 20 }, (_, i): UsageRow => ({ at: new Date(Date.parse('2026-03-15T13:05:00Z') + i * 1000), outcome: 'error' })),
      );
      const next = await alerts.evaluate(new Date('2026-03-15T13:10:00Z'));
      expect(next.map((a) => a.period)).toEqual(['2026-03-15T13', '2026-03-15T13']);
    });

    it('alerts at exactly the percentage and warns from 80 % of it', async () => {
      await attempts(20, 1); // 5 %
      const alerts = await service(env());
      expect(brief(await alerts.evaluate(NOW))).toEqual(['ERROR_RATE_HIGH/alert/global', 'ERROR_RATE_HIGH/warning/global']);

      await pool.query('TRUNCATE llm_usage_logs, llm_alerts');
      await attempts(25, 1); // 4 %: the warning mark
      const warned = await alerts.evaluate(NOW);
      expect(brief(warned)).toEqual(['ERROR_RATE_HIGH/warning/global']);
      expect(warned[0]!.observed).toBe('4.000000');
    });

    it('stays quiet below the warning mark', async () => {
      await attempts(30, 1); // 3.33 %
      const alerts = await service(env());
      await expect(alerts.evaluate(NOW)).resolves.toEqual([]);
    });

    it('stays quiet on fewer than 20 attempts, however many failed', async () => {
      await attempts(19, 19);
      await usage(
        ...Array.from({ length: 5 }, (): UsageRow => ({ at: '2026-03-15T12:20:00Z', outcome: 'error', deleted: true })),
        ...Array.from({ length: 5 }, (): UsageRow => ({ at: '2026-03-15T11:20:00Z', outcome: 'error' })),
      );
      const alerts = await service(env());
      await expect(alerts.evaluate(NOW)).resolves.toEqual([]);
      expect(await stored()).toEqual([]);
    });
  });

  describe('delivery', () => {
    it('without SMTP logs the alert (structured), leaves emailed_at null and still POSTs the webhook', async () => {
      await usage({ student: premium, cost: '0.600000', at: '2026-03-05T00:00:00Z' });
      const alerts = await service({ LLM_COST_ALERT_EMAIL: OPS, ALERT_WEBHOOK_URL: hook.url });
      const raised = await alerts.evaluate(NOW);
      expect(raised).toHaveLength(2);
      expect(raised.map((a) => a.emailed_at)).toEqual([null, null]);
      expect(raised.every((a) => a.webhooked_at !== null)).toBe(true);
      expect((await stored()).map((r) => r.emailed_at)).toEqual([null, null]);
      expect(hook.requests).toHaveLength(2);
      expect(smtp.messages).toHaveLength(0);

      const logged = logs.events('llm_alert');
      expect(logged).toHaveLength(2);
      for (const entry of logged) {
        expect(entry).toMatchObject({
          delivery: 'log',
          reason: 'no SMTP server configured',
          alert_id: expect.any(String),
          type: 'COST_THRESHOLD_EXCEEDED',
          alert_level: expect.stringMatching(/^(warning|alert)$/),
          subject: premium,
          student_id: premium,
          period: '2026-03',
          observed: '0.600000',
          threshold: '0.500000',
        });
      }
      expect(logs.entries.filter((e) => e.level === 'warn' && (e.message as { event?: string }).event === 'llm_alert')).toHaveLength(2);
    });

    it('without a recipient (and without a webhook) only logs, and throws nothing', async () => {
      await usage({ student: premium, cost: '0.600000', at: '2026-03-05T00:00:00Z' });
      const alerts = await service({ SMTP_URL: smtp.url });
      const raised = await alerts.evaluate(NOW);
      expect(raised.map((a) => [a.emailed_at, a.webhooked_at])).toEqual([
        [null, null],
        [null, null],
      ]);
      expect(smtp.messages).toHaveLength(0);
      expect(hook.requests).toHaveLength(0);
      expect(logs.events('llm_alert').map((e) => e.reason)).toEqual(['no LLM_COST_ALERT_EMAIL configured', 'no LLM_COST_ALERT_EMAIL configured']);
      // Still stored once: a second run neither logs nor stores it again.
      await expect(alerts.evaluate(NOW)).resolves.toEqual([]);
      expect(await stored()).toHaveLength(2);
    });

    it('a webhook answering 500 is logged; the e-mail still goes and nothing is thrown', async () => {
      hook.status = 500;
      await usage({ student: premium, cost: '0.600000', at: '2026-03-05T00:00:00Z' });
      const alerts = await service();
      const raised = await alerts.evaluate(NOW);
      expect(raised).toHaveLength(2);
      expect(raised.every((a) => a.emailed_at !== null && a.webhooked_at === null)).toBe(true);
      expect(smtp.messages).toHaveLength(2);
      expect(hook.requests).toHaveLength(2);
      const rows = await stored();
      expect(rows.every((r) => r.emailed_at instanceof Date && r.webhooked_at === null)).toBe(true);
      const failures = logs.events('llm_alert_webhook_failed');
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatchObject({ status: 500, target: new URL(hook.url).host });
      // The webhook URL may carry a token: it is not logged.
      expect(JSON.stringify(logs.entries)).not.toContain('hook-secret-123');
    });

    it('a webhook that is down is logged; the e-mail still goes and nothing is thrown', async () => {
      await usage({ student: premium, cost: '0.600000', at: '2026-03-05T00:00:00Z' });
      const alerts = await service({ ...baseEnv(), ALERT_WEBHOOK_URL: `http://127.0.0.1:${await closedPort()}/hook?token=hook-secret-123` });
      const raised = await alerts.evaluate(NOW);
      expect(raised).toHaveLength(2);
      expect(raised.every((a) => a.emailed_at !== null && a.webhooked_at === null)).toBe(true);
      expect(smtp.messages).toHaveLength(2);
      expect(logs.events('llm_alert_webhook_failed')).toHaveLength(2);
      expect(JSON.stringify(logs.entries)).not.toContain('hook-secret-123');
    });

    it('an SMTP server that is down is logged with the alert; the webhook still goes and nothing is thrown', async () => {
      await usage({ student: premium, cost: '0.600000', at: '2026-03-05T00:00:00Z' });
      const url = `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${await closedPort()}`;
      const alerts = await service({ ...baseEnv(), SMTP_URL: url });
      const raised = await alerts.evaluate(NOW);
      expect(raised.every((a) => a.emailed_at === null && a.webhooked_at !== null)).toBe(true);
      expect(hook.requests).toHaveLength(2);
      const failures = logs.events('llm_alert_email_failed');
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatchObject({ type: 'COST_THRESHOLD_EXCEEDED', observed: '0.600000', error: { code: expect.any(String) } });
      expect(JSON.stringify(logs.entries)).not.toContain(SMTP_PASS);
    });

    it('builds the transport from SMTP_SERVER / SMTP_PORT / SMTP_USERNAME / SMTP_PASSWORD and logs in', async () => {
      await usage({ student: premium, cost: '0.600000', at: '2026-03-05T00:00:00Z' });
      const env = {
        LLM_COST_ALERT_EMAIL: OPS,
        SMTP_SERVER: '127.0.0.1',
        SMTP_PORT: String(authSmtp.port),
        SMTP_USERNAME: SMTP_USER,
        SMTP_PASSWORD: SMTP_PASS,
        SMTP_FROM: 'Alerts <alerts@example.com>',
      };
      const raised = await (await service(env)).evaluate(NOW);
      expect(raised.every((a) => a.emailed_at !== null)).toBe(true);
      expect(authSmtp.messages).toHaveLength(2);
      expect(authSmtp.messages.map((m) => [m.user, m.from, m.to])).toEqual([
        [SMTP_USER, 'alerts@example.com', [OPS]],
        [SMTP_USER, 'alerts@example.com', [OPS]],
      ]);
      expect(JSON.stringify(logs.entries)).not.toContain(SMTP_PASS);
    });

    it('a wrong SMTP password fails the e-mail without leaking the password, and evaluation goes on', async () => {
      await usage({ student: premium, cost: '0.600000', at: '2026-03-05T00:00:00Z' });
      const wrong = 'wr0ng-pa55-do-not-log';
      const env = {
        ...baseEnv(),
        SMTP_URL: '',
        SMTP_SERVER: '127.0.0.1',
        SMTP_PORT: String(authSmtp.port),
        SMTP_USERNAME: SMTP_USER,
        SMTP_PASSWORD: wrong,
      };
      const raised = await (await service(env)).evaluate(NOW);
      expect(raised).toHaveLength(2);
      expect(raised.every((a) => a.emailed_at === null && a.webhooked_at !== null)).toBe(true);
      expect(authSmtp.messages).toHaveLength(0);
      expect(logs.events('llm_alert_email_failed')).toHaveLength(2);
      expect(JSON.stringify(logs.entries)).not.toContain(wrong);
    });
  });

  describe('list()', () => {
    it('returns the alerts created in [start, end), newest first, as plain objects', async () => {
      const env = { ...baseEnv(), LLM_DAILY_BUDGET_USD: '1.00' };
      await usage(
        { student: premium, cost: '1.000000', at: '2026-03-14T10:00:00Z' },
        { student: free, cost: '0.450000', at: '2026-03-15T10:00:00Z' },
      );
      const alerts = await service(env);
      const yesterday = new Date('2026-03-14T18:00:00Z');
      const first = await alerts.evaluate(yesterday); // premium cost warning+alert, daily warning+alert for the 14th
      const second = await alerts.evaluate(NOW); // free cost warning (0.45 of 0.50)
      expect(first).toHaveLength(4);
      expect(brief(second)).toEqual([`COST_THRESHOLD_EXCEEDED/warning/${free}`]);

      const all = await alerts.list({ start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') });
      expect(all).toHaveLength(5);
      expect(all[0]).toEqual({
        alert_id: second[0]!.alert_id,
        type: 'COST_THRESHOLD_EXCEEDED',
        level: 'warning',
        student_id: free,
        subject: free,
        period: '2026-03',
        observed: '0.450000',
        threshold: '0.500000',
        created_at: NOW.toISOString(),
      });
      expect(all.slice(1).map((a) => a.created_at)).toEqual(Array(4).fill(yesterday.toISOString()));
      expect(brief(all.slice(1))).toEqual([
        `COST_THRESHOLD_EXCEEDED/alert/${premium}`,
        `COST_THRESHOLD_EXCEEDED/warning/${premium}`,
        'DAILY_BUDGET_EXCEEDED/alert/global',
        'DAILY_BUDGET_EXCEEDED/warning/global',
      ]);
      expect(all.find((a) => a.type === 'DAILY_BUDGET_EXCEEDED')).toMatchObject({
        subject: 'global',
        student_id: null,
        period: '2026-03-14',
        observed: '1.000000',
        threshold: '1.000000',
      });
      for (const a of all) {
        expect(Object.keys(a).sort()).toEqual(
          ['alert_id', 'created_at', 'level', 'observed', 'period', 'student_id', 'subject', 'threshold', 'type'].sort(),
        );
        expect(typeof a.observed).toBe('string');
        expect(typeof a.created_at).toBe('string');
      }

      // end is exclusive, start inclusive.
      expect(await alerts.list({ start: yesterday, end: NOW })).toHaveLength(4);
      expect(await alerts.list({ start: NOW, end: new Date(NOW.getTime() + 1) })).toHaveLength(1);
      expect(await alerts.list({ start: new Date('2026-01-01T00:00:00Z'), end: yesterday })).toEqual([]);
    });
  });

  describe('AlertsScheduler', () => {
    it('registers an interval of ALERT_CHECK_INTERVAL_SECONDS that evaluates, and clears it on shutdown', async () => {
      const moduleRef = await boot({ ...baseEnv(), ALERT_CHECK_INTERVAL_SECONDS: '5' });
      const registry = moduleRef.get(SchedulerRegistry);
      expect(registry.getIntervals()).toContain(ALERTS_INTERVAL_NAME);

      const alerts = moduleRef.get(AlertsService);
      const calls: Date[] = [];
      alerts.evaluate = (now = new Date()) => {
        calls.push(now);
        return Promise.resolve([]);
      };
      const deadline = Date.now() + 8_000;
      while (calls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(calls).toHaveLength(1);

      await moduleRef.close();
      opened.splice(opened.indexOf(moduleRef), 1);
      expect(registry.doesExist('interval', ALERTS_INTERVAL_NAME)).toBe(false);
    }, 15_000);

    it('skips a run while the previous one is going, and logs and swallows errors', async () => {
      const moduleRef = await boot();
      const scheduler = moduleRef.get(AlertsScheduler);
      const alerts = moduleRef.get(AlertsService);

      let release!: () => void;
      let calls = 0;
      alerts.evaluate = () => {
        calls++;
        return new Promise((resolve) => {
          release = () => resolve([]);
        });
      };
      const first = scheduler.tick();
      await expect(scheduler.tick()).resolves.toBe(false);
      expect(calls).toBe(1);
      release();
      await expect(first).resolves.toBe(true);

      alerts.evaluate = () => Promise.reject(new Error('database is on fire'));
      await expect(scheduler.tick()).resolves.toBe(true);
      expect(logs.events('llm_alerts_failed')).toEqual([expect.objectContaining({ error: 'database is on fire' })]);

      // And a real run through the scheduler does the real work.
      await usage({ student: premium, cost: '0.600000', at: new Date() });
      delete (alerts as { evaluate?: unknown }).evaluate; // back to the prototype's method
      await expect(scheduler.tick()).resolves.toBe(true);
      expect((await stored()).filter((r) => r.student_id === premium)).toHaveLength(2);
      expect(smtp.messages).toHaveLength(2);
    });
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { withDatabase } from '../support/database-server.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';
import { createSeededTestDatabase, type TestDatabase } from '../support/test-database.js';
import { kill, waitFor } from './support/processes.js';
import { premiumStudent, providerCallRows, startProxiedApp, unitsUsed, type ProxiedApp } from './support/proxied-app.js';
import { fakeModelEnv, fetchForcedPath, fetchToken, spawnServer, type ServerProcess } from './support/server-process.js';
import { TcpProxy } from './support/tcp-proxy.js';
import pg from 'pg';

const IN_FLIGHT = 6;
const MODEL_DELAY_MS = 1500;
/** Short holds, so an unsettled unit comes back within the test. */
const HOLD_SECONDS = '3';

/**
 * PostgreSQL lost while premium requests are half done: after the fault, units used = answers
 * given, and every provider call has its usage row.
 */
describe('PostgreSQL cut while premium requests are half done', () => {
  let fake: FakeAnthropicServer | undefined;
  let p: ProxiedApp | undefined;
  let journal = '';

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    journal = mkdtempSync(join(tmpdir(), 'cc-usage-journal-'));
    p = await startProxiedApp({
      ...fakeModelEnv(fake.url),
      QUOTA_HOLD_SECONDS: HOLD_SECONDS,
      USAGE_JOURNAL_DIR: journal,
      GRADING_IN_API: 'false',
    });
  });
  afterAll(async () => {
    await p?.close();
    await fake?.close();
    rmSync(journal, { recursive: true, force: true });
  });
  beforeEach(() => fake!.reset());

  it(`${IN_FLIGHT} paths in their model call when the database goes: 503 (never 500), then no unit kept and a usage row per call`, async () => {
    const { t, proxy, sql } = p!;
    const s = await premiumStudent(t, sql, 'in-flight@example.com');
    fake!.setDefault({ kind: 'slow', delayMs: MODEL_DELAY_MS });

    const answers = Array.from({ length: IN_FLIGHT }, () =>
      t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }).then((r) => r),
    );
    await waitFor('every request to be in its model call', () => fake!.requests.length === IN_FLIGHT);
    expect(await unitsUsed(sql, s.id, 'adaptive_paths')).toBe(IN_FLIGHT);
    await proxy.cut();
    const responses = await Promise.all(answers);
    await proxy.restore();

    // Nothing was answered, so nothing is charged; every model call made is on the bill.
    const settled = async () => ({
      statuses: responses.map((r) => `${r.status} ${r.body.error?.code ?? ''}`),
      unitsUsed: await unitsUsed(sql, s.id, 'adaptive_paths'),
      usageRows: (await providerCallRows(sql, s.id)).map((r) => r.outcome),
    });
    const expected = { statuses: Array(IN_FLIGHT).fill('503 SERVICE_UNAVAILABLE'), unitsUsed: 0, usageRows: Array(IN_FLIGHT).fill('success') };
    await waitFor('held units back and usage rows written', async () => JSON.stringify(await settled()) === JSON.stringify(expected), 15_000, 200).catch(
      () => undefined,
    );
    expect(await settled()).toEqual(expected);
    expect(fake!.requests).toHaveLength(IN_FLIGHT);
    const { rows: paths } = await sql.query(`SELECT 1 FROM adaptive_paths WHERE student_id = $1`, [s.id]);
    expect(paths).toHaveLength(0);

    // Served again at once, and charged exactly once for it.
    fake!.setDefault({ kind: 'ok' });
    const again = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }).expect(200);
    expect(again.body.decision_source).toBe('llm');
    expect(await unitsUsed(sql, s.id, 'adaptive_paths')).toBe(1);
    expect(await providerCallRows(sql, s.id)).toHaveLength(IN_FLIGHT + 1);
  }, 40_000);

  it('an assessment submit whose connection dies mid-transaction answers 503, keeps no unit and stores nothing; the retry is accepted once', async () => {
    const { t, proxy, sql } = p!;
    const s = await premiumStudent(t, sql, 'mid-transaction@example.com');
    const submit = () =>
      t.http
        .post('/api/v2/assessments/submit')
        .set('authorization', s.auth)
        .set('idempotency-key', 'cut-mid-transaction')
        .send({ question_id: '01-intro-q1', answer_text: 'Tokens are pieces of words the model reads.' });

    // The connection drops the moment the grading job is queued, inside the submit's transaction.
    const cut = proxy.cutOn('INSERT INTO pgboss.job');
    const res = await submit();
    await cut;
    await proxy.restore();
    const { rows } = await sql.query(`SELECT 1 FROM assessment_submissions WHERE student_id = $1`, [s.id]);
    expect({
      status: `${res.status} ${res.body.error?.code ?? ''}`,
      units: await unitsUsed(sql, s.id, 'assessments'),
      submissions: rows.length,
    }).toEqual({ status: '503 SERVICE_UNAVAILABLE', units: 0, submissions: 0 });
    expect(res.headers['retry-after']).toBeDefined();

    // "Nothing was written, retry": the retry is accepted, once.
    const retried = await waitFor('the submit to be accepted again', async () => {
      const r = await submit();
      return r.status === 202 ? r : undefined;
    }, 10_000, 200);
    expect((await submit().expect(202)).body.submission_id).toBe(retried.body.submission_id);
    expect(await unitsUsed(sql, s.id, 'assessments')).toBe(1);
  }, 30_000);
});

/** The process itself dies while a usage row waits for the database: the next process writes it. */
describe('a server SIGKILLed while PostgreSQL is away, with a model call made', () => {
  let db: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
  let fake: FakeAnthropicServer | undefined;
  let server: ServerProcess | undefined;
  let next: TestApp | undefined;
  let sql: pg.Pool | undefined;
  let journal = '';
  let viaProxy = '';

  beforeAll(async () => {
    db = await createSeededTestDatabase();
    const real = new URL(db.url);
    proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
    const proxied = new URL(db.url);
    proxied.host = `127.0.0.1:${proxy.address.port}`;
    viaProxy = withDatabase(proxied.toString(), db.name);
    fake = await FakeAnthropicServer.start();
    journal = mkdtempSync(join(tmpdir(), 'cc-usage-journal-'));
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    // The file's DROP DATABASE … WITH (FORCE) can reach a connection the pool is still closing; an idle
    // client's error is the pool's to report (node-postgres: without a listener it is an unhandled 'error').
    sql.on('error', () => undefined);
    server = spawnServer(
      { DATABASE_URL: viaProxy, ...fakeModelEnv(fake.url), QUOTA_HOLD_SECONDS: HOLD_SECONDS, USAGE_JOURNAL_DIR: journal, GRADING_IN_API: 'false' },
      'inherit',
    );
  });
  afterAll(async () => {
    await kill(server?.child);
    await proxy?.restore();
    await next?.app.close();
    await proxy?.close();
    await sql?.end();
    await fake?.close();
    await db?.drop();
    rmSync(journal, { recursive: true, force: true });
  });

  it('the next process writes the usage row from the journal and the unit comes back', async () => {
    // Booting migrates and seeds through the proxy: slow on a busy machine.
    const base = await server!.serving(60_000);
    const token = await fetchToken(base, DEMO.premium);
    const { rows: ids } = await sql!.query<{ student_id: string }>(`SELECT student_id FROM students WHERE email = $1`, [DEMO.premium.email]);
    const studentId = ids[0]!.student_id;

    fake!.setDefault({ kind: 'slow', delayMs: MODEL_DELAY_MS });
    const answer = fetchForcedPath(base, token);
    await waitFor('the request to be in its model call', () => fake!.requests.length === 1);
    await proxy!.cut();
    expect((await answer).status).toBe(503);
    // The usage row is on disk before the request answered; then the process dies.
    const lines = readdirSync(journal).flatMap((f) => readFileSync(join(journal, f), 'utf8').split('\n').filter(Boolean));
    expect(lines).toHaveLength(1);
    await kill(server?.child);

    await proxy!.restore();
    // The same DATABASE_URL as before the crash: journaled rows belong to the database it names.
    next = await startTestApp({ DATABASE_URL: viaProxy, QUOTA_HOLD_SECONDS: HOLD_SECONDS, USAGE_JOURNAL_DIR: journal, GRADING_IN_API: 'false' });
    await waitFor('the journaled usage row to be written', async () => (await providerCallRows(sql!, studentId)).length === 1, 10_000, 200);
    expect((await providerCallRows(sql!, studentId)).map((r) => r.outcome)).toEqual(['success']);
    await waitFor('the unit held by the dead request to come back', async () => (await unitsUsed(sql!, studentId, 'adaptive_paths')) === 0, 10_000, 200);
    await waitFor('the journal to be empty', () => readdirSync(journal).length === 0, 5000);
  }, 120_000);
});

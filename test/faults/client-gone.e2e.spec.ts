import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { waitFor } from './support/processes.js';
import { fakeModelEnv } from './support/server-process.js';
import { premiumStudent, providerCallRows, startProxiedApp, unitsUsed, type ProxiedApp } from './support/proxied-app.js';

const GIVE_UP_MS = 300;

/** The value once it has not changed for a second (at most 10 s). */
async function steady<T>(read: () => Promise<T>): Promise<T> {
  let last = JSON.stringify(await read());
  let since = Date.now();
  for (const until = Date.now() + 10_000; Date.now() < until && Date.now() - since < 1000; ) {
    await new Promise((r) => setTimeout(r, 200));
    const now = JSON.stringify(await read());
    if (now !== last) [last, since] = [now, Date.now()];
  }
  return JSON.parse(last) as T;
}

/** Requests whose clients gave up are not charged, however late the server gets to them. */
describe('requests abandoned by their clients', () => {
  let fake: FakeAnthropicServer | undefined;
  let p: ProxiedApp | undefined;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    p = await startProxiedApp({ ...fakeModelEnv(fake.url), GRADING_IN_API: 'false' });
  });
  afterAll(async () => {
    await p?.close();
    await fake?.close();
  });
  beforeEach(() => fake!.reset());

  /** Sends the request and hangs up after GIVE_UP_MS without reading an answer. */
  const abandon = (req: { timeout: (ms: number) => PromiseLike<unknown> }) =>
    Promise.resolve(req.timeout(GIVE_UP_MS)).then(
      () => 'answered',
      (error: { timeout?: number }) => (error.timeout ? 'gave up' : 'failed'),
    );
  const stored = async (table: 'adaptive_paths' | 'assessment_submissions', id: string) =>
    (await p!.sql.query(`SELECT 1 FROM ${table} WHERE student_id = $1`, [id])).rows.length;

  it('left while the database stalled: once it answers again, no path, no submission and no unit for them', async () => {
    const { t, proxy, sql } = p!;
    const s = await premiumStudent(t, sql, 'gave-up-early@example.com');
    proxy.pause();
    const gaveUp = await Promise.all([
      ...Array.from({ length: 5 }, () => abandon(t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }))),
      ...Array.from({ length: 5 }, (_, i) =>
        abandon(
          t.http
            .post('/api/v2/assessments/submit')
            .set('authorization', s.auth)
            .send({ question_id: '01-intro-q1', answer_text: `Tokens are the pieces of text a model reads (${i}).` }),
        ),
      ),
    ]);
    expect(gaveUp).toEqual(Array(10).fill('gave up'));
    proxy.resume();
    // The stalled requests run to their end now: wait until nothing changes for a second.
    await waitFor('the database to answer again', async () => (await t.http.get('/api/v1/health')).status === 200, 5000);
    const snapshot = async () => ({
      modelCalls: fake!.requests.length,
      pathUnits: await unitsUsed(sql, s.id, 'adaptive_paths'),
      assessmentUnits: await unitsUsed(sql, s.id, 'assessments'),
      paths: await stored('adaptive_paths', s.id),
      submissions: await stored('assessment_submissions', s.id),
    });
    expect(await steady(snapshot)).toEqual({ modelCalls: 0, pathUnits: 0, assessmentUnits: 0, paths: 0, submissions: 0 });
  }, 20_000);

  it('left during the model call: the call is cut off, its usage row is written, and the unit comes back', async () => {
    const { t, sql } = p!;
    const s = await premiumStudent(t, sql, 'gave-up-waiting@example.com');
    fake!.setDefault({ kind: 'slow', delayMs: 3000 });
    const started = Date.now();
    const req = t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true });
    const outcome = Promise.resolve(req).then(
      () => 'answered',
      () => 'gave up',
    );
    await waitFor('the request to be in its model call', () => fake!.requests.length === 1);
    req.abort();
    expect(await outcome).toBe('gave up');
    const [row] = await waitFor('the model call to be logged', async () => {
      const rows = await providerCallRows(sql, s.id);
      return rows.length > 0 ? rows : undefined;
    }, 6000);
    // The request is done with once its unit is settled: wait past the model's answer time.
    await new Promise((r) => setTimeout(r, Math.max(0, started + 3500 - Date.now())));
    expect({
      callCutOff: row!.outcome !== 'success' && row!.latency_ms < 2500,
      usageRows: (await providerCallRows(sql, s.id)).length,
      units: await unitsUsed(sql, s.id, 'adaptive_paths'),
      paths: await stored('adaptive_paths', s.id),
    }).toEqual({ callCutOff: true, usageRows: 1, units: 0, paths: 0 });

    // A client that waits is served and charged as usual.
    fake!.setDefault({ kind: 'ok' });
    expect((await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }).expect(200)).body.decision_source).toBe('llm');
    expect(await unitsUsed(sql, s.id, 'adaptive_paths')).toBe(1);
  }, 20_000);
});

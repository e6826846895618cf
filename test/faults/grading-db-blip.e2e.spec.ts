import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { withDatabase } from '../support/database-server.js';
import { secretsIn } from '../support/log-scan.js';
import { DEMO, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';
import { kill, waitFor } from './support/processes.js';
import { TcpProxy } from './support/tcp-proxy.js';

const ANSWER =
  'Fine-tuning changes the weights of the model on examples of the task, so it learns a style or format; ' +
  'retrieval adds knowledge at query time without training.';
const SUBMISSIONS = 4;
const OUTAGE_MS = 7000;

type Proc = { name: string; child: ChildProcess; lines: { msg?: string; url?: string }[]; raw: string[] };

/**
 * An API instance (grading in the API, the default) and a grading worker, both reaching PostgreSQL
 * through a proxy the test cuts while they are grading. The test's own app reaches the database
 * directly: it takes the submissions and looks at the result, and grades nothing itself.
 */
describe('a PostgreSQL outage while grading is in flight', () => {
  let fake: FakeAnthropicServer | undefined;
  let t: TestApp | undefined;
  let proxy: TcpProxy | undefined;
  const procs: Proc[] = [];

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    t = await startTestApp({ GRADING_IN_API: 'false' });
    const real = new URL(t.database.url);
    proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(t.database.url);
    viaProxy.host = `127.0.0.1:${proxy.address.port}`;
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: withDatabase(viaProxy.toString(), t.database.name),
      DATABASE_MIGRATE_ON_START: 'false',
      SEED_ON_START: 'false',
      JWT_SECRET_KEY: TEST_JWT_SECRET,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_TIMEOUT: '10',
      ANTHROPIC_MAX_RETRIES: '0',
      QUEUE_MAINTENANCE_SECONDS: '1',
      GRADING_JOB_TIMEOUT_SECONDS: '30',
      GRADING_CONCURRENCY: '2',
    };
    for (const [name, entry] of [
      ['api', 'dist/src/main.js'],
      ['worker', 'dist/src/worker.js'],
    ] as const) {
      const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      const proc: Proc = { name, child, lines: [], raw: [] };
      createInterface({ input: child.stdout }).on('line', (line) => {
        proc.raw.push(line);
        try {
          proc.lines.push(JSON.parse(line) as Proc['lines'][number]);
        } catch {
          // not a log line
        }
      });
      procs.push(proc);
    }
    await waitFor('the API to serve', () => procs[0]!.lines.some((l) => l.msg === 'Course Companion is serving'), 60_000);
    await waitFor('the worker to start', () => procs[1]!.lines.some((l) => l.msg === 'Grading worker started'), 60_000);
  }, 130_000);
  afterAll(async () => {
    await proxy?.restore();
    for (const p of procs) await kill(p.child);
    await t?.close();
    await proxy?.close();
    await fake?.close();
  });

  const alive = () => procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => p.name);
  const feedbackCounts = async (ids: string[]): Promise<number[]> => {
    const rows: { id: string; n: number }[] = await t!.app
      .get(DataSource)
      .query(
        `SELECT s.submission_id AS id, count(f.submission_id)::int AS n
           FROM assessment_submissions s LEFT JOIN assessment_feedback f USING (submission_id)
          WHERE s.submission_id = ANY($1) AND s.status = 'graded' GROUP BY 1`,
        [ids],
      );
    return ids.map((id) => rows.find((r) => r.id === id)?.n ?? 0);
  };

  it('no process exits; after the outage both serve and grade again, and every submission is graded exactly once', async () => {
    const auth = await t!.login(DEMO.premium.email, DEMO.premium.password);
    fake!.setDefault({ kind: 'slow', delayMs: 2500 });
    const ids: string[] = [];
    for (let i = 0; i < SUBMISSIONS; i++) {
      const res = await t!.http
        .post('/api/v2/assessments/submit')
        .set('authorization', auth)
        .send({ question_id: '05-fine-tuning-q1', answer_text: `${ANSWER} (${i})` })
        .expect(202);
      ids.push(res.body.submission_id as string);
    }
    await waitFor('both processes to be waiting on the model', () => fake!.requests.length >= 2, 20_000);

    await proxy!.cut();
    const cutAt = Date.now();
    let died: string[] = [];
    while (Date.now() - cutAt < OUTAGE_MS) {
      await new Promise((r) => setTimeout(r, 200));
      died = procs.map((p) => p.name).filter((n) => !alive().includes(n));
      if (died.length > 0) break;
    }
    process.stderr.write(`grading blip: died during the outage: ${JSON.stringify(died)}\n`);
    expect(died).toEqual([]);

    fake!.setDefault({ kind: 'ok' });
    await proxy!.restore();
    const restoredAt = Date.now();
    const serving = procs[0]!.lines.find((l) => l.msg === 'Course Companion is serving')!.url!.replace('0.0.0.0', '127.0.0.1');
    await waitFor('the API to answer healthy', async () => (await fetch(`${serving}/api/v1/health`)).status === 200, 10_000, 100);
    await waitFor('every submission to be graded', async () => (await feedbackCounts(ids)).every((n) => n > 0), 10_000, 200);
    process.stderr.write(`grading blip: all graded ${Date.now() - restoredAt} ms after the database came back\n`);
    expect(await feedbackCounts(ids)).toEqual(ids.map(() => 1));

    // A submission made after the outage is graded too (by whichever process takes it).
    const after = await t!.http
      .post('/api/v2/assessments/submit')
      .set('authorization', auth)
      .send({ question_id: '05-fine-tuning-q1', answer_text: `${ANSWER} (after)` })
      .expect(202);
    await waitFor('the new submission to be graded', async () => (await feedbackCounts([after.body.submission_id as string]))[0] === 1, 10_000, 200);
    expect(alive()).toEqual(['api', 'worker']);
    // What both processes logged through the outage (failed queries included) carries no secret.
    expect(secretsIn(procs.flatMap((p) => p.raw))).toEqual([]);
  }, 90_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { createSeededTestDatabase, type TestDatabase } from '../support/test-database.js';
import { DEMO, TEST_JWT_SECRET } from '../support/test-app.js';
import { accepts, exited, kill, waitFor } from './support/processes.js';

const IN_FLIGHT = 4;
const MODEL_DELAY_MS = 1500;

/** The real server process (dist/src/main.js): SIGTERM drains in-flight requests, then exits 0. */
describe('SIGTERM with requests in flight', () => {
  let db: TestDatabase | undefined;
  let fake: FakeAnthropicServer | undefined;
  let server: ChildProcess | undefined;
  const log: { msg?: string; url?: string }[] = [];

  beforeAll(async () => {
    db = await createSeededTestDatabase();
    fake = await FakeAnthropicServer.start();
    server = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: db.url,
        JWT_SECRET_KEY: TEST_JWT_SECRET,
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: fake.url,
        ANTHROPIC_MAX_RETRIES: '0',
        ANTHROPIC_TIMEOUT: '10',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: server.stdout! }).on('line', (line) => {
      try {
        log.push(JSON.parse(line) as { msg?: string; url?: string });
      } catch {
        // not a log line
      }
    });
  });
  afterAll(async () => {
    await kill(server);
    await fake?.close();
    await db?.drop();
  });

  it('finishes every in-flight request with its normal answer, refuses new connections, and exits 0 within 10 s', async () => {
    const serving = await waitFor('the server to listen', () => log.find((l) => l.msg === 'Course Companion is serving')?.url, 30_000);
    const base = serving.replace('0.0.0.0', '127.0.0.1');
    const port = Number(new URL(base).port);

    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO.premium),
    });
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };

    fake!.setDefault({ kind: 'slow', delayMs: MODEL_DELAY_MS });
    const finished: number[] = [];
    const inFlight = Array.from({ length: IN_FLIGHT }, async () => {
      const res = await fetch(`${base}/api/v2/adaptive/path`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ force_refresh: true }),
      });
      const body = (await res.json()) as { decision_source?: string };
      finished.push(Date.now());
      return { status: res.status, source: body.decision_source };
    });
    // All of them are waiting on the model when the signal comes.
    await waitFor('every request to reach the model', () => fake!.requests.length === IN_FLIGHT);

    const signalled = Date.now();
    server!.kill('SIGTERM');
    const exit = exited(server!);
    await waitFor('the listener to close', async () => !(await accepts(port)), 3000, 20);
    const refusedAt = Date.now();

    expect(await Promise.all(inFlight)).toEqual(Array.from({ length: IN_FLIGHT }, () => ({ status: 200, source: 'llm' })));
    // New connections were already refused while those requests were still running.
    expect(refusedAt).toBeLessThan(Math.min(...finished));
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(log.some((l) => l.msg === 'Shutting down: finishing in-flight requests')).toBe(true);

    // The paths served during shutdown were saved, and their units counted.
    const client = new pg.Client({ connectionString: db!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ paths: number; used: number }>(
        `SELECT (SELECT count(*)::int FROM adaptive_paths p JOIN students s USING (student_id) WHERE s.email = $1 AND p.decision_source = 'llm') AS paths,
                (SELECT used FROM premium_usage_quotas q JOIN students s USING (student_id) WHERE s.email = $1 AND q.feature = 'adaptive_paths') AS used`,
        [DEMO.premium.email],
      );
      expect(rows[0]).toEqual({ paths: IN_FLIGHT, used: IN_FLIGHT });
    } finally {
      await client.end();
    }
  }, 50_000);
});

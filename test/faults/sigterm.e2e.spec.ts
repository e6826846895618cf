import pg from 'pg';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { createSeededTestDatabase, type TestDatabase } from '../support/test-database.js';
import { DEMO } from '../support/test-app.js';
import { accepts, exited, kill, waitFor } from './support/processes.js';
import { fakeModelEnv, fetchForcedPath, fetchToken, spawnServer, type ServerProcess } from './support/server-process.js';

const IN_FLIGHT = 4;
const MODEL_DELAY_MS = 1500;

/** The real server process (dist/src/main.js): SIGTERM drains in-flight requests, then exits 0. */
describe('SIGTERM with requests in flight', () => {
  let db: TestDatabase | undefined;
  let fake: FakeAnthropicServer | undefined;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    db = await createSeededTestDatabase();
    fake = await FakeAnthropicServer.start();
    server = spawnServer({ DATABASE_URL: db.url, ...fakeModelEnv(fake.url) }, 'inherit');
  });
  afterAll(async () => {
    await kill(server?.child);
    await fake?.close();
    await db?.drop();
  });

  it('finishes every in-flight request with its normal answer, refuses new connections, and exits 0 within 10 s', async () => {
    const base = await server!.serving(30_000);
    const port = Number(new URL(base).port);
    const token = await fetchToken(base, DEMO.premium);

    fake!.setDefault({ kind: 'slow', delayMs: MODEL_DELAY_MS });
    const finished: number[] = [];
    const inFlight = Array.from({ length: IN_FLIGHT }, async () => {
      const res = await fetchForcedPath(base, token);
      const body = (await res.json()) as { decision_source?: string };
      finished.push(Date.now());
      return { status: res.status, source: body.decision_source };
    });
    // All of them are waiting on the model when the signal comes.
    await waitFor('every request to reach the model', () => fake!.requests.length === IN_FLIGHT);

    const signalled = Date.now();
    server!.child.kill('SIGTERM');
    const exit = exited(server!.child);
    await waitFor('the listener to close', async () => !(await accepts(port)), 3000, 20);
    const refusedAt = Date.now();

    expect(await Promise.all(inFlight)).toEqual(Array.from({ length: IN_FLIGHT }, () => ({ status: 200, source: 'llm' })));
    // New connections were already refused while those requests were still running.
    expect(refusedAt).toBeLessThan(Math.min(...finished));
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server!.log.some((l) => l.msg === 'Shutting down: finishing in-flight requests')).toBe(true);

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

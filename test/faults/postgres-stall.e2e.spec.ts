import type { TestApp } from '../support/test-app.js';
import { waitFor } from './support/processes.js';
import { startProxiedApp } from './support/proxied-app.js';
import type { TcpProxy } from './support/tcp-proxy.js';

/** The default statement timeout (1 s, the client gives up 250 ms later) plus the request's own work (argon2 for register and login). */
const BOUND_MS = 2500;
/** Register and login hash or verify a password (argon2, CPU-bound) before they query. */
const PASSWORD_ROUTE_BOUND_MS = 4000;
const HUNG_MS = 8000;

/**
 * PostgreSQL that stops answering on connections the pool already holds (the proxy keeps them
 * open and forwards nothing), and on new ones: every query must give up on its own.
 */
describe('a PostgreSQL link that hangs without closing', () => {
  let close: (() => Promise<void>) | undefined;
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;
  let auth = '';

  beforeAll(async () => {
    // The default statement and connect timeouts.
    const proxied = await startProxiedApp();
    ({ t, proxy, close } = proxied);
    await t.http.post('/api/v1/auth/register').send({ email: 'stall@example.com', password: 'longenough1', full_name: 'S' }).expect(201);
    auth = await t.login('stall@example.com', 'longenough1');
  });
  afterAll(async () => {
    await close?.();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After within about a second, on pooled and new connections', async () => {
    const h = t!.http;
    // Fill the pool with open connections first, so the stall catches queries on them.
    await Promise.all(Array.from({ length: 10 }, () => h.get('/api/v1/progress').set('authorization', auth).expect(200)));
    proxy!.pause();
    const calls: [string, () => ReturnType<TestApp['http']['get']>][] = [
      ['progress', () => h.get('/api/v1/progress').set('authorization', auth)],
      ['history', () => h.get('/api/v1/progress/quiz-history').set('authorization', auth)],
      ['submit', () => h.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth).send({ answers: { q1: 'a' } })],
      ['login', () => h.post('/api/v1/auth/login').send({ email: 'stall@example.com', password: 'longenough1' })],
      ['register', () => h.post('/api/v1/auth/register').send({ email: 'stall-2@example.com', password: 'longenough1', full_name: 'S' })],
    ];
    // Twice over: the second round meets whatever the first left in the pool.
    const answers = [];
    for (let round = 0; round < 2; round++) {
      answers.push(
        ...(await Promise.all(
          calls.map(async ([name, call]) => {
            const started = Date.now();
            try {
              const res = await call().timeout(HUNG_MS);
              return { name, status: res.status, code: res.body?.error?.code, retryAfter: res.headers['retry-after'], ms: Date.now() - started };
            } catch {
              return { name, status: 0, code: 'hung', retryAfter: undefined, ms: Date.now() - started };
            }
          }),
        )),
      );
    }
    const started = Date.now();
    const health = await h.get('/api/v1/health').timeout(HUNG_MS);
    const healthMs = Date.now() - started;
    const worst = Math.max(...answers.map((a) => a.ms), healthMs);
    process.stderr.write(`postgres stalled: worst ${worst} ms; ${JSON.stringify(answers.map((a) => [a.name, a.status, a.ms]))}\n`);

    for (const a of answers) expect(a).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: expect.stringMatching(/^\d+$/) });
    for (const a of answers) expect(a.ms).toBeLessThan(['login', 'register'].includes(a.name) ? PASSWORD_ROUTE_BOUND_MS : BOUND_MS);
    expect(healthMs).toBeLessThan(BOUND_MS);
    expect(health.status).toBe(503);
    expect(health.body.checks.database.status).toBe('down');
  }, 40_000);

  it('serves again once the link forwards, without a restart', async () => {
    await proxy!.restore();
    await waitFor('health to be healthy again', async () => (await t!.http.get('/api/v1/health')).status === 200, 10_000, 100);
    await t!.http.get('/api/v1/progress').set('authorization', auth).expect(200);
    await t!.http.post('/api/v1/auth/register').send({ email: 'stall-2@example.com', password: 'longenough1', full_name: 'S' }).expect(201);
  }, 20_000);
});

import { DataSource } from 'typeorm';
import type { TestApp } from '../support/test-app.js';
import { waitFor } from './support/processes.js';
import { startProxiedApp } from './support/proxied-app.js';
import type { TcpProxy } from './support/tcp-proxy.js';

/** The app reaches PostgreSQL only through a proxy the test cuts; the shared server stays up. */
describe('a PostgreSQL outage, through a proxy the test cuts and restores', () => {
  let close: (() => Promise<void>) | undefined;
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;
  const student = { email: 'outage@example.com', password: 'longenough1', full_name: 'Out Age' };
  let auth = '';

  beforeAll(async () => {
    const proxied = await startProxiedApp();
    ({ t, proxy, close } = proxied);
  });
  afterAll(async () => {
    await close?.();
  });

  const app = () => t!;
  const quizAnswers = { answers: { q1: 'a', q2: 'b' } };

  it('stores what students do while the database is up', async () => {
    await app().http.post('/api/v1/auth/register').send(student).expect(201);
    auth = await app().login(student.email, student.password);
    await app().http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth).send(quizAnswers).expect(200);
    const history = await app().http.get('/api/v1/progress/quiz-history').set('authorization', auth).expect(200);
    expect(history.body.attempts).toHaveLength(1);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, quickly and never 500, while the proxy refuses connections', async () => {
    await proxy!.cut();
    const calls: [string, () => ReturnType<TestApp['http']['get']>][] = [
      ['login', () => app().http.post('/api/v1/auth/login').send({ email: student.email, password: student.password })],
      ['register', () => app().http.post('/api/v1/auth/register').send({ ...student, email: 'during-outage@example.com' })],
      ['me', () => app().http.get('/api/v1/auth/me').set('authorization', auth)],
      ['submit', () => app().http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth).send(quizAnswers)],
      ['progress', () => app().http.get('/api/v1/progress').set('authorization', auth)],
      ['history', () => app().http.get('/api/v1/progress/quiz-history').set('authorization', auth)],
    ];
    const answers = await Promise.all(
      calls.map(async ([name, call]) => {
        const started = Date.now();
        const res = await call();
        return { name, status: res.status, code: res.body?.error?.code, retryAfter: res.headers['retry-after'], ms: Date.now() - started };
      }),
    );
    for (const a of answers) {
      expect(a).toEqual({ name: a.name, status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: '5', ms: expect.any(Number) });
      expect(a.ms).toBeLessThan(3000);
    }
    // Content may come from memory; whatever answers, it is never a 500.
    for (const path of ['/api/v1/chapters', '/api/v1/chapters/01-intro', '/api/v1/quizzes/01-intro-quiz']) {
      const res = await app().http.get(path).set('authorization', auth);
      expect([200, 503]).toContain(res.status);
      if (res.status === 503) expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    }

    const started = Date.now();
    const health = await app().http.get('/api/v1/health');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { database: { status: 'down' } } });
  });

  it('fails fast with 503 when the network swallows packets (pool connect timeout), not a hang', async () => {
    await proxy!.blackhole();
    const started = Date.now();
    const [progress, health] = await Promise.all([
      app().http.get('/api/v1/progress').set('authorization', auth),
      app().http.get('/api/v1/health'),
    ]);
    expect(progress.status).toBe(503);
    expect(progress.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(health.status).toBe(503);
    expect(health.body.checks.database.status).toBe('down');
    // The pool gives up after its connection timeout (5 s); nothing waits on a dead socket for ever.
    expect(Date.now() - started).toBeLessThan(7000);
  }, 15_000);

  it('serves again once the proxy is back, without a restart, and nothing written before the outage is lost', async () => {
    await proxy!.restore();
    await waitFor('health to be healthy again', async () => (await app().http.get('/api/v1/health')).status === 200, 15_000, 100);

    auth = await app().login(student.email, student.password);
    const history = await app().http.get('/api/v1/progress/quiz-history').set('authorization', auth).expect(200);
    expect(history.body.attempts).toHaveLength(1);
    // A 503 during the outage means nothing happened: the same registration now succeeds.
    await app().http.post('/api/v1/auth/register').send({ ...student, email: 'during-outage@example.com' }).expect(201);
    await app().http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth).send(quizAnswers).expect(200);
    const [{ n }] = await app().app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM quiz_results r JOIN students s USING (student_id) WHERE s.email = $1`,
      [student.email],
    );
    expect(n).toBe(2);
  }, 20_000);
});

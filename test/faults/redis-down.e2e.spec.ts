import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { RedisProcess, waitFor } from './support/processes.js';
import { TcpProxy } from './support/tcp-proxy.js';

const period = () => new Date().toISOString().slice(0, 7);

/** Redis is only a cache and a mirror: with it gone the app answers the same, from PostgreSQL. */
describe('Redis killed and restarted under a running app', () => {
  let redis: RedisProcess | undefined;
  let t: TestApp | undefined;
  let peek: Redis | undefined;
  let burst: { auth: string; id: string };
  let cached: { auth: string; id: string };

  beforeAll(async () => {
    redis = await RedisProcess.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    // The test's own look into Redis; it must not retry for ever while Redis is away.
    peek = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 100 });
    peek.on('error', () => undefined);
    await peek.connect();
    burst = await premium('burst@example.com');
    cached = await premium('cached@example.com');
  });
  afterAll(async () => {
    peek?.disconnect();
    await t?.close();
    await redis?.stop();
  });

  const app = () => t!;
  const used = async (id: string): Promise<number> =>
    (await app().app.get(DataSource).query(`SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND feature = 'adaptive_paths'`, [id]))[0]
      ?.used ?? 0;
  const quotaKey = (id: string) => `quota:${id}:${period()}:adaptive_paths`;
  const path = (s: { auth: string }, body: object = {}) => app().http.post('/api/v2/adaptive/path').set('authorization', s.auth).send(body);

  async function premium(email: string): Promise<{ auth: string; id: string }> {
    const res = await app().http.post('/api/v1/auth/register').send({ email, password: 'longenough1', full_name: 'R' }).expect(201);
    await app()
      .app.get(DataSource)
      .query(`UPDATE students SET subscription_tier = 'premium', subscription_expires_at = now() + interval '30 days' WHERE student_id = $1`, [
        res.body.student_id,
      ]);
    return { auth: await app().login(email, 'longenough1'), id: res.body.student_id };
  }

  it('with Redis up: healthy, paths cached and the quota mirrored in Redis', async () => {
    const health = await app().http.get('/api/v1/health').expect(200);
    expect(health.body).toMatchObject({ status: 'healthy', checks: { cache: { status: 'up', store: 'redis' } } });
    expect((await path(cached).expect(200)).body.decision_source).toBe('rules');
    expect((await path(cached).expect(200)).body.decision_source).toBe('cache');
    expect(await peek!.get(quotaKey(cached.id))).toBe('1');
  });

  it('with Redis killed: health says degraded (200) with the cache down and the database up', async () => {
    await redis!.stop();
    const health = await waitFor('health to see Redis gone', async () => {
      const res = await app().http.get('/api/v1/health');
      return res.body.checks?.cache?.status === 'down' ? res : undefined;
    });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { database: { status: 'up' }, cache: { status: 'down', store: 'redis' } } });
  });

  it('with Redis killed: a burst of 20 paths with 3 units left gets exactly 3 × 200 and 17 × 429 (PostgreSQL counts)', async () => {
    await app()
      .app.get(DataSource)
      .query(`INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, 'adaptive_paths', 7)`, [burst.id, period()]);
    const responses = await Promise.all(Array.from({ length: 20 }, () => path(burst, { force_refresh: true })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
    for (const r of responses.filter((x) => x.status === 429)) {
      expect(r.body.error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', quota: { feature: 'adaptive_paths', used: 10, limit: 10 } });
    }
    expect(await used(burst.id)).toBe(10);
    const quota = await app().http.get('/api/v2/usage/quota').set('authorization', burst.auth).expect(200);
    expect(quota.body.features.adaptive_paths).toEqual({ used: 10, limit: 10 });
  });

  it('with Redis killed: a plain view is served the path stored in PostgreSQL, for no unit', async () => {
    const before = await used(cached.id);
    const res = await path(cached).expect(200);
    expect(res.body.decision_source).toBe('cache');
    expect(await used(cached.id)).toBe(before);
  });

  it('with Redis killed: no v1 route answers 500', async () => {
    const h = app().http;
    const auth = cached.auth;
    const answers = [
      await h.get('/api/v1/health'),
      await h.post('/api/v1/auth/register').send({ email: 'no-redis@example.com', password: 'longenough1', full_name: 'N' }),
      await h.post('/api/v1/auth/login').send({ email: 'no-redis@example.com', password: 'longenough1' }),
      await h.post('/api/v1/auth/login').send({ email: 'no-redis@example.com', password: 'wrong-password' }),
      await h.get('/api/v1/auth/me').set('authorization', auth),
      await h.get('/api/v1/chapters').set('authorization', auth),
      await h.get('/api/v1/chapters/01-intro').set('authorization', auth),
      await h.get('/api/v1/quizzes/01-intro-quiz').set('authorization', auth),
      await h.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth).send({ answers: { q1: 'a' } }),
      await h.get('/api/v1/progress').set('authorization', auth),
      await h.get('/api/v1/progress/quiz-history').set('authorization', auth),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 201, 200, 401, 200, 200, 200, 200, 200, 200, 200]);
  });

  it('with Redis back on the same port: healthy again, the quota mirror rebuilt from PostgreSQL, paths cached again', async () => {
    await redis!.start();
    await waitFor('health to be healthy again', async () => (await app().http.get('/api/v1/health')).body.status === 'healthy', 10_000, 100);
    await waitFor('the test client to reconnect', async () => (await peek!.ping()) === 'PONG');
    // A fresh Redis is empty; the first read fills the mirror from PostgreSQL.
    expect(await peek!.get(quotaKey(burst.id))).toBeNull();
    const quota = await app().http.get('/api/v2/usage/quota').set('authorization', burst.auth).expect(200);
    expect(quota.body.features.adaptive_paths).toEqual({ used: 10, limit: 10 });
    expect(await peek!.get(quotaKey(burst.id))).toBe('10');

    // The quiz submitted while Redis was away makes the path stale; the next one is built and cached.
    expect((await path(cached).expect(200)).body.decision_source).toBe('rules');
    expect((await path(cached).expect(200)).body.decision_source).toBe('cache');
    expect(await peek!.get(quotaKey(cached.id))).toBe(String(await used(cached.id)));
  }, 20_000);
});

/** Redis alive but out of reach keeps its old values: the app must not trust them when it is back. */
describe('Redis cut off by a network partition, then reachable again', () => {
  let redis: RedisProcess | undefined;
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;
  let peek: Redis | undefined;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: redis.port });
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${proxy.address.port}` });
    peek = new Redis(redis.url, { maxRetriesPerRequest: 0 });
  });
  afterAll(async () => {
    peek?.disconnect();
    await t?.close();
    await proxy?.close();
    await redis?.stop();
  });

  it('serves the quota PostgreSQL has, not the mirror Redis kept from before the partition', async () => {
    const http = t!.http;
    const res = await http.post('/api/v1/auth/register').send({ email: 'partition@example.com', password: 'longenough1', full_name: 'P' }).expect(201);
    const id = res.body.student_id as string;
    await t!.app
      .get(DataSource)
      .query(`UPDATE students SET subscription_tier = 'premium', subscription_expires_at = now() + interval '30 days' WHERE student_id = $1`, [id]);
    const auth = await t!.login('partition@example.com', 'longenough1');
    const quotaKey = `quota:${id}:${period()}:adaptive_paths`;

    await http.post('/api/v2/adaptive/path').set('authorization', auth).send({ force_refresh: true }).expect(200);
    expect(await peek!.get(quotaKey)).toBe('1');

    await proxy!.cut();
    await waitFor('health to see Redis gone', async () => (await http.get('/api/v1/health')).body.checks?.cache?.status === 'down');
    for (let i = 0; i < 3; i++) await http.post('/api/v2/adaptive/path').set('authorization', auth).send({ force_refresh: true }).expect(200);
    expect(await peek!.get(quotaKey)).toBe('1'); // Redis never heard of these three

    await proxy!.restore();
    await waitFor('health to be healthy again', async () => (await http.get('/api/v1/health')).body.status === 'healthy', 10_000, 100);
    const quota = await http.get('/api/v2/usage/quota').set('authorization', auth).expect(200);
    expect(quota.body.features.adaptive_paths).toEqual({ used: 4, limit: 10 });
    await waitFor('the mirror to match PostgreSQL', async () => (await peek!.get(quotaKey)) === '4', 3000);
  }, 20_000);
});

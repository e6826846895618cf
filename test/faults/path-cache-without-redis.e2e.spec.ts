import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { premiumStudentAs } from '../support/security/accounts.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { RedisProcess, waitFor } from './support/processes.js';

const used = async (t: TestApp, id: string): Promise<number> =>
  (await t.app.get(DataSource).query(`SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND feature = 'adaptive_paths'`, [id]))[0]
    ?.used ?? 0;

/** Plain (not forced) path views are served from the stored path: no unit while Redis is gone. */
describe('plain adaptive-path views with Redis killed', () => {
  let redis: RedisProcess | undefined;
  let t: TestApp | undefined;
  beforeAll(async () => {
    redis = await RedisProcess.start();
    t = await startTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('6 plain views while Redis is down are served from PostgreSQL: 6 × cache, no unit', async () => {
    const s = await premiumStudentAs(t!, 'no-redis-views@example.com');
    const first = await t!.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200);
    expect(first.body.decision_source).toBe('rules');
    expect(await used(t!, s.id)).toBe(1);

    await redis!.stop();
    await waitFor('health to see Redis gone', async () => (await t!.http.get('/api/v1/health')).body.checks?.cache?.status === 'down');
    const views = [];
    for (let i = 0; i < 6; i++) views.push(await t!.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}));
    expect(views.map((v) => v.status)).toEqual(Array(6).fill(200));
    expect(views.map((v) => v.body.decision_source)).toEqual(Array(6).fill('cache'));
    expect(new Set(views.map((v) => v.body.path_id))).toEqual(new Set([first.body.path_id]));
    expect(await used(t!, s.id)).toBe(1);

    // A quiz finished since makes the stored path stale: the next plain view builds (one unit).
    await t!.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', s.auth).send({ answers: { q1: 'a' } }).expect(200);
    const rebuilt = await t!.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200);
    expect(rebuilt.body.decision_source).toBe('rules');
    expect(await used(t!, s.id)).toBe(2);
  }, 20_000);
});

/** Two instances, no shared cache: a cold burst of plain views for one student builds once. */
describe('20 concurrent plain views on a cold cache, across two instances', () => {
  let fake: FakeAnthropicServer | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    const env = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_MAX_RETRIES: '0', PREMIUM_ADAPTIVE_PATHS_LIMIT: '10' };
    a = await startTestApp(env);
    // Each instance has only its own in-process cache: what they share is PostgreSQL.
    b = await startTestApp({ ...env, DATABASE_URL: a.database.url });
  });
  afterAll(async () => {
    await b?.app.close();
    await a?.close();
    await fake?.close();
  });

  it('one model call and one unit; the other 19 are served the same path from the cache', async () => {
    const s = await premiumStudentAs(a!, 'cold-burst@example.com');
    fake!.setDefault({ kind: 'slow', delayMs: 800 });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a! : b!).http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).then((r) => r)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const sources = responses.map((r) => r.body.decision_source as string);
    expect(sources.filter((x) => x === 'llm')).toHaveLength(1);
    expect(sources.filter((x) => x === 'cache')).toHaveLength(19);
    expect(new Set(responses.map((r) => r.body.path_id)).size).toBe(1);
    expect(fake!.requests).toHaveLength(1);
    expect(await used(a!, s.id)).toBe(1);
  }, 30_000);
});

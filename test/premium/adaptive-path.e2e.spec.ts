import pg from 'pg';
import { DataSource } from 'typeorm';
import { FeatureFlagsService } from '../../src/flags/feature-flags.service.js';
import { PremiumRequestsService } from '../../src/usage/premium-requests.service.js';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { retryingFakeModelEnv } from '../support/fake-model.js';
import { premiumStudentAs, unitsUsed } from '../support/security/accounts.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';
import { openTestRedis, TEST_REDIS_URL } from '../support/test-redis.js';

const period = () => new Date().toISOString().slice(0, 7);

const used = (t: TestApp, id: string): Promise<number> => unitsUsed(t, id, 'adaptive_paths');

describe('adaptive paths with no LLM configured (rules provider)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses free students, expired premium and anonymous callers', async () => {
    const free = await t.login(DEMO.free.email, DEMO.free.password);
    const res = await t.http.post('/api/v2/adaptive/path').set('authorization', free).send({ force_refresh: false }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'PREMIUM_REQUIRED', upgrade_url: '/upgrade' });
    expect((await t.http.get('/api/v2/usage/quota').set('authorization', free).expect(403)).body.error.code).toBe('PREMIUM_REQUIRED');
    await t.http.post('/api/v2/adaptive/path').send({}).expect(401);

    const lapsed = await premiumStudentAs(t, 'lapsed@example.com');
    await t.app.get(DataSource).query(`UPDATE students SET subscription_expires_at = now() - interval '1 day' WHERE student_id = $1`, [lapsed.id]);
    const expired = await t.http.post('/api/v2/adaptive/path').set('authorization', lapsed.auth).send({}).expect(403);
    expect(expired.body.error).toMatchObject({ code: 'PREMIUM_REQUIRED', message: 'Your premium subscription has expired' });
    expect(await used(t, lapsed.id)).toBe(0);
  });

  it('gives a new student a starting path, caches it, and rebuilds it after a new quiz result', async () => {
    const s = await premiumStudentAs(t, 'newcomer@example.com');
    const first = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ include_reasoning: true }).expect(200);
    expect(first.body).toMatchObject({
      student_id: s.id,
      decision_source: 'rules',
      variant: 'adaptive',
      recommendations: [{ chapter_id: '01-intro', action: 'start', priority: 1, reason: expect.any(String) }],
      reasoning: expect.any(String),
    });
    expect(Date.parse(first.body.expires_at) - Date.parse(first.body.generated_at)).toBe(24 * 3600 * 1000);

    const cached = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200);
    expect(cached.body).toMatchObject({ path_id: first.body.path_id, decision_source: 'cache' });
    expect(cached.body.reasoning).toBeUndefined();
    expect(await used(t, s.id)).toBe(1);

    await t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', s.auth).send({ answers: { q1: 'a' } }).expect(200);
    const rebuilt = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200);
    expect(rebuilt.body.decision_source).toBe('rules');
    expect(rebuilt.body.path_id).not.toBe(first.body.path_id);
    expect(rebuilt.body.recommendations[0]).toMatchObject({ chapter_id: '01-intro', action: 'review' });
    expect(await used(t, s.id)).toBe(2);

    const stored = await t.app.get(DataSource).query('SELECT decision_source, variant FROM adaptive_paths WHERE student_id = $1', [s.id]);
    expect(stored).toHaveLength(2);
  });

  it('serves 10 paths a month, then answers 429 with the quota; the quota route agrees', async () => {
    const s = await premiumStudentAs(t, 'quota@example.com');
    for (let i = 0; i < 10; i++) {
      await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }).expect(200);
    }
    const res = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }).expect(429);
    expect(res.body.error).toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      quota: { feature: 'adaptive_paths', used: 10, limit: 10, period: period(), resets_at: expect.stringMatching(/-01T00:00:00.000Z$/) },
    });
    const quota = await t.http.get('/api/v2/usage/quota').set('authorization', s.auth).expect(200);
    expect(quota.body).toEqual({
      period: period(),
      resets_at: res.body.error.quota.resets_at,
      features: {
        adaptive_paths: { used: 10, limit: 10 },
        assessments: { used: 0, limit: 20 },
        tutor_questions: { used: 0, limit: 30 },
        study_tools: { used: 0, limit: 20 },
      },
    });
    // A cached path still costs nothing once the quota is spent.
    expect((await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200)).body.decision_source).toBe('cache');
  });

  it('records every request for the operators off the request path, and a failed record fails no request', async () => {
    const s = await premiumStudentAs(t, 'recorded@example.com');
    const db = t.app.get(DataSource);
    const recorded = async () => {
      await t.app.get(PremiumRequestsService).flush();
      const rows: { source: string }[] = await db.query(
        `SELECT source FROM premium_requests WHERE student_id = $1 ORDER BY created_at, source`,
        [s.id],
      );
      return rows.map((r) => r.source);
    };
    await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200);
    await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200);
    await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }).expect(200);
    expect(await recorded()).toEqual(['rules', 'cache', 'rules']);

    // The table away: the student is still served, the batch is dropped with a warning, nothing throws.
    await db.query('ALTER TABLE premium_requests RENAME TO premium_requests_away');
    try {
      const res = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(200);
      expect(res.body.decision_source).toBe('cache');
      await expect(t.app.get(PremiumRequestsService).flush()).resolves.toBeUndefined();
    } finally {
      await db.query('ALTER TABLE premium_requests_away RENAME TO premium_requests');
    }
    expect(await recorded()).toEqual(['rules', 'cache', 'rules']);
  });

  it('refuses unknown or mistyped fields without spending a unit', async () => {
    const s = await premiumStudentAs(t, 'typo@example.com');
    const bad = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: 'yes', extra: 1 }).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    expect(await used(t, s.id)).toBe(0);
  });

  it('answers 404 FEATURE_DISABLED when an operator turns the feature off, within the refresh window', async () => {
    const s = await premiumStudentAs(t, 'flagged@example.com');
    const db = t.app.get(DataSource);
    await db.query(`INSERT INTO feature_flags (feature, enabled, rollout_percentage, variants) VALUES ('adaptive_paths', false, 100, '[]')`);
    t.app.get(FeatureFlagsService).invalidate();
    try {
      const res = await t.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({}).expect(404);
      expect(res.body.error).toMatchObject({ code: 'FEATURE_DISABLED', feature: 'adaptive_paths' });
      expect(await used(t, s.id)).toBe(0);
    } finally {
      await db.query(`DELETE FROM feature_flags`);
      t.app.get(FeatureFlagsService).invalidate();
    }
  });
});

describe('the quota under a burst, across two app instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ DATABASE_URL: a.database.url, SEED_ON_START: 'false' });
  });
  afterAll(async () => {
    await b.app.close();
    await a.close();
  });

  it('grants exactly the 3 units left to 50 concurrent requests and answers 429 to the other 47', async () => {
    const s = await premiumStudentAs(a, 'burst@example.com');
    await a.app
      .get(DataSource)
      .query(`INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, 'adaptive_paths', 7)`, [s.id, period()]);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(3);
    expect(statuses.filter((x) => x === 429)).toHaveLength(47);
    expect(await used(a, s.id)).toBe(10);
  });
});

describe('adaptive paths with the (fake) Anthropic model', () => {
  let fake: FakeAnthropicServer;
  let t: TestApp;
  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    t = await startTestApp({ ...retryingFakeModelEnv(fake.url), REDIS_URL: TEST_REDIS_URL });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('lets the model refine the path, logs the call against the path, and keeps identities out of the prompt', async () => {
    const auth = await t.login(DEMO.premium.email, DEMO.premium.password);
    fake.respondWith(() => ({
      recommendations: [
        { chapter_id: '01-intro', action: 'start', priority: 1, reason: 'Begin with the foundations.' },
        { chapter_id: '02-prompting', action: 'start', priority: 2, reason: 'Then prompting.' },
      ],
      reasoning: 'No history yet, so the course order is the best guide.',
    }));
    const res = await t.http.post('/api/v2/adaptive/path').set('authorization', auth).send({ force_refresh: true, include_reasoning: true }).expect(200);
    expect(res.body).toMatchObject({
      decision_source: 'llm',
      recommendations: [{ chapter_id: '01-intro', priority: 1 }, { chapter_id: '02-prompting', priority: 2 }],
      reasoning: 'No history yet, so the course order is the best guide.',
    });

    const [log] = await t.app
      .get(DataSource)
      .query(`SELECT * FROM llm_usage_logs WHERE reference_id = $1 AND feature = 'adaptive_paths'`, [res.body.path_id]);
    expect(log).toMatchObject({ student_id: res.body.student_id, success: true, outcome: 'success', variant: 'adaptive' });
    expect(log.tokens_input + log.cache_write_tokens + log.cache_read_tokens).toBeGreaterThan(0);
    expect(log.tokens_output).toBeGreaterThan(0);
    expect(Number(log.cost_usd)).toBeGreaterThan(0);

    const body = JSON.stringify(fake.requests[0]!.body);
    expect(body).not.toContain(res.body.student_id);
    expect(body).not.toContain('premium@test.com');
    expect(body).not.toContain('Premium Test User');
    // Chapter ids are an enum of the live catalog in the schema sent to the model.
    expect(JSON.stringify(fake.requests[0]!.body.output_config.format.schema)).toContain(
      '"chapter_id":{"enum":["01-intro","02-prompting","03-embeddings","04-rag","05-fine-tuning","06-ai-apps"]}',
    );

    // The quota is mirrored in Redis under the documented key.
    const redis = openTestRedis();
    try {
      const key = `quota:${res.body.student_id}:${period()}:adaptive_paths`;
      expect(await redis.get(key)).toBe(String(await used(t, res.body.student_id)));
      await redis.del(key);
      const quota = await t.http.get('/api/v2/usage/quota').set('authorization', auth).expect(200);
      expect(quota.body.features.adaptive_paths.used).toBe(await used(t, res.body.student_id));
      expect(await redis.get(key)).toBe(String(quota.body.features.adaptive_paths.used));
      expect(await redis.ttl(`adaptive_path:${res.body.student_id}`)).toBeGreaterThan(86_000);
    } finally {
      redis.disconnect();
    }
  });

  it.each([
    [{ kind: 'server_error' } as const],
    [{ kind: 'malformed_json' } as const],
    [{ kind: 'overloaded' } as const],
  ])('serves the rules path when the model fails (%j) and gives the unit back', async (mode) => {
    const auth = await t.login(DEMO.premium.email, DEMO.premium.password);
    const me = (await t.http.get('/api/v1/auth/me').set('authorization', auth)).body.student_id as string;
    const before = await used(t, me);
    fake.setDefault(mode);
    const res = await t.http.post('/api/v2/adaptive/path').set('authorization', auth).send({ force_refresh: true }).expect(200);
    expect(res.body.decision_source).toBe('rules');
    expect(res.body.recommendations.length).toBeGreaterThan(0);
    expect(await used(t, me)).toBe(before);
    const [fallback] = await t.app
      .get(DataSource)
      .query(`SELECT outcome FROM llm_usage_logs WHERE reference_id = $1 AND outcome = 'fallback'`, [res.body.path_id]);
    expect(fallback).toEqual({ outcome: 'fallback' });
  });

  it('keeps the static variant on rules only, without calling the model', async () => {
    const db = t.app.get(DataSource);
    await db.query(`INSERT INTO feature_flags (feature, enabled, rollout_percentage, variants) VALUES ('adaptive_paths', true, 100, '[{"name":"static","weight":100}]')`);
    t.app.get(FeatureFlagsService).invalidate();
    try {
      const auth = await t.login(DEMO.premium.email, DEMO.premium.password);
      const res = await t.http.post('/api/v2/adaptive/path').set('authorization', auth).send({ force_refresh: true }).expect(200);
      expect(res.body).toMatchObject({ decision_source: 'rules', variant: 'static' });
      expect(fake.requests).toHaveLength(0);
    } finally {
      await db.query(`DELETE FROM feature_flags`);
      t.app.get(FeatureFlagsService).invalidate();
    }
  });
});

describe('premium request records at shutdown', () => {
  it('writes the rows still waiting for their batch before the database pool closes', async () => {
    const t = await startTestApp();
    try {
      const auth = await t.login(DEMO.premium.email, DEMO.premium.password);
      await t.http.post('/api/v2/adaptive/path').set('authorization', auth).send({}).expect(200);
      await t.app.close();
      const client = new pg.Client({ connectionString: t.database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ source: string }>('SELECT source FROM premium_requests');
        expect(rows).toEqual([{ source: 'rules' }]);
      } finally {
        await client.end();
      }
    } finally {
      await t.database.drop();
    }
  });
});

import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { retryingFakeModelEnv } from '../support/fake-model.js';
import { premiumStudentAs, unitsUsed } from '../support/security/accounts.js';
import { postEventStream } from '../support/sse-client.js';
import { appUrl, startTestApp, type TestApp } from '../support/test-app.js';
import { RedisProcess, waitFor } from './support/processes.js';

const QUESTION = 'Why should neighbouring chunks overlap?';

const used = (t: TestApp, id: string): Promise<number> => unitsUsed(t, id, 'tutor_questions');

const ask = (t: TestApp, auth: string, body: object) => t.http.post('/api/v2/tutor/ask').set('authorization', auth).send(body);

/** The tutor's shared answer cache and the quota mirror live in Redis; with Redis gone the tutor and the study tools answer from PostgreSQL and the model. */
describe('the tutor with Redis killed and restarted', () => {
  let redis: RedisProcess | undefined;
  let fake: FakeAnthropicServer | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    fake = await FakeAnthropicServer.start();
    t = await startTestApp({ ...retryingFakeModelEnv(fake.url), REDIS_URL: redis.url, PREMIUM_TUTOR_LIMIT: '3' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await redis?.stop();
  });

  it('shares answers through Redis; with Redis gone answers still come, the quota stays exact, and sharing resumes after', async () => {
    const a = await premiumStudentAs(t!, 'redis-a@example.com');
    const b = await premiumStudentAs(t!, 'redis-b@example.com');
    expect((await ask(t!, a.auth, { question: QUESTION }).expect(200)).body.decision_source).toBe('llm');
    expect((await ask(t!, b.auth, { question: QUESTION }).expect(200)).body.decision_source).toBe('cache');
    expect(fake!.requests).toHaveLength(1);

    await redis!.stop();
    await waitFor('health to see Redis gone', async () => {
      const res = await t!.http.get('/api/v1/health');
      return res.body.checks?.cache?.status === 'down' ? res : undefined;
    });
    // A cache miss, not an error: the model answers, and PostgreSQL counts the units (3 at most).
    const during = await Promise.all(['What is a vector database for?', 'How do I evaluate retrieval quality?', 'What is a context window?', 'How can I bring down my LLM bill?'].map((question) => ask(t!, b.auth, { question })));
    expect(during.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
    expect(during.find((r) => r.status === 429)!.body.error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', quota: { used: 3, limit: 3 } });
    expect(await used(t!, b.id)).toBe(3);
    // Study material lives in PostgreSQL: generated once and shared with Redis gone too.
    const first = await t!.http.post('/api/v2/study/summary').set('authorization', a.auth).send({ chapter_id: '04-rag' }).expect(200);
    const second = await t!.http.post('/api/v2/study/summary').set('authorization', b.auth).send({ chapter_id: '04-rag' }).expect(200);
    expect([first.body.decision_source, second.body.decision_source]).toEqual(['llm', 'cache']);
    expect(second.body.summary_markdown).toBe(first.body.summary_markdown);

    await redis!.start();
    await waitFor('health to see Redis back', async () => {
      const res = await t!.http.get('/api/v1/health');
      return res.body.checks?.cache?.status === 'up' ? res : undefined;
    });
    // Redis came back empty: the first ask fills the shared cache again, the next is served from it.
    const c = await premiumStudentAs(t!, 'redis-c@example.com');
    expect((await ask(t!, a.auth, { question: QUESTION }).expect(200)).body.decision_source).toBe('llm');
    expect((await ask(t!, c.auth, { question: QUESTION }).expect(200)).body.decision_source).toBe('cache');
    expect(await used(t!, c.id)).toBe(0);
  });
});

describe('the tutor with the model unreachable or slow', () => {
  let fake: FakeAnthropicServer | undefined;
  let t: TestApp | undefined;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start({ streamChunkChars: 4, streamChunkDelayMs: 50 });
    t = await startTestApp({ ...retryingFakeModelEnv(fake.url), PREMIUM_TUTOR_LIMIT: '100' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('answers a plain request cut off by its client with no unit taken, the model call aborted and logged', async () => {
    fake!.enqueue({ kind: 'slow', delayMs: 5_000 });
    const s = await premiumStudentAs(t!, 'gone-json@example.com');
    const request = ask(t!, s.auth, { question: 'How do I search millions of vectors quickly?' });
    request.then(() => undefined, () => undefined);
    await waitFor('the model call to start', () => (fake!.requests.length > 0 ? true : undefined));
    request.abort();
    const rows = await waitFor('the aborted call to be logged', async () => {
      const r: { outcome: string }[] = await t!.app.get(DataSource).query(`SELECT outcome FROM llm_usage_logs WHERE student_id = $1 AND feature = 'tutor_questions'`, [s.id]);
      return r.some((x) => x.outcome === 'timeout') ? r : undefined;
    });
    expect(rows.map((r) => r.outcome)).toContain('timeout');
    await waitFor('the unit to be given back', async () => ((await used(t!, s.id)) === 0 ? true : undefined));
    expect(fake!.requests).toHaveLength(1);
  });

  it('streams the rules answer with the model server gone altogether (connection refused), and gives the unit back', async () => {
    const s = await premiumStudentAs(t!, 'refused@example.com');
    await fake!.close();
    const res = await postEventStream(await appUrl(t!.app, '/api/v2/tutor/ask'), s.auth, { question: 'What is a context window?' });
    const done = res.events.at(-1)!;
    expect(done).toMatchObject({ event: 'done', data: { decision_source: 'rules', off_course: false } });
    expect(done.data.citations.length).toBeGreaterThan(0);
    expect(await used(t!, s.id)).toBe(0);
  });
});

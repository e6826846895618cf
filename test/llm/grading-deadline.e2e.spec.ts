import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { settledFeedback } from '../support/fake-model.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const ANSWER = 'Retrieval-augmented generation fetches documents at query time so answers stay current and can cite sources.';

/**
 * At scaled-down settings (a 3 s job timeout, 2 s attempts, 3 retries: 8 s of model calls), a
 * grading that outlived its job would be handed to another worker by pg-boss and paid for twice.
 * The grading deadline derived from GRADING_JOB_TIMEOUT_SECONDS ends it in time.
 */
describe('a grading never outlives its job', () => {
  let fake: FakeAnthropicServer;
  let a: TestApp;
  let b: TestApp;
  const env = (fakeUrl: string) => ({
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: fakeUrl,
    ANTHROPIC_TIMEOUT: '2',
    ANTHROPIC_MAX_RETRIES: '3',
    LLM_RETRY_BASE_MS: '5',
    LLM_CIRCUIT_FAILURES: '1000',
    GRADING_JOB_TIMEOUT_SECONDS: '3',
    QUEUE_MAINTENANCE_SECONDS: '1',
  });

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    a = await startTestApp(env(fake.url));
    // A second grading process on the same queue, to take the job if it is handed out again.
    b = await startTestApp({ ...env(fake.url), DATABASE_URL: a.database.url, SEED_ON_START: 'false', DATABASE_MIGRATE_ON_START: 'false' });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await fake.close();
  });

  it('is graded once, by one model call chain, within the job timeout', async () => {
    fake.setDefault({ kind: 'slow', delayMs: 2500 });
    const auth = await a.login(DEMO.premium.email, DEMO.premium.password);
    const started = Date.now();
    const res = await a.http.post('/api/v2/assessments/submit').set('authorization', auth).send({ question_id: '04-rag-q1', answer_text: ANSWER }).expect(202);
    const id = res.body.submission_id as string;

    const feedback = await settledFeedback(a, auth, id, 20_000);
    const gradedAfter = Date.now() - started;
    expect(feedback).toMatchObject({ status: 'graded', graded_by: 'rules' });

    // Long enough for pg-boss to have expired and re-handed a job that outlived its 3 s.
    await new Promise((r) => setTimeout(r, 9000));
    const db = a.app.get(DataSource);
    const calls: { call_id: string }[] = await db.query(`SELECT DISTINCT call_id FROM llm_usage_logs WHERE reference_id = $1 AND attempt > 0`, [id]);
    expect(calls).toHaveLength(1);
    expect(gradedAfter).toBeLessThan(3000 + 1000);
    const bodies = fake.requests.filter((r) => JSON.stringify(r.body).includes('Retrieval-augmented generation fetches'));
    // One chain of attempts, all inside the grading deadline: never a second grading's calls.
    expect(bodies.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...bodies.map((r) => r.receivedAt)) - started).toBeLessThan(3000);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM assessment_feedback WHERE submission_id = $1`, [id]);
    expect(count).toBe(1);
  }, 40_000);
});

import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { onePointPerCriterion, retryingFakeModelEnv, settledFeedback } from '../support/fake-model.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const ANSWER = 'Retrieval-augmented generation fetches documents at query time so answers stay current and can cite sources.';

describe('grading while the provider throttles', () => {
  let fake: FakeAnthropicServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    t = await startTestApp({ ...retryingFakeModelEnv(fake.url), LLM_CIRCUIT_FAILURES: '2' });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('waits for the model (the job is retried later) instead of falling back to the rules grader, and no circuit opens', async () => {
    fake.respondWith(onePointPerCriterion);
    // More 429s than one job attempt retries: the first attempt is deferred, a later one grades.
    fake.enqueue(
      { kind: 'rate_limited', retryAfterMs: 50 },
      { kind: 'rate_limited', retryAfterMs: 50 },
      { kind: 'rate_limited', retryAfterMs: 50 },
    );
    const auth = await t.login(DEMO.premium.email, DEMO.premium.password);
    const res = await t.http.post('/api/v2/assessments/submit').set('authorization', auth).send({ question_id: '04-rag-q1', answer_text: ANSWER }).expect(202);
    const id = res.body.submission_id as string;
    const feedback = await settledFeedback(t, auth, id, 20_000);
    expect(feedback).toMatchObject({ status: 'graded', graded_by: 'llm' });
    const outcomes: { outcome: string; error_code: string | null }[] = await t.app
      .get(DataSource)
      .query(`SELECT outcome, error_code FROM llm_usage_logs WHERE reference_id = $1 AND attempt > 0 ORDER BY created_at`, [id]);
    expect(outcomes.map((o) => o.error_code)).toEqual(['rate_limited', 'rate_limited', 'rate_limited', null]);
    const health = await t.http.get('/api/v1/health').expect(200);
    expect(health.body.checks.llm.open_circuits).toEqual([]);
  });
});

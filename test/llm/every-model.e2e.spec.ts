import { DataSource } from 'typeorm';
import { MODEL_ALIASES, PRICE_LIST } from '../../src/llm/pricing/price-list.js';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { settledFeedback } from '../support/fake-model.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

/** Every model the price list knows, dated snapshot ids included. */
const MODELS = [...new Set([...PRICE_LIST.map((row) => row.model), ...Object.keys(MODEL_ALIASES)])].sort();

const ANSWER =
  'RAG is the better choice when the knowledge changes often or must be cited: documents are retrieved at query time, ' +
  'so answers stay current without retraining, and sources can be shown.';

/** A grade that passes the app's checks, built from the criterion ids the request's schema allows. */
function gradeFromSchema(body: any): unknown {
  const schema = body.output_config?.format?.schema;
  const ids: string[] | undefined = schema?.properties?.criteria?.items?.properties?.criterion_id?.enum;
  if (!ids) return undefined;
  return {
    criteria: ids.map((criterion_id) => ({ criterion_id, score: 0, comment: 'Not covered.' })),
    total_score: 0,
    feedback: 'Name the retrieval step.',
    strengths: [],
    improvements: ['Explain retrieval.'],
    off_topic: false,
    injection_suspected: false,
  };
}

const PATH = {
  recommendations: [{ chapter_id: '01-intro', action: 'start', priority: 1, reason: 'Begin with the foundations.' }],
  reasoning: 'No history yet.',
};

describe('every model in the price list serves a premium path and a grading through the strict fake', () => {
  let fake: FakeAnthropicServer;
  let base: TestApp;

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    // Owns the database; grades nothing itself, so each model's instance below does the grading.
    base = await startTestApp({ GRADING_IN_API: 'false', PREMIUM_ADAPTIVE_PATHS_LIMIT: '1000', PREMIUM_ASSESSMENTS_LIMIT: '1000' });
  });
  afterAll(async () => {
    await base.close();
    await fake.close();
  });

  it('covers more than the defaults', () => {
    expect(MODELS).toEqual(expect.arrayContaining(['claude-haiku-4-5', 'claude-opus-4-8', 'claude-sonnet-4-5-20250929', 'claude-fable-5-1']));
  });

  it.each(MODELS)('%s', async (model) => {
    fake.reset();
    fake.respondWith((body) => gradeFromSchema(body) ?? PATH);
    const t = await startTestApp({
      DATABASE_URL: base.database.url,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_MODEL: model,
      ANTHROPIC_MAX_RETRIES: '0',
      PREMIUM_ADAPTIVE_PATHS_LIMIT: '1000',
      PREMIUM_ASSESSMENTS_LIMIT: '1000',
      SEED_ON_START: 'false',
      DATABASE_MIGRATE_ON_START: 'false',
    });
    try {
      const auth = await t.login(DEMO.premium.email, DEMO.premium.password);
      const path = await t.http.post('/api/v2/adaptive/path').set('authorization', auth).send({ force_refresh: true }).expect(200);
      expect(path.body.decision_source).toBe('llm');

      const submit = await t.http.post('/api/v2/assessments/submit').set('authorization', auth).send({ question_id: '04-rag-q1', answer_text: ANSWER }).expect(202);
      const id = submit.body.submission_id as string;
      const feedback = await settledFeedback(t, auth, id, 15_000);
      expect(feedback).toMatchObject({ status: 'graded', graded_by: 'llm', score: 0 });

      const rows: { feature: string; outcome: string; model: string }[] = await t.app
        .get(DataSource)
        .query(`SELECT feature, outcome, model FROM llm_usage_logs WHERE model = $1 ORDER BY created_at`, [model]);
      expect(rows.map((r) => [r.feature, r.outcome])).toEqual([
        ['adaptive_paths', 'success'],
        ['assessments', 'success'],
      ]);
      // What reached the API is what this model takes: no sampling parameters, effort only where accepted.
      for (const { body } of fake.requests) {
        expect(body.model).toBe(model);
        expect(body).not.toHaveProperty('temperature');
        expect(body).not.toHaveProperty('top_p');
        expect(body).not.toHaveProperty('top_k');
      }
    } finally {
      await t.close();
    }
  });
});

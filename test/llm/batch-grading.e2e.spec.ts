import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { onePointPerCriterion, settledFeedback } from '../support/fake-model.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const ANSWERS = [
  'Retrieval-augmented generation fetches documents at query time so answers stay current and can cite sources.',
  'RAG retrieves relevant passages from an index and puts them in the prompt; fine-tuning changes the weights instead.',
  'Use retrieval when knowledge changes often: the model reads fresh documents rather than remembering old ones.',
];

/** Haiku 5.5's published rates (µ$ per token: $0.10 input, $0.50 output, $0.125 cache write, $0.01 cache read), at the 50 % batch price. */
const haikuBatchCost = (r: { tokens_input: number; tokens_output: number; cache_write_tokens: number; cache_read_tokens: number }) =>
  (Math.round((r.tokens_input * 0.1 + r.tokens_output * 0.5 + r.cache_write_tokens * 0.125 + r.cache_read_tokens * 0.01) * 0.5) / 1_000_000).toFixed(6);

describe('GRADING_MODE=batch', () => {
  let fake: FakeAnthropicServer;
  let a: TestApp;
  let b: TestApp | undefined;
  const env = (url: string) => ({
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: url,
    GRADING_MODE: 'batch',
    GRADING_BATCH_MAX: '3',
    GRADING_BATCH_WAIT_SECONDS: '30',
    GRADING_BATCH_POLL_SECONDS: '1',
  });

  beforeAll(async () => {
    // A batch stays in progress for 4 s: long enough to stop the process that sent it.
    fake = await FakeAnthropicServer.start({ batchProcessingMs: 4000 });
    fake.respondWith(onePointPerCriterion);
    a = await startTestApp(env(fake.url));
  });
  afterAll(async () => {
    await b?.close();
    await a.close();
    await fake.close();
  });

  it('sends queued gradings as one batch, survives the sender stopping, grades each once at the batch price and says so', async () => {
    const auth = await a.login(DEMO.premium.email, DEMO.premium.password);
    const ids: string[] = [];
    for (const answer of ANSWERS) {
      const res = await a.http.post('/api/v2/assessments/submit').set('authorization', auth).send({ question_id: '04-rag-q1', answer_text: answer }).expect(202);
      ids.push(res.body.submission_id as string);
    }
    // The batch is full (GRADING_BATCH_MAX=3): sent at the next tick, nothing graded one by one.
    for (const until = Date.now() + 10_000; fake.batches.length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    expect(fake.batches).toHaveLength(1);
    expect(fake.batches[0]!.results).toHaveLength(3);
    expect(fake.requests.filter((r) => Object.keys(r.headers).length > 0)).toHaveLength(0);

    // The process that sent the batch stops; another one on the same database collects it.
    const url = a.database.url;
    await a.app.close();
    b = await startTestApp({ ...env(fake.url), DATABASE_URL: url, SEED_ON_START: 'false', DATABASE_MIGRATE_ON_START: 'false' });
    const bAuth = await b.login(DEMO.premium.email, DEMO.premium.password);
    const feedback: any[] = [];
    for (const id of ids) {
      feedback.push(await settledFeedback(b, bAuth, id, 20_000, 200));
    }
    for (const f of feedback) expect(f).toMatchObject({ status: 'graded', graded_by: 'llm', grading_mode: 'batch', graded_at: expect.any(String) });

    const db = b.app.get(DataSource);
    const rows: any[] = await db.query(`SELECT * FROM llm_usage_logs WHERE reference_id = ANY($1::text[]) ORDER BY created_at`, [ids]);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ outcome: 'success', model: 'claude-haiku-5-5', provider_request_id: fake.batches[0]!.id });
      expect(row.cost_usd).toBe(haikuBatchCost(row));
    }
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM assessment_feedback WHERE submission_id = ANY($1::uuid[])`, [ids]);
    expect(count).toBe(3);
    expect(fake.batches).toHaveLength(1);
  }, 60_000);
});

import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';

const period = () => new Date().toISOString().slice(0, 7);

/** Retries of one Idempotency-Key arriving together, with the quota nearly or half used. */
describe('concurrent retries of one Idempotency-Key against the assessment quota', () => {
  let t: TestApp | undefined;
  beforeAll(async () => {
    // Grading off: this is about the submit alone.
    t = await startTestApp({ GRADING_IN_API: 'false', PREMIUM_ASSESSMENTS_LIMIT: '20' });
  });
  afterAll(() => t?.close());

  const db = () => t!.app.get(DataSource);
  const answer = { question_id: '01-intro-q1', answer_text: 'A token is a piece of a word that the model reads and writes.' };

  async function premium(email: string, used: number): Promise<{ auth: string; id: string }> {
    const res = await t!.http.post('/api/v1/auth/register').send({ email, password: 'longenough1', full_name: 'I' }).expect(201);
    const id = res.body.student_id as string;
    await db().query(`UPDATE students SET subscription_tier = 'premium', subscription_expires_at = now() + interval '30 days' WHERE student_id = $1`, [id]);
    await db().query(`INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, 'assessments', $3)`, [id, period(), used]);
    return { auth: await t!.login(email, 'longenough1'), id };
  }
  const used = async (id: string): Promise<number> =>
    (await db().query(`SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND feature = 'assessments'`, [id]))[0].used;
  const submissions = async (id: string): Promise<number> =>
    (await db().query(`SELECT count(*)::int AS n FROM assessment_submissions WHERE student_id = $1`, [id]))[0].n;
  const submit = (s: { auth: string }, key?: string) => {
    const req = t!.http.post('/api/v2/assessments/submit').set('authorization', s.auth);
    return (key ? req.set('idempotency-key', key) : req).send(answer).then((r) => r);
  };

  it('at 19/20 used: 20 concurrent retries all get the one submission (202), and it costs one unit', async () => {
    const s = await premium('retries-at-19@example.com', 19);
    const responses = await Promise.all(Array.from({ length: 20 }, () => submit(s, 'same-key-19')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(responses.map((r) => r.body.submission_id)).size).toBe(1);
    expect(await used(s.id)).toBe(20);
    expect(await submissions(s.id)).toBe(1);
    // And a retry after the quota is spent still gets it.
    expect((await submit(s, 'same-key-19')).body.submission_id).toBe(responses[0]!.body.submission_id);
  });

  it('at 10/20 used: same-key retries take no units, so 5 unrelated submits sent with them are all accepted', async () => {
    const s = await premium('retries-at-10@example.com', 10);
    const responses = await Promise.all([
      ...Array.from({ length: 10 }, () => submit(s, 'same-key-10')),
      ...Array.from({ length: 5 }, (_, i) => submit(s, `other-${i}`)),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(15).fill(202));
    const retried = responses.slice(0, 10).map((r) => r.body.submission_id);
    expect(new Set(retried).size).toBe(1);
    expect(new Set(responses.slice(10).map((r) => r.body.submission_id)).size).toBe(5);
    expect(await used(s.id)).toBe(16);
    expect(await submissions(s.id)).toBe(6);
  });
});

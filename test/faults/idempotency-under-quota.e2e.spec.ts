import { premiumStudent, startProxiedApp, unitsUsed, type ProxiedApp } from './support/proxied-app.js';

const period = () => new Date().toISOString().slice(0, 7);

/**
 * Retries of one Idempotency-Key arriving together, with the quota nearly or half used. A stall
 * of the database (the proxy holds every byte) lines them up, as clients retrying after a slow
 * answer do; then they all run at once.
 */
describe('concurrent retries of one Idempotency-Key against the assessment quota', () => {
  let p: ProxiedApp | undefined;
  beforeAll(async () => {
    // Grading off: this is about the submit alone.
    p = await startProxiedApp({ GRADING_IN_API: 'false', PREMIUM_ASSESSMENTS_LIMIT: '20' });
  });
  afterAll(() => p?.close());

  const answer = { question_id: '01-intro-q1', answer_text: 'A token is a piece of a word that the model reads and writes.' };

  async function premium(email: string, used: number): Promise<{ auth: string; id: string }> {
    const s = await premiumStudent(p!.t, p!.sql, email);
    await p!.sql.query(`INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, 'assessments', $3)`, [s.id, period(), used]);
    return s;
  }
  const submissions = async (id: string): Promise<number> =>
    (await p!.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM assessment_submissions WHERE student_id = $1`, [id])).rows[0]!.n;
  const submit = (s: { auth: string }, key: string) =>
    p!.t.http.post('/api/v2/assessments/submit').set('authorization', s.auth).set('idempotency-key', key).send(answer).then((r) => r);

  /** Sends them all while the database stalls, then lets them go together. */
  async function together(send: (() => ReturnType<typeof submit>)[]) {
    p!.proxy.pause();
    const sent = send.map((f) => f());
    await new Promise((r) => setTimeout(r, 300));
    p!.proxy.resume();
    return Promise.all(sent);
  }

  it('at 19/20 used: 20 concurrent retries all get the one submission (202), and it costs one unit', async () => {
    const s = await premium('retries-at-19@example.com', 19);
    const responses = await together(Array.from({ length: 20 }, () => () => submit(s, 'same-key-19')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(responses.map((r) => r.body.submission_id)).size).toBe(1);
    expect(await unitsUsed(p!.sql, s.id, 'assessments')).toBe(20);
    expect(await submissions(s.id)).toBe(1);
    // And a retry after the quota is spent still gets it.
    expect((await submit(s, 'same-key-19')).body.submission_id).toBe(responses[0]!.body.submission_id);
  });

  it('at 10/20 used: 20 same-key retries take no units, so 5 unrelated submits sent with them are all accepted', async () => {
    const s = await premium('retries-at-10@example.com', 10);
    const responses = await together([
      ...Array.from({ length: 20 }, () => () => submit(s, 'same-key-10')),
      ...Array.from({ length: 5 }, (_, i) => () => submit(s, `other-${i}`)),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(25).fill(202));
    expect(new Set(responses.slice(0, 20).map((r) => r.body.submission_id)).size).toBe(1);
    expect(new Set(responses.slice(20).map((r) => r.body.submission_id)).size).toBe(5);
    expect(await unitsUsed(p!.sql, s.id, 'assessments')).toBe(16);
    expect(await submissions(s.id)).toBe(6);
  });
});

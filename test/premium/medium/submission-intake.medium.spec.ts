import { PremiumModule } from '../../../src/premium/premium.module.js';
import { SubmissionIntake, type Submission } from '../../../src/premium/assessments/submission-intake.service.js';
import { startMediumModule, type MediumModule } from '../../support/medium-module.js';

const ANSWER = 'Retrieval keeps answers current because documents are fetched at query time; fine-tuning changes style.';
const LIMIT = 3;

/** SubmissionIntake on its real repository, the real quota and the real pg-boss queue, on PostgreSQL. */
describe('SubmissionIntake (medium: real repositories, quota and queue on PostgreSQL)', () => {
  let m: MediumModule;
  let intake: SubmissionIntake;

  beforeAll(async () => {
    m = await startMediumModule([PremiumModule], { PREMIUM_ASSESSMENTS_LIMIT: String(LIMIT) });
    intake = m.module.get(SubmissionIntake);
  });
  afterAll(() => m?.close());

  const submission = (studentId: string, extra: Partial<Submission> = {}): Submission => ({
    studentId,
    questionId: '04-rag-q1',
    answerText: ANSWER,
    variant: 'llm',
    ...extra,
  });
  const stored = async (studentId: string) =>
    (
      await m.pool.query<{ submission_id: string; answer_text: string; idempotency_key: string | null; status: string; variant: string }>(
        'SELECT submission_id, answer_text, idempotency_key, status, variant FROM assessment_submissions WHERE student_id = $1 ORDER BY created_at',
        [studentId],
      )
    ).rows;
  const used = async (studentId: string) =>
    (await m.pool.query<{ used: number }>(`SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND feature = 'assessments'`, [studentId]))
      .rows[0]?.used ?? 0;
  const jobsFor = async (submissionIds: string[]) =>
    (
      await m.pool.query<{ submission_id: string; state: string }>(
        `SELECT data->>'submission_id' AS submission_id, state FROM pgboss.job WHERE name = 'assessment-grading' AND data->>'submission_id' = ANY($1)`,
        [submissionIds],
      )
    ).rows;
  const allJobs = async () => (await m.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'assessment-grading'`)).rows[0]!.n;
  const errorOf = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      return error as { code?: string };
    }
    throw new Error('expected the intake to refuse');
  };

  it('stores the answer, takes one unit and queues one grading job, all together', async () => {
    const student = await m.newStudent();
    const accepted = await intake.accept(submission(student));
    expect(accepted).toEqual({ submission_id: expect.any(String), status: 'pending' });
    expect(await stored(student)).toEqual([{ submission_id: accepted.submission_id, answer_text: ANSWER, idempotency_key: null, status: 'pending', variant: 'llm' }]);
    expect(await used(student)).toBe(1);
    expect(await jobsFor([accepted.submission_id])).toEqual([{ submission_id: accepted.submission_id, state: 'created' }]);
  });

  it('without a key, two identical answers are two submissions and two units', async () => {
    const student = await m.newStudent();
    const [a, b] = [await intake.accept(submission(student)), await intake.accept(submission(student))];
    expect(a.submission_id).not.toBe(b.submission_id);
    expect(await used(student)).toBe(2);
  });

  it('a retry under the same key returns the first submission and spends nothing more, one after the other or all at once', async () => {
    const student = await m.newStudent();
    const first = await intake.accept(submission(student, { idempotencyKey: 'retry-1' }));
    const again = await intake.accept(submission(student, { idempotencyKey: 'retry-1' }));
    expect(again).toEqual(first);
    const together = await Promise.all(Array.from({ length: 8 }, () => intake.accept(submission(student, { idempotencyKey: 'retry-2' }))));
    expect(new Set(together.map((t) => t.submission_id)).size).toBe(1);
    expect(together[0]!.submission_id).not.toBe(first.submission_id);
    expect((await stored(student)).map((s) => s.idempotency_key)).toEqual(['retry-1', 'retry-2']);
    expect(await used(student)).toBe(2);
    expect(await jobsFor([first.submission_id, together[0]!.submission_id])).toHaveLength(2);
  });

  it('says graded for a retry of a submission graded since', async () => {
    const student = await m.newStudent();
    const first = await intake.accept(submission(student, { idempotencyKey: 'graded-since' }));
    await m.pool.query(`UPDATE assessment_submissions SET status = 'graded' WHERE submission_id = $1`, [first.submission_id]);
    expect(await intake.accept(submission(student, { idempotencyKey: 'graded-since' }))).toEqual({ submission_id: first.submission_id, status: 'graded' });
  });

  it('refuses the same key with another answer or another question as a CONFLICT, spending nothing', async () => {
    const student = await m.newStudent();
    await intake.accept(submission(student, { idempotencyKey: 'same-key' }));
    expect((await errorOf(intake.accept(submission(student, { idempotencyKey: 'same-key', answerText: `${ANSWER} More.` })))).code).toBe('CONFLICT');
    expect((await errorOf(intake.accept(submission(student, { idempotencyKey: 'same-key', questionId: '02-prompting-q1' })))).code).toBe('CONFLICT');
    expect(await stored(student)).toHaveLength(1);
    expect(await used(student)).toBe(1);
  });

  it('keeps keys per student: the same key from another student is a submission of its own', async () => {
    const [one, two] = [await m.newStudent(), await m.newStudent()];
    const a = await intake.accept(submission(one, { idempotencyKey: 'shared' }));
    const b = await intake.accept(submission(two, { idempotencyKey: 'shared' }));
    expect(a.submission_id).not.toBe(b.submission_id);
    expect([await used(one), await used(two)]).toEqual([1, 1]);
  });

  it('past the quota: RATE_LIMIT_EXCEEDED, and the submission, its key and its job roll back with the unit', async () => {
    const student = await m.newStudent();
    for (let i = 0; i < LIMIT; i++) await intake.accept(submission(student));
    const refused = await errorOf(intake.accept(submission(student, { idempotencyKey: 'over' })));
    expect(refused).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', extra: { quota: expect.objectContaining({ used: LIMIT, limit: LIMIT }) } });
    expect(await stored(student)).toHaveLength(LIMIT);
    expect(await used(student)).toBe(LIMIT);
    // The key was not kept: once a unit is free again, the same key is taken in as new.
    await m.pool.query(`UPDATE premium_usage_quotas SET used = 0 WHERE student_id = $1`, [student]);
    const later = await intake.accept(submission(student, { idempotencyKey: 'over' }));
    expect(await jobsFor([later.submission_id])).toHaveLength(1);
  });

  it('a client gone before or during the transaction leaves no submission, no unit and no job', async () => {
    const student = await m.newStudent();
    const jobsBefore = await allJobs();
    const gone = new AbortController();
    gone.abort();
    expect((await errorOf(intake.accept(submission(student, { signal: gone.signal })))).code).toBe('SERVICE_UNAVAILABLE');

    // Gone while the transaction ran: still there at the first look, gone at the one after the job is queued.
    let looks = 0;
    const leaving = { get aborted() {
      return ++looks > 1;
    } } as AbortSignal;
    expect((await errorOf(intake.accept(submission(student, { signal: leaving, idempotencyKey: 'gone-during' })))).code).toBe('SERVICE_UNAVAILABLE');
    expect(looks).toBe(2);
    expect(await allJobs()).toBe(jobsBefore);
    expect(await stored(student)).toEqual([]);
    expect(await used(student)).toBe(0);
  });
});

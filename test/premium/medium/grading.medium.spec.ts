import { AssessmentGraderService } from '../../../src/premium/assessments/assessment-grader.service.js';
import { AssessmentSubmissionsRepository } from '../../../src/premium/assessments/assessment-submissions.repository.js';
import { GradingBatchesRepository } from '../../../src/premium/assessments/grading-batches.repository.js';
import { PremiumModule } from '../../../src/premium/premium.module.js';
import { startMediumModule, type MediumModule } from '../../support/medium-module.js';

const ANSWER =
  'RAG is the better choice when the knowledge changes often or must be cited: documents are retrieved at query time, ' +
  'so answers stay current without retraining. Fine-tuning changes behaviour and style.';

/**
 * The grading run on its real repositories (no model configured: the rules grade), and the leases
 * and batch hand-over it relies on, on PostgreSQL. A 3 s job timeout leaves a 1.5 s grading deadline.
 */
describe('grading (medium: AssessmentGraderService and its repositories on PostgreSQL)', () => {
  let m: MediumModule;
  let grader: AssessmentGraderService;
  let submissions: AssessmentSubmissionsRepository;
  let batches: GradingBatchesRepository;

  beforeAll(async () => {
    m = await startMediumModule([PremiumModule], { GRADING_JOB_TIMEOUT_SECONDS: '3' });
    grader = m.module.get(AssessmentGraderService);
    submissions = m.module.get(AssessmentSubmissionsRepository);
    batches = m.module.get(GradingBatchesRepository);
  });
  afterAll(() => m?.close());

  const submit = async (studentId: string, variant = 'llm'): Promise<string> =>
    (
      await m.pool.query<{ submission_id: string }>(
        `INSERT INTO assessment_submissions (student_id, question_id, answer_text, request_hash, variant)
         VALUES ($1, '04-rag-q1', $2, repeat('0', 64), $3) RETURNING submission_id`,
        [studentId, ANSWER, variant],
      )
    ).rows[0]!.submission_id;
  const row = async (id: string) =>
    (
      await m.pool.query(
        `SELECT status, grading_lease_holder, grading_lease_until IS NOT NULL AS leased, batch_requested_at IS NOT NULL AS handed_over, grading_batch_id
           FROM assessment_submissions WHERE submission_id = $1`,
        [id],
      )
    ).rows[0];

  it('leases a pending submission to one holder at a time; its holder takes it over, and releases only its own', async () => {
    const id = await submit(await m.newStudent());
    expect(await submissions.lease(id, 'job-1', 60_000)).toBe(true);
    expect(await submissions.lease(id, 'job-2', 60_000)).toBe(false);
    expect(await submissions.lease(id, 'job-1', 60_000)).toBe(true);
    await submissions.releaseLease(id, 'job-2');
    expect(await row(id)).toMatchObject({ leased: true, grading_lease_holder: 'job-1' });
    await submissions.releaseLease(id, 'job-1');
    expect(await row(id)).toMatchObject({ leased: false, grading_lease_holder: null });
    expect(await submissions.lease(id, 'job-2', 60_000)).toBe(true);
    // An expired lease is anyone's.
    await m.pool.query(`UPDATE assessment_submissions SET grading_lease_until = now() - interval '1 second' WHERE submission_id = $1`, [id]);
    expect(await submissions.lease(id, 'job-3', 60_000)).toBe(true);
    await m.pool.query(`UPDATE assessment_submissions SET status = 'failed' WHERE submission_id = $1`, [id]);
    await submissions.releaseLease(id, 'job-3');
    expect(await submissions.lease(id, 'job-4', 60_000)).toBe(false);
  });

  it('grades with the rules once: stored with its feedback, lease gone; a second grading is skipped', async () => {
    const student = await m.newStudent();
    const id = await submit(student);
    expect((await submissions.feedback(student, id))?.grade).toBeNull();
    expect(await grader.grade(id, { holder: 'job-a' })).toBe('graded');
    expect(await row(id)).toMatchObject({ status: 'graded', leased: false, grading_lease_holder: null });
    const feedback = await submissions.feedback(student, id);
    expect(feedback).toMatchObject({ submission_id: id, question_id: '04-rag-q1', status: 'graded', max_score: 10 });
    expect(feedback!.grade).toMatchObject({ graded_by: 'rules', grading_mode: 'interactive', max_score: 10, graded_at: expect.any(Date) });
    expect(feedback!.grade!.criteria.reduce((sum, c) => sum + c.score, 0)).toBe(feedback!.grade!.score);
    expect(await grader.grade(id, { holder: 'job-a' })).toBe('skipped');
    expect((await m.pool.query(`SELECT count(*)::int AS n FROM assessment_feedback WHERE submission_id = $1`, [id])).rows[0].n).toBe(1);
    // Someone else's submission is not found.
    expect(await submissions.feedback(await m.newStudent(), id)).toBeUndefined();
  });

  it('waits for a lease held by another job until its deadline, then skips; the holding job grades at once', async () => {
    const id = await submit(await m.newStudent());
    expect(await submissions.lease(id, 'job-elsewhere', 60_000)).toBe(true);
    const started = Date.now();
    expect(await grader.grade(id, { holder: 'job-here' })).toBe('skipped');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1400);
    expect(waited).toBeLessThan(3000);
    expect(await row(id)).toMatchObject({ status: 'pending', grading_lease_holder: 'job-elsewhere' });
    // A later try of the job that holds the lease (it could not release it) takes it over.
    expect(await grader.grade(id, { holder: 'job-elsewhere' })).toBe('graded');
  });

  it('a grading that failed for good marks a pending submission failed, and leaves a graded one as it is', async () => {
    const student = await m.newStudent();
    const [pending, graded] = [await submit(student), await submit(student)];
    await grader.grade(graded);
    await submissions.markFailed(pending);
    await submissions.markFailed(graded);
    expect([(await row(pending)).status, (await row(graded)).status]).toEqual(['failed', 'graded']);
  });

  it('hands only pending, model-graded submissions to the batch grader', async () => {
    const student = await m.newStudent();
    const [llm, rules, graded] = [await submit(student), await submit(student, 'rules'), await submit(student)];
    await grader.grade(graded);
    expect(await batches.handOver(llm)).toBe(true);
    expect(await batches.handOver(rules)).toBe(false);
    expect(await batches.handOver(graded)).toBe(false);
    expect([(await row(llm)).handed_over, (await row(rules)).handed_over, (await row(graded)).handed_over]).toEqual([true, false, false]);
  });

  it('a batch: waiting submissions go in, its pending ones are listed, and once ended the unanswered wait again', async () => {
    await m.pool.query(`UPDATE assessment_submissions SET status = 'failed' WHERE status = 'pending'`);
    const student = await m.newStudent();
    const [a, b] = [await submit(student), await submit(student)];
    await batches.handOver(a);
    await batches.handOver(b);
    const waiting = await batches.waiting(10);
    expect(waiting.map((w) => w.submission_id)).toEqual([a, b]);
    for (const w of waiting) expect(typeof w.waited_ms === 'number' && w.waited_ms >= 0).toBe(true);

    await batches.record('msgbatch_medium_1', 'claude-test', [a, b]);
    expect(await batches.waiting(10)).toEqual([]);
    expect((await batches.open()).map((o) => o.batch_id)).toEqual(['msgbatch_medium_1']);
    expect((await batches.pendingIn('msgbatch_medium_1')).sort()).toEqual([a, b].sort());

    await grader.grade(a);
    await batches.end('msgbatch_medium_1');
    expect(await batches.open()).toEqual([]);
    expect(await batches.pendingIn('msgbatch_medium_1')).toEqual([]);
    expect((await batches.waiting(10)).map((w) => w.submission_id)).toEqual([b]);
  });

  it('runs work under the batch lock, one process at a time', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = batches.whileLocked(async () => {
      order.push('first in');
      await held;
      order.push('first out');
    });
    await new Promise((r) => setTimeout(r, 200));
    await batches.whileLocked(() => {
      order.push('second ran');
      return Promise.resolve();
    });
    release();
    await first;
    expect(order).toEqual(['first in', 'first out']);
  });
});

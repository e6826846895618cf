import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../usage/index.js';
import { changedRows } from '../changed-rows.js';
import type { Grade, GradingMode, PendingSubmission, StoredGrade, SubmissionFeedback, SubmissionStatus } from './assessment.js';

export type NewSubmission = {
  student_id: string;
  question_id: string;
  answer_text: string;
  idempotency_key: string | null;
  /** What the key stands for: a retry under the same key must carry the same question and answer. */
  request_hash: string;
  variant: string;
};

/** A submission found by its Idempotency-Key. */
export type KeyedSubmission = { submission_id: string; request_hash: string; status: SubmissionStatus };

/** A submission joined to its question and its feedback row: a LEFT JOIN, so before its grade every feedback column is null. */
type GradeColumns = Omit<StoredGrade, 'max_score'>;
type FeedbackRow = { submission_id: string; question_id: string; status: SubmissionStatus; question_max: number } & (
  | GradeColumns
  | { [K in keyof GradeColumns]: null }
);

const PENDING_SQL = `SELECT s.submission_id, s.student_id, s.answer_text, s.status, s.variant,
        q.question_id, q.chapter_id, q.prompt, q.max_score, q.rubric_summary, q.rubric, q.reference_answer
   FROM assessment_submissions s JOIN assessment_questions q ON q.question_id = s.question_id`;

/** `assessment_submissions` and their grades in `assessment_feedback` (one row per graded submission). */
@Injectable()
export class AssessmentSubmissionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts a submission and runs `alsoWithin` (its quota unit, its grading job) in the same
   * transaction: a fault anywhere rolls all of it back. Undefined, with nothing else run, when a
   * concurrent request with the same Idempotency-Key committed first (this one waited on its row).
   */
  insert<T>(submission: NewSubmission, alsoWithin: (tx: SqlExecutor, submissionId: string) => Promise<T>): Promise<{ submissionId: string; result: T } | undefined> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ submission_id: string }[]>(
        `INSERT INTO assessment_submissions (student_id, question_id, answer_text, idempotency_key, request_hash, variant)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (student_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING submission_id`,
        [submission.student_id, submission.question_id, submission.answer_text, submission.idempotency_key, submission.request_hash, submission.variant],
      );
      const submissionId = rows[0]?.submission_id;
      if (!submissionId) return undefined;
      return { submissionId, result: await alsoWithin(tx, submissionId) };
    });
  }

  async byKey(studentId: string, idempotencyKey: string): Promise<KeyedSubmission | undefined> {
    const rows = await this.db.query<KeyedSubmission[]>(
      `SELECT submission_id, request_hash, status FROM assessment_submissions WHERE student_id = $1 AND idempotency_key = $2`,
      [studentId, idempotencyKey],
    );
    return rows[0];
  }

  /** The student's own submission with its grade; another student's is not found. */
  async feedback(studentId: string, submissionId: string): Promise<SubmissionFeedback | undefined> {
    const rows = await this.db.query<FeedbackRow[]>(
      `SELECT s.submission_id, s.question_id, s.status, q.max_score AS question_max, f.score, f.criteria, f.feedback,
              f.strengths, f.improvements, f.off_topic, f.injection_suspected, f.graded_by, f.graded_at, f.grading_mode
         FROM assessment_submissions s
         JOIN assessment_questions q ON q.question_id = s.question_id
         LEFT JOIN assessment_feedback f ON f.submission_id = s.submission_id
        WHERE s.submission_id = $1 AND s.student_id = $2`,
      [submissionId, studentId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { submission_id, question_id, status, question_max, ...grade } = row;
    return { submission_id, question_id, status, max_score: question_max, grade: grade.graded_at === null ? null : { ...grade, max_score: question_max } };
  }

  /** Pending submissions with their questions. */
  pending(submissionIds: string[]): Promise<PendingSubmission[]> {
    if (submissionIds.length === 0) return Promise.resolve([]);
    return this.db.query(`${PENDING_SQL} WHERE s.submission_id = ANY($1::uuid[]) AND s.status = 'pending'`, [submissionIds]);
  }

  /**
   * Takes a pending submission's grading lease for `ms` for `holder`; true if it has it. A lease
   * that expired, or one its holder took before (a later try of the same job), is taken over.
   */
  async lease(submissionId: string, holder: string, ms: number): Promise<boolean> {
    const taken = await changedRows(
      this.db,
      `UPDATE assessment_submissions SET grading_lease_until = now() + $3 * interval '1 millisecond', grading_lease_holder = $2
        WHERE submission_id = $1 AND status = 'pending'
          AND (grading_lease_until IS NULL OR grading_lease_until < now() OR grading_lease_holder = $2)
        RETURNING submission_id`,
      [submissionId, holder, ms],
    );
    return taken.length > 0;
  }

  /** Ends the holder's lease (only its own). */
  async releaseLease(submissionId: string, holder: string): Promise<void> {
    await this.db.query(
      `UPDATE assessment_submissions SET grading_lease_until = NULL, grading_lease_holder = NULL WHERE submission_id = $1 AND grading_lease_holder = $2`,
      [submissionId, holder],
    );
  }

  async status(submissionId: string): Promise<SubmissionStatus | undefined> {
    const rows = await this.db.query<{ status: SubmissionStatus }[]>(`SELECT status FROM assessment_submissions WHERE submission_id = $1`, [submissionId]);
    return rows[0]?.status;
  }

  /** The grade and the submission's status in one transaction; false if it was graded already (a second worker on the same job). */
  saveGrade(submission: Pick<PendingSubmission, 'submission_id' | 'student_id'>, grade: Grade, mode: GradingMode): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query<unknown[]>(
        `INSERT INTO assessment_feedback (submission_id, student_id, score, max_score, criteria, feedback, strengths,
                                          improvements, off_topic, injection_suspected, graded_by, model, grading_mode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id`,
        [submission.submission_id, submission.student_id, grade.score, grade.max_score, JSON.stringify(grade.criteria),
          grade.feedback, JSON.stringify(grade.strengths), JSON.stringify(grade.improvements), grade.off_topic,
          grade.injection_suspected, grade.graded_by, grade.model, mode],
      );
      if (inserted.length === 0) return false;
      await tx.query(
        `UPDATE assessment_submissions SET status = 'graded', grading_lease_until = NULL, grading_lease_holder = NULL, updated_at = now()
          WHERE submission_id = $1`,
        [submission.submission_id],
      );
      return true;
    });
  }

  /** A submission whose grading failed for good. */
  async markFailed(submissionId: string): Promise<void> {
    await this.db.query(`UPDATE assessment_submissions SET status = 'failed', updated_at = now() WHERE submission_id = $1 AND status = 'pending'`, [
      submissionId,
    ]);
  }
}

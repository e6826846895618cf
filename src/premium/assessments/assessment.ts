import type { BillingContext } from '../../llm/index.js';
import type { AssessmentQuestion } from './assessment-questions.repository.js';
import type { GradeResult } from './grading/grading.types.js';

export type SubmissionStatus = 'pending' | 'graded' | 'failed';
export type GradingMode = 'interactive' | 'batch';

/** A submission still to be graded, with its question: what a grader needs. */
export type PendingSubmission = AssessmentQuestion & {
  submission_id: string;
  student_id: string;
  answer_text: string;
  status: SubmissionStatus;
  variant: string | null;
};

/** A grade ready to store: the result, which grader gave it and with which model. */
export type Grade = GradeResult & { graded_by: 'llm' | 'rules'; model: string | null };

/** A stored grade as its student reads it. */
export type StoredGrade = Omit<Grade, 'model'> & { graded_at: Date; grading_mode: GradingMode };

/** One submission with its grade once it has one. */
export type SubmissionFeedback = {
  submission_id: string;
  question_id: string;
  status: SubmissionStatus;
  /** The question's maximum, known before any grade. */
  max_score: number;
  grade: StoredGrade | null;
};

/** A submission taken in (or found again by its Idempotency-Key). */
export type AcceptedSubmission = { submission_id: string; status: 'pending' | 'graded' };

/** Who a grading's model calls are billed to. */
export const billingOf = (submission: PendingSubmission): BillingContext => ({
  studentId: submission.student_id,
  referenceId: submission.submission_id,
  variant: submission.variant,
});

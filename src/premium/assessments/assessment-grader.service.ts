import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { FEATURES } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BillingContext, LlmClient, LlmRequest, LlmResult } from '../../llm/index.js';
import { PremiumRequestsService } from '../../usage/index.js';
import { LlmError } from '../../llm/index.js';
import { LLM_CLIENT } from '../../llm/index.js';
import type { AssessmentQuestion } from './assessment-questions.repository.js';
import { guardGrade } from './grade-guards.js';
import { gradingBudgetMs } from './grading-budget.js';
import { gradeProblems, graderInput, graderSchema, graderSystem, type LlmGrade } from './grader.prompt.js';
import type { GradeResult } from './grading/grading.types.js';
import { gradeWithRules } from './grading/rules-grader.js';

const PENDING_SQL = `SELECT s.submission_id, s.student_id, s.answer_text, s.status, s.variant,
        q.question_id, q.chapter_id, q.prompt, q.max_score, q.rubric_summary, q.rubric, q.reference_answer
   FROM assessment_submissions s JOIN assessment_questions q ON q.question_id = s.question_id`;

export const billingOf = (submission: Pending): BillingContext => ({
  studentId: submission.student_id,
  referenceId: submission.submission_id,
  variant: submission.variant,
});

export type Pending = AssessmentQuestion & { submission_id: string; student_id: string; answer_text: string; status: string; variant: string | null };
type Graded = GradeResult & { graded_by: 'llm' | 'rules'; model: string | null };
export type GradingMode = 'interactive' | 'batch';

/** Thrown while the provider only throttles us: the job is retried later instead of falling back. */
export class GradingDeferred extends Error {
  override readonly name = 'GradingDeferred';
}

/** How often a worker that found the submission leased elsewhere looks again. */
const LEASE_POLL_MS = 250;
/** The grade's own output budget (the adapter adds room for adaptive thinking by LLM_EFFORT). */
const GRADE_MAX_TOKENS = 1500;

export const graderConfig = configSlice('assessment-grader', ['GRADING_JOB_TIMEOUT_SECONDS']);

/**
 * Grades one submission, exactly once: the model with the rubric (asked again only when that can
 * help: an answer that fails the checks or the schema, or one cut off at max_tokens, which gets
 * twice the room; a refusal is final), else the rules grader, which always works. The whole
 * grading runs under a deadline below the job's expiry and under a lease on the submission, so a
 * job pg-boss hands out again is never graded, or paid for, twice.
 */
@Injectable()
export class AssessmentGraderService {
  private readonly logger = new Logger('AssessmentGrader');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    private readonly requests: PremiumRequestsService,
    @Inject(graderConfig.KEY) private readonly config: ConfigOf<typeof graderConfig>,
  ) {}

  /** `final`: the job's last try, when throttling no longer defers but falls back to the rules grader. */
  async grade(submissionId: string, options: { final?: boolean } = {}): Promise<'graded' | 'skipped'> {
    const budget = gradingBudgetMs(this.config);
    const deadlineAt = Date.now() + budget;
    const lease = await this.lease(submissionId, budget, deadlineAt);
    if (!lease) return 'skipped';
    try {
      return await this.gradeLeased(submissionId, deadlineAt, options.final === true);
    } finally {
      // Only our own lease: its end time identifies it.
      await this.db
        .query(`UPDATE assessment_submissions SET grading_lease_until = NULL WHERE submission_id = $1 AND date_trunc('milliseconds', grading_lease_until) = $2`, [submissionId, lease])
        .catch(() => undefined);
    }
  }

  /**
   * Takes the submission's grading lease. Held elsewhere: waits for that grading to end (it is
   * bounded by the same deadline), then takes the lease only if the submission is still pending.
   */
  private async lease(submissionId: string, budgetMs: number, deadlineAt: number): Promise<Date | null> {
    for (;;) {
      const taken: { grading_lease_until: Date }[] = await this.db.query(
        `UPDATE assessment_submissions SET grading_lease_until = now() + $2 * interval '1 millisecond'
          WHERE submission_id = $1 AND status = 'pending' AND (grading_lease_until IS NULL OR grading_lease_until < now())
          RETURNING grading_lease_until`,
        [submissionId, budgetMs],
      );
      if (taken[0]) return taken[0].grading_lease_until ?? new Date(deadlineAt);
      const [row]: { status: string }[] = await this.db.query(`SELECT status FROM assessment_submissions WHERE submission_id = $1`, [submissionId]);
      if (!row || row.status !== 'pending' || Date.now() >= deadlineAt) return null;
      await sleep(LEASE_POLL_MS);
    }
  }

  private async gradeLeased(submissionId: string, deadlineAt: number, final: boolean): Promise<'graded' | 'skipped'> {
    const rows: Pending[] = await this.db.query(`${PENDING_SQL} WHERE s.submission_id = $1`, [submissionId]);
    const submission = rows[0];
    if (!submission || submission.status !== 'pending') return 'skipped';
    const started = performance.now();

    const rules = this.rulesGrade(submission);
    const byModel = submission.variant === 'rules' ? null : await this.gradeWithModel(submission, deadlineAt, final);
    const graded: Graded = byModel
      ? guardGrade(byModel, rules, submission.answer_text, submission.rubric)
      : guardGrade({ ...rules, graded_by: 'rules' as const, model: null }, rules, submission.answer_text, submission.rubric);
    const saved = await this.save(submission, graded);
    if (saved) {
      const triedModel = submission.variant !== 'rules' && this.llm.provider !== 'rules';
      this.requests.record({
        feature: FEATURES.assessments.name,
        variant: submission.variant ?? 'llm',
        studentId: submission.student_id,
        source: graded.graded_by === 'llm' ? 'llm' : triedModel ? 'fallback' : 'rules',
        latencyMs: performance.now() - started,
      });
    }
    return saved ? 'graded' : 'skipped';
  }

  async markFailed(submissionId: string): Promise<void> {
    await this.db.query(`UPDATE assessment_submissions SET status = 'failed', updated_at = now() WHERE submission_id = $1 AND status = 'pending'`, [
      submissionId,
    ]);
  }

  private async gradeWithModel(submission: Pending, deadlineAt: number, final: boolean): Promise<Graded | null> {
    if (this.llm.provider === 'rules') return null;
    let maxTokens = GRADE_MAX_TOKENS;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const deadlineMs = deadlineAt - Date.now();
      if (deadlineMs <= 0) return null;
      try {
        const result = await this.llm.complete<LlmGrade>({ ...this.request(submission, maxTokens), deadlineMs }, billingOf(submission));
        const graded = this.accept(result.value, result.model, submission);
        if (graded) return graded;
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        this.logger.warn({ submission_id: submission.submission_id, error: error.kind }, 'Model grading failed');
        if (error.kind === 'rate_limited' && !final) throw new GradingDeferred('The model provider is throttling; grading later');
        // Asked again only when a second call can do better: a bad answer, or one cut off at max_tokens.
        if (error.kind === 'truncated' && error.details.stopReason === 'max_tokens') maxTokens *= 2;
        else if (error.kind !== 'bad_output') return null;
      }
    }
    return null;
  }

  /** The grading request for one submission (also what a batch sends). */
  request(submission: Pending, maxTokens = GRADE_MAX_TOKENS): LlmRequest<LlmGrade> {
    return {
      feature: FEATURES.assessments.name,
      system: graderSystem(submission),
      input: graderInput(submission.answer_text),
      schema: graderSchema(submission),
      maxTokens,
    };
  }

  /** Pending submissions with their questions, for batch grading. */
  pending(submissionIds: string[]): Promise<Pending[]> {
    if (submissionIds.length === 0) return Promise.resolve([]);
    return this.db.query(`${PENDING_SQL} WHERE s.submission_id = ANY($1::uuid[]) AND s.status = 'pending'`, [submissionIds]);
  }

  /**
   * Saves a batch's answer for one submission: the model's grade if it passes the checks, else
   * the rules grade (a batch answer is not asked again interactively). Graded once, like grade().
   */
  async finishFromBatch(submission: Pending, outcome: { result?: LlmResult<LlmGrade>; error?: LlmError }, startedAt: Date): Promise<boolean> {
    const rules = this.rulesGrade(submission);
    const byModel = outcome.result ? this.accept(outcome.result.value, outcome.result.model, submission) : null;
    const graded = guardGrade(byModel ?? { ...rules, graded_by: 'rules' as const, model: null }, rules, submission.answer_text, submission.rubric);
    const saved = await this.save(submission, graded, 'batch');
    if (saved) {
      this.requests.record({
        feature: FEATURES.assessments.name,
        variant: submission.variant ?? 'llm',
        studentId: submission.student_id,
        source: graded.graded_by === 'llm' ? 'llm' : 'fallback',
        latencyMs: Date.now() - startedAt.getTime(),
      });
    }
    return saved;
  }

  /** Hands a submission to the batch grader (GRADING_MODE=batch); false if it is not pending. */
  async handToBatch(submissionId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `UPDATE assessment_submissions SET batch_requested_at = coalesce(batch_requested_at, now())
        WHERE submission_id = $1 AND status = 'pending' AND coalesce(variant, '') <> 'rules' RETURNING submission_id`,
      [submissionId],
    );
    return rows.length > 0;
  }

  private rulesGrade(submission: Pending): GradeResult {
    return gradeWithRules({
      question: submission.prompt,
      referenceAnswer: submission.reference_answer,
      maxScore: submission.max_score,
      rubric: submission.rubric,
      answer: submission.answer_text,
    });
  }

  /** The model's grade if it passes the checks, else null (logged). */
  accept(grade: LlmGrade, model: string, submission: Pending): Graded | null {
    const problems = gradeProblems(grade, submission);
    if (problems.length > 0) {
      this.logger.warn({ submission_id: submission.submission_id, problems }, 'Model grade failed its checks');
      return null;
    }
    return {
      score: grade.total_score,
      max_score: submission.max_score,
      criteria: grade.criteria.map((c) => ({
        ...c,
        max_score: submission.rubric.find((r) => r.criterion_id === c.criterion_id)!.max_score,
      })),
      feedback: grade.feedback,
      strengths: grade.strengths,
      improvements: grade.improvements,
      off_topic: grade.off_topic,
      injection_suspected: grade.injection_suspected,
      graded_by: 'llm',
      model,
    };
  }

  /** Feedback and status in one transaction; a second worker on the same job finds it done. */
  private save(submission: Pending, graded: Graded, mode: GradingMode = 'interactive'): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO assessment_feedback (submission_id, student_id, score, max_score, criteria, feedback, strengths,
                                          improvements, off_topic, injection_suspected, graded_by, model, grading_mode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id`,
        [submission.submission_id, submission.student_id, graded.score, graded.max_score, JSON.stringify(graded.criteria),
          graded.feedback, JSON.stringify(graded.strengths), JSON.stringify(graded.improvements), graded.off_topic,
          graded.injection_suspected, graded.graded_by, graded.model, mode],
      );
      if (inserted.length === 0) return false;
      await tx.query(`UPDATE assessment_submissions SET status = 'graded', grading_lease_until = NULL, updated_at = now() WHERE submission_id = $1`, [
        submission.submission_id,
      ]);
      return true;
    });
  }
}

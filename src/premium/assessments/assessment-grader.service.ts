import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { FEATURES } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import type { LlmError, LlmResult } from '../../llm/index.js';
import { PremiumRequestsService, type PremiumRequestRecord } from '../../usage/index.js';
import type { Grade, GradingMode, PendingSubmission } from './assessment.js';
import { AssessmentSubmissionsRepository } from './assessment-submissions.repository.js';
import { guardGrade } from './grade-guards.js';
import type { LlmGrade } from './grader.prompt.js';
import { gradingBudgetMs } from './grading-budget.js';
import type { GradeResult } from './grading/grading.types.js';
import { gradeWithRules } from './grading/rules-grader.js';
import { ModelGrader } from './model-grader.js';

/** How often a worker that found the submission leased elsewhere looks again. */
const LEASE_POLL_MS = 250;

export type GradingOptions = {
  /** The job's last try, when throttling no longer defers but falls back to the rules grader. */
  final?: boolean;
  /** The job this grading runs for: a later try of the same job takes over the lease an earlier try left. */
  holder?: string;
};

export const graderConfig = configSlice('assessment-grader', ['GRADING_JOB_TIMEOUT_SECONDS']);

/**
 * Grades one submission, exactly once: the model with the rubric, else the rules grader, which
 * always works, and the guards over both. The whole grading runs under a deadline below the job's
 * expiry and under a lease on the submission, so a job pg-boss hands out again is never graded, or
 * paid for, twice.
 */
@Injectable()
export class AssessmentGraderService {
  constructor(
    private readonly submissions: AssessmentSubmissionsRepository,
    private readonly model: ModelGrader,
    private readonly requests: PremiumRequestsService,
    @Inject(graderConfig.KEY) private readonly config: ConfigOf<typeof graderConfig>,
  ) {}

  async grade(submissionId: string, options: GradingOptions = {}): Promise<'graded' | 'skipped'> {
    const budget = gradingBudgetMs(this.config);
    const deadlineAt = Date.now() + budget;
    const holder = options.holder ?? randomUUID();
    if (!(await this.lease(submissionId, holder, budget, deadlineAt))) return 'skipped';
    try {
      const [submission] = await this.submissions.pending([submissionId]);
      if (!submission) return 'skipped';
      const started = performance.now();
      const rules = rulesGrade(submission);
      const byModel = submission.variant === 'rules' ? null : await this.model.grade(submission, deadlineAt, options.final === true);
      const saved = await this.save(submission, finalGrade(byModel, rules, submission), 'interactive', {
        triedModel: submission.variant !== 'rules' && this.model.available,
        latencyMs: performance.now() - started,
      });
      return saved ? 'graded' : 'skipped';
    } finally {
      await this.submissions.releaseLease(submissionId, holder).catch(() => undefined);
    }
  }

  /**
   * Saves a batch's answer for one submission: the model's grade if it passes the checks, else
   * the rules grade (a batch answer is not asked again interactively). Graded once, like grade().
   */
  finishFromBatch(submission: PendingSubmission, outcome: { result?: LlmResult<LlmGrade>; error?: LlmError }, startedAt: Date): Promise<boolean> {
    const byModel = outcome.result ? this.model.accept(outcome.result.value, outcome.result.model, submission) : null;
    return this.save(submission, finalGrade(byModel, rulesGrade(submission), submission), 'batch', {
      triedModel: true,
      latencyMs: Date.now() - startedAt.getTime(),
    });
  }

  /**
   * Takes the submission's grading lease. Held elsewhere: waits for that grading to end (it is
   * bounded by the same deadline), then takes the lease only if the submission is still pending.
   */
  private async lease(submissionId: string, holder: string, budgetMs: number, deadlineAt: number): Promise<boolean> {
    for (;;) {
      if (await this.submissions.lease(submissionId, holder, budgetMs)) return true;
      const status = await this.submissions.status(submissionId);
      if (status !== 'pending' || Date.now() >= deadlineAt) return false;
      await sleep(LEASE_POLL_MS);
    }
  }

  /** Stores the grade once and records the request for the operators' metrics. */
  private async save(submission: PendingSubmission, grade: Grade, mode: GradingMode, run: { triedModel: boolean; latencyMs: number }): Promise<boolean> {
    const saved = await this.submissions.saveGrade(submission, grade, mode);
    if (saved) {
      this.requests.record({
        feature: FEATURES.assessments.name,
        variant: submission.variant ?? 'llm',
        studentId: submission.student_id,
        source: gradingSource(grade, run.triedModel),
        latencyMs: run.latencyMs,
      });
    }
    return saved;
  }
}

export function rulesGrade(submission: PendingSubmission): GradeResult {
  return gradeWithRules({
    question: submission.prompt,
    referenceAnswer: submission.reference_answer,
    maxScore: submission.max_score,
    rubric: submission.rubric,
    answer: submission.answer_text,
  });
}

/** The grade to store: the model's if it gave one, else the rules', either way under the guards. */
export function finalGrade(byModel: Grade | null, rules: GradeResult, submission: Pick<PendingSubmission, 'answer_text' | 'rubric'>): Grade {
  return guardGrade(byModel ?? { ...rules, graded_by: 'rules', model: null }, rules, submission.answer_text, submission.rubric);
}

/** How a grading was served: by the model, by the rules instead of it, or by the rules alone. */
export function gradingSource(grade: Pick<Grade, 'graded_by'>, triedModel: boolean): PremiumRequestRecord['source'] {
  if (grade.graded_by === 'llm') return 'llm';
  return triedModel ? 'fallback' : 'rules';
}

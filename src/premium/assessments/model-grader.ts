import { Inject, Injectable, Logger } from '@nestjs/common';
import { FEATURES } from '../../common/features/index.js';
import type { LlmClient, LlmRequest } from '../../llm/index.js';
import { LLM_CLIENT, LlmError } from '../../llm/index.js';
import { billingOf, type Grade, type PendingSubmission } from './assessment.js';
import { gradeProblems, graderInput, graderSchema, graderSystem, type LlmGrade } from './grader.prompt.js';

/** Thrown while the provider only throttles us: the job is retried later instead of falling back. */
export class GradingDeferred extends Error {
  override readonly name = 'GradingDeferred';
}

/** The grade's own output budget (the adapter adds room for adaptive thinking by LLM_EFFORT). */
const GRADE_MAX_TOKENS = 1500;

/**
 * The model's grade of one submission, with the rubric. It is asked again only when that can help:
 * an answer that fails the checks or the schema, or one cut off at max_tokens, which gets twice the
 * room; a refusal is final. Null when the model gave no grade to use.
 */
@Injectable()
export class ModelGrader {
  private readonly logger = new Logger('AssessmentGrader');

  constructor(@Inject(LLM_CLIENT) private readonly llm: LlmClient) {}

  /** False when no model is configured (the rules provider). */
  get available(): boolean {
    return this.llm.provider !== 'rules';
  }

  /** `final`: the job's last try, when throttling no longer defers but gives up on the model. */
  async grade(submission: PendingSubmission, deadlineAt: number, final: boolean): Promise<Grade | null> {
    if (!this.available) return null;
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
  request(submission: PendingSubmission, maxTokens = GRADE_MAX_TOKENS): LlmRequest<LlmGrade> {
    return {
      feature: FEATURES.assessments.name,
      system: graderSystem(submission),
      input: graderInput(submission.answer_text),
      schema: graderSchema(submission),
      maxTokens,
    };
  }

  /** The model's grade if it passes the checks, else null (logged). */
  accept(grade: LlmGrade, model: string, submission: PendingSubmission): Grade | null {
    const problems = gradeProblems(grade, submission);
    if (problems.length > 0) {
      this.logger.warn({ submission_id: submission.submission_id, problems }, 'Model grade failed its checks');
      return null;
    }
    return gradeFromModel(grade, model, submission);
  }
}

/** A checked model grade as stored: each criterion with its maximum from the rubric. */
export function gradeFromModel(grade: LlmGrade, model: string, submission: Pick<PendingSubmission, 'max_score' | 'rubric'>): Grade {
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

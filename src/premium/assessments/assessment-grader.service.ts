import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LlmClient } from '../../llm/index.js';
import { PremiumRequestsService } from '../../usage/index.js';
import { LlmError } from '../../llm/index.js';
import { LLM_CLIENT } from '../../llm/index.js';
import type { AssessmentQuestion } from './assessment-questions.repository.js';
import { guardGrade } from './grade-guards.js';
import { gradeProblems, graderInput, graderSchema, graderSystem, type LlmGrade } from './grader.prompt.js';
import type { GradeResult } from './grading/grading.types.js';
import { gradeWithRules } from './grading/rules-grader.js';

type Pending = AssessmentQuestion & { submission_id: string; student_id: string; answer_text: string; status: string; variant: string | null };
type Graded = GradeResult & { graded_by: 'llm' | 'rules'; model: string | null };

/**
 * Grades one submission, exactly once: the model with the rubric (one regrade if its answer
 * fails the checks), else the rules grader, which always works.
 */
@Injectable()
export class AssessmentGraderService {
  private readonly logger = new Logger('AssessmentGrader');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    private readonly requests: PremiumRequestsService,
  ) {}

  async grade(submissionId: string): Promise<'graded' | 'skipped'> {
    const rows: Pending[] = await this.db.query(
      `SELECT s.submission_id, s.student_id, s.answer_text, s.status, s.variant,
              q.question_id, q.chapter_id, q.prompt, q.max_score, q.rubric_summary, q.rubric, q.reference_answer
         FROM assessment_submissions s JOIN assessment_questions q ON q.question_id = s.question_id
        WHERE s.submission_id = $1`,
      [submissionId],
    );
    const submission = rows[0];
    if (!submission || submission.status !== 'pending') return 'skipped';
    const started = performance.now();

    const rules = gradeWithRules({
      question: submission.prompt,
      referenceAnswer: submission.reference_answer,
      maxScore: submission.max_score,
      rubric: submission.rubric,
      answer: submission.answer_text,
    });
    const byModel = submission.variant === 'rules' ? null : await this.gradeWithModel(submission);
    const graded: Graded = byModel
      ? guardGrade(byModel, rules, submission.answer_text, submission.rubric)
      : guardGrade({ ...rules, graded_by: 'rules' as const, model: null }, rules, submission.answer_text, submission.rubric);
    const saved = await this.save(submission, graded);
    if (saved) {
      const triedModel = submission.variant !== 'rules' && this.llm.provider !== 'rules';
      this.requests.record({
        feature: 'assessments',
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

  private async gradeWithModel(submission: Pending): Promise<Graded | null> {
    if (this.llm.provider === 'rules') return null;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const result = await this.llm.complete<LlmGrade>(
          {
            feature: 'assessments',
            system: graderSystem(submission),
            input: graderInput(submission.answer_text),
            schema: graderSchema(submission),
            maxTokens: 1500,
          },
          { studentId: submission.student_id, referenceId: submission.submission_id, variant: submission.variant },
        );
        const problems = gradeProblems(result.value, submission);
        if (problems.length === 0) {
          const g = result.value;
          return {
            score: g.total_score,
            max_score: submission.max_score,
            criteria: g.criteria.map((c) => ({
              ...c,
              max_score: submission.rubric.find((r) => r.criterion_id === c.criterion_id)!.max_score,
            })),
            feedback: g.feedback,
            strengths: g.strengths,
            improvements: g.improvements,
            off_topic: g.off_topic,
            injection_suspected: g.injection_suspected,
            graded_by: 'llm',
            model: result.model,
          };
        }
        this.logger.warn({ submission_id: submission.submission_id, attempt, problems }, 'Model grade failed its checks');
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        this.logger.warn({ submission_id: submission.submission_id, error: error.kind }, 'Model grading failed; using the rules grader');
        // Only a bad answer is worth a regrade; an unavailable model will not be better a second later.
        if (error.kind !== 'bad_output') return null;
      }
    }
    return null;
  }

  /** Feedback and status in one transaction; a second worker on the same job finds it done. */
  private save(submission: Pending, graded: Graded): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO assessment_feedback (submission_id, student_id, score, max_score, criteria, feedback, strengths,
                                          improvements, off_topic, injection_suspected, graded_by, model)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id`,
        [submission.submission_id, submission.student_id, graded.score, graded.max_score, JSON.stringify(graded.criteria),
          graded.feedback, JSON.stringify(graded.strengths), JSON.stringify(graded.improvements), graded.off_topic,
          graded.injection_suspected, graded.graded_by, graded.model],
      );
      if (inserted.length === 0) return false;
      await tx.query(`UPDATE assessment_submissions SET status = 'graded', updated_at = now() WHERE submission_id = $1`, [
        submission.submission_id,
      ]);
      return true;
    });
  }
}

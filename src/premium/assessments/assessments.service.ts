import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiException } from '../../common/errors/index.js';
import { FEATURES } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { QuotaService } from '../../usage/index.js';
import { clientGone } from '../client-gone.js';
import { quotaExceeded } from '../premium-errors.js';
import { AssessmentQuestionsRepository } from './assessment-questions.repository.js';
import type { AssessmentQuestionDto, FeedbackDto, SubmissionAcceptedDto } from './assessments.dto.js';
import { GradingQueueService } from './grading-queue.service.js';

type SubmitRequest = {
  studentId: string;
  questionId: string;
  answerText: string;
  idempotencyKey?: string;
  variant: string;
  /** Aborts when the client has gone: nothing is stored or charged for it. */
  signal?: AbortSignal;
};

type FeedbackRow = {
  submission_id: string;
  question_id: string;
  status: 'pending' | 'graded' | 'failed';
  question_max: number;
  score: number | null;
  criteria: FeedbackDto['criteria'] | null;
  feedback: string | null;
  strengths: string[] | null;
  improvements: string[] | null;
  off_topic: boolean | null;
  injection_suspected: boolean | null;
  graded_by: 'llm' | 'rules' | null;
  graded_at: Date | null;
  grading_mode: 'interactive' | 'batch' | null;
};

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export const assessmentsConfig = configSlice('assessments', ['ASSESSMENT_MAX_CHARS']);

@Injectable()
export class AssessmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly questions: AssessmentQuestionsRepository,
    private readonly quota: QuotaService,
    private readonly queue: GradingQueueService,
    @Inject(assessmentsConfig.KEY) private readonly config: ConfigOf<typeof assessmentsConfig>,
  ) {}

  async list(): Promise<AssessmentQuestionDto[]> {
    return (await this.questions.list()).map(({ question_id, chapter_id, prompt, max_score, rubric_summary }) => ({
      question_id,
      chapter_id,
      prompt,
      max_score,
      rubric_summary,
    }));
  }

  /**
   * Checks, stores and queues an answer. With an Idempotency-Key, a retry returns the first
   * submission (and a different body under the same key is a conflict); nothing is spent twice.
   */
  async submit(request: SubmitRequest): Promise<SubmissionAcceptedDto> {
    const answer = request.answerText.trim();
    if (!answer) throw ApiException.validation([{ field: 'answer_text', issue: 'must not be empty' }]);
    if (answer.length > this.config.ASSESSMENT_MAX_CHARS) {
      throw ApiException.validation([{ field: 'answer_text', issue: `must be at most ${this.config.ASSESSMENT_MAX_CHARS} characters` }]);
    }
    if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
      throw ApiException.validation([{ field: 'Idempotency-Key', issue: 'must be 1-128 letters, digits or ._:-' }]);
    }
    if (!(await this.questions.get(request.questionId))) throw ApiException.notFound(`Question ${request.questionId}`);

    const hash = createHash('sha256').update(`${request.questionId}\n${answer}`).digest('hex');
    if (request.idempotencyKey) {
      const earlier = await this.byKey(request.studentId, request.idempotencyKey, hash);
      if (earlier) return earlier;
    }

    if (request.signal?.aborted) throw clientGone();
    // One transaction claims the key, takes the unit and queues the grading: a fault anywhere in
    // it rolls all three back (no unit kept for nothing), and a retry with a key already claimed
    // waits on the first one's row instead of taking a unit of its own.
    const outcome = await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ submission_id: string }[]>(
        `INSERT INTO assessment_submissions (student_id, question_id, answer_text, idempotency_key, request_hash, variant)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (student_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING submission_id`,
        [request.studentId, request.questionId, answer, request.idempotencyKey ?? null, hash, request.variant],
      );
      const id = rows[0]?.submission_id;
      // A concurrent retry with the same key committed first: its submission is the answer.
      if (!id) return { retried: true as const };
      const unit = await this.quota.takeWithin(tx, request.studentId, FEATURES.assessments.name);
      if (!unit.granted) throw quotaExceeded(unit.status);
      await this.queue.enqueue(id, tx.queryRunner!);
      // The client left while this ran: roll back, nothing charged.
      if (request.signal?.aborted) throw clientGone();
      return { retried: false as const, id, used: unit.status.used };
    });
    if (outcome.retried) return (await this.byKey(request.studentId, request.idempotencyKey!, hash))!;
    await this.quota.mirrorUsed(request.studentId, FEATURES.assessments.name, outcome.used);
    this.queue.wake();
    return accepted(outcome.id, 'pending');
  }

  /** A student's own submission only: anyone else's is NOT_FOUND, as if it did not exist. */
  async feedback(studentId: string, submissionId: string): Promise<FeedbackDto> {
    const rows: FeedbackRow[] = await this.db.query(
      `SELECT s.submission_id, s.question_id, s.status, q.max_score AS question_max, f.score, f.criteria, f.feedback,
              f.strengths, f.improvements, f.off_topic, f.injection_suspected, f.graded_by, f.graded_at, f.grading_mode
         FROM assessment_submissions s
         JOIN assessment_questions q ON q.question_id = s.question_id
         LEFT JOIN assessment_feedback f ON f.submission_id = s.submission_id
        WHERE s.submission_id = $1 AND s.student_id = $2`,
      [submissionId, studentId],
    );
    const row = rows[0];
    if (!row) throw ApiException.notFound(`Submission ${submissionId}`);
    return {
      submission_id: row.submission_id,
      question_id: row.question_id,
      status: row.status,
      score: row.score,
      max_score: row.question_max,
      criteria: row.criteria ?? [],
      feedback: row.feedback,
      strengths: row.strengths ?? [],
      improvements: row.improvements ?? [],
      off_topic: row.off_topic ?? false,
      injection_suspected: row.injection_suspected ?? false,
      graded_by: row.graded_by,
      graded_at: row.graded_at?.toISOString() ?? null,
      grading_mode: row.grading_mode,
    };
  }

  private async byKey(studentId: string, key: string, hash: string): Promise<SubmissionAcceptedDto | undefined> {
    const rows: { submission_id: string; request_hash: string; status: string }[] = await this.db.query(
      `SELECT submission_id, request_hash, status FROM assessment_submissions WHERE student_id = $1 AND idempotency_key = $2`,
      [studentId, key],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash !== hash) throw new ApiException('CONFLICT', 'This Idempotency-Key was already used for a different answer');
    return accepted(row.submission_id, row.status === 'graded' ? 'graded' : 'pending');
  }
}

function accepted(id: string, status: 'pending' | 'graded'): SubmissionAcceptedDto {
  return { submission_id: id, status, poll_url: `/api/v2/assessments/feedback/${id}` };
}

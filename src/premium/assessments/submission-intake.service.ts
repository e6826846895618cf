import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { FEATURES } from '../../common/features/index.js';
import { QuotaService } from '../../usage/index.js';
import { clientGone } from '../client-gone.js';
import { quotaExceeded } from '../premium-errors.js';
import type { AcceptedSubmission } from './assessment.js';
import { AssessmentSubmissionsRepository } from './assessment-submissions.repository.js';
import { GradingQueueService } from './grading-queue.service.js';

export type Submission = {
  studentId: string;
  questionId: string;
  /** Validated and trimmed at the edge. */
  answerText: string;
  idempotencyKey?: string;
  variant: string;
  /** Aborts when the client has gone: nothing is stored or charged for it. */
  signal?: AbortSignal;
};

/**
 * Takes an answer in: stores it, takes its quota unit and queues its grading, all or nothing. With
 * an Idempotency-Key, a retry gets the first submission (and a different answer under the same key
 * is a conflict); nothing is spent twice.
 */
@Injectable()
export class SubmissionIntake {
  constructor(
    private readonly submissions: AssessmentSubmissionsRepository,
    private readonly quota: QuotaService,
    private readonly queue: GradingQueueService,
  ) {}

  async accept(submission: Submission): Promise<AcceptedSubmission> {
    const hash = requestHash(submission.questionId, submission.answerText);
    const key = submission.idempotencyKey;
    // A retry finds its submission without a transaction; the insert below settles retries racing each other.
    if (key) {
      const earlier = await this.replay(submission.studentId, key, hash);
      if (earlier) return earlier;
    }

    if (submission.signal?.aborted) throw clientGone();
    // One transaction claims the key, takes the unit and queues the grading: a fault anywhere in
    // it rolls all three back (no unit kept for nothing), and a retry with a key already claimed
    // waits on the first one's row instead of taking a unit of its own.
    const inserted = await this.submissions.insert(
      {
        student_id: submission.studentId,
        question_id: submission.questionId,
        answer_text: submission.answerText,
        idempotency_key: key ?? null,
        request_hash: hash,
        variant: submission.variant,
      },
      async (tx, submissionId) => {
        const unit = await this.quota.takeWithin(tx, submission.studentId, FEATURES.assessments.name);
        if (!unit.granted) throw quotaExceeded(unit.status);
        await this.queue.enqueue(submissionId, tx);
        // The client left while this ran: roll back, nothing charged.
        if (submission.signal?.aborted) throw clientGone();
        return unit.status.used;
      },
    );
    // A concurrent retry with the same key committed first: its submission is the answer.
    if (!inserted) return (await this.replay(submission.studentId, key!, hash))!;
    await this.quota.mirrorUsed(submission.studentId, FEATURES.assessments.name, inserted.result);
    this.queue.wake();
    return { submission_id: inserted.submissionId, status: 'pending' };
  }

  /** The submission made earlier under this key, if any; the same key with another answer is a conflict. */
  private async replay(studentId: string, key: string, hash: string): Promise<AcceptedSubmission | undefined> {
    const earlier = await this.submissions.byKey(studentId, key);
    if (!earlier) return undefined;
    if (earlier.request_hash !== hash) throw new ApiException('CONFLICT', 'This Idempotency-Key was already used for a different answer');
    return { submission_id: earlier.submission_id, status: earlier.status === 'graded' ? 'graded' : 'pending' };
  }
}

/** What an Idempotency-Key stands for: the question and the answer. */
export function requestHash(questionId: string, answerText: string): string {
  return createHash('sha256').update(`${questionId}\n${answerText}`).digest('hex');
}

import { Injectable } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { ChaptersService } from '../../core/index.js';
import type { AcceptedSubmission, SubmissionFeedback } from './assessment.js';
import { AssessmentQuestionsRepository, type AssessmentQuestion } from './assessment-questions.repository.js';
import { AssessmentSubmissionsRepository } from './assessment-submissions.repository.js';
import { SubmissionIntake, type Submission } from './submission-intake.service.js';

/** The open-ended questions, answers taken in for grading, and each student's feedback. */
@Injectable()
export class AssessmentsService {
  constructor(
    private readonly questions: AssessmentQuestionsRepository,
    private readonly chapters: ChaptersService,
    private readonly intake: SubmissionIntake,
    private readonly submissions: AssessmentSubmissionsRepository,
  ) {}

  /** Every question in course order: by chapter, then each chapter's own order. */
  async list(): Promise<AssessmentQuestion[]> {
    const [questions, catalog] = await Promise.all([this.questions.list(), this.chapters.catalog()]);
    return inCourseOrder(questions, catalog);
  }

  async submit(submission: Submission): Promise<AcceptedSubmission> {
    if (!(await this.questions.get(submission.questionId))) throw ApiException.notFound(`Question ${submission.questionId}`);
    return this.intake.accept(submission);
  }

  /** A student's own submission only: anyone else's is NOT_FOUND, as if it did not exist. */
  async feedback(studentId: string, submissionId: string): Promise<SubmissionFeedback> {
    const found = await this.submissions.feedback(studentId, submissionId);
    if (!found) throw ApiException.notFound(`Submission ${submissionId}`);
    return found;
  }
}

/** Questions sorted by their chapter's place in the course; the sort is stable, so each chapter's keep their order. */
export function inCourseOrder<Q extends { chapter_id: string }>(questions: Q[], catalog: { chapter_id: string; order: number }[]): Q[] {
  const order = new Map(catalog.map((c) => [c.chapter_id, c.order]));
  return [...questions].sort((a, b) => (order.get(a.chapter_id) ?? Infinity) - (order.get(b.chapter_id) ?? Infinity));
}

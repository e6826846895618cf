import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { FieldIssue } from '../../common/errors/index.js';
import { SLUG } from '../../core/index.js';
import type { AcceptedSubmission, SubmissionFeedback } from './assessment.js';
import type { AssessmentQuestion } from './assessment-questions.repository.js';

/** An Idempotency-Key: an opaque client token of at most 128 characters (the column's width). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export class SubmitAssessmentDto {
  @ApiProperty({ example: '04-rag-q1', pattern: SLUG.source })
  @Matches(SLUG, { message: 'must be a question id such as 04-rag-q1' })
  question_id!: string;

  @ApiProperty({
    example: 'RAG suits knowledge that changes often, because…',
    description: 'At most ASSESSMENT_MAX_CHARS characters, leading and trailing white space not counted (it is not stored)',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  // The configured limit is checked by AnswerLimitPipe; this only stops absurd bodies early.
  @MaxLength(100_000)
  @IsNotEmpty({ message: 'must not be empty' })
  // Checked first (the decorators run bottom up), so the first issue of a non-string says so.
  @IsString()
  answer_text!: string;
}

/** The configured limit on an answer (ASSESSMENT_MAX_CHARS), which the DTO's decorators cannot read. */
export function answerLengthIssue(body: SubmitAssessmentDto, maxChars: number): FieldIssue | undefined {
  return body.answer_text.length > maxChars ? { field: 'answer_text', issue: `must be at most ${maxChars} characters` } : undefined;
}

export function idempotencyKeyIssue(key: string): FieldIssue | undefined {
  return IDEMPOTENCY_KEY.test(key) ? undefined : { field: 'Idempotency-Key', issue: 'must be 1-128 letters, digits or ._:-' };
}

export class SubmissionParamsDto {
  @ApiProperty({ format: 'uuid', example: '9a8b7c6d-5e4f-4321-9876-543210fedcba' })
  @IsUUID('all', { message: 'must be a submission id (UUID)' })
  submission_id!: string;
}

export class AssessmentQuestionDto {
  @ApiProperty({ example: '04-rag-q1' }) question_id!: string;
  @ApiProperty({ example: '04-rag' }) chapter_id!: string;
  @ApiProperty({ example: 'When would you choose retrieval-augmented generation over fine-tuning?' }) prompt!: string;
  @ApiProperty({ example: 10 }) max_score!: number;
  @ApiProperty({ example: 'Names the trade-off, when knowledge changes, and how to evaluate.' }) rubric_summary!: string;
}

export class AssessmentQuestionListDto {
  @ApiProperty({ type: [AssessmentQuestionDto] }) questions!: AssessmentQuestionDto[];
}

export class SubmissionAcceptedDto {
  @ApiProperty({ format: 'uuid', example: '9a8b7c6d-5e4f-4321-9876-543210fedcba' }) submission_id!: string;
  @ApiProperty({ enum: ['pending', 'graded'], example: 'pending' }) status!: 'pending' | 'graded';
  @ApiProperty({ example: '/api/v2/assessments/feedback/9a8b7c6d-5e4f-4321-9876-543210fedcba' }) poll_url!: string;
}

export class CriterionFeedbackDto {
  @ApiProperty({ example: 'identifies_tradeoff' }) criterion_id!: string;
  @ApiProperty({ example: 3 }) score!: number;
  @ApiProperty({ example: 4 }) max_score!: number;
  @ApiProperty({ example: 'Names stale knowledge as the reason to retrieve.' }) comment!: string;
}

export class FeedbackDto {
  @ApiProperty({ format: 'uuid', example: '9a8b7c6d-5e4f-4321-9876-543210fedcba' }) submission_id!: string;
  @ApiProperty({ example: '04-rag-q1' }) question_id!: string;
  @ApiProperty({ enum: ['pending', 'graded', 'failed'], example: 'graded' }) status!: 'pending' | 'graded' | 'failed';
  @ApiProperty({ type: Number, nullable: true, example: 7 }) score!: number | null;
  @ApiProperty({ example: 10 }) max_score!: number;
  @ApiProperty({ type: [CriterionFeedbackDto] }) criteria!: CriterionFeedbackDto[];
  @ApiProperty({ type: String, nullable: true, example: 'A solid answer that…' }) feedback!: string | null;
  @ApiProperty({ type: [String], example: ['Explains why retrieval keeps answers current'] }) strengths!: string[];
  @ApiProperty({ type: [String], example: ['Say how you would evaluate retrieval quality'] }) improvements!: string[];
  @ApiProperty({ example: false }) off_topic!: boolean;
  @ApiPropertyOptional({ example: false }) injection_suspected?: boolean;
  @ApiProperty({ type: String, enum: ['llm', 'rules'], nullable: true, example: 'llm' }) graded_by!: 'llm' | 'rules' | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-22T10:15:03.000Z' }) graded_at!: string | null;
  @ApiProperty({
    type: String,
    enum: ['interactive', 'batch'],
    nullable: true,
    example: 'interactive',
    description: 'How it was graded: at once, or in a Message Batch at half price (GRADING_MODE=batch)',
  })
  grading_mode!: 'interactive' | 'batch' | null;
}

export function toAssessmentQuestionDto(question: AssessmentQuestion): AssessmentQuestionDto {
  const { question_id, chapter_id, prompt, max_score, rubric_summary } = question;
  return { question_id, chapter_id, prompt, max_score, rubric_summary };
}

export function toSubmissionAcceptedDto(submission: AcceptedSubmission): SubmissionAcceptedDto {
  return { ...submission, poll_url: `/api/v2/assessments/feedback/${submission.submission_id}` };
}

/** A submission's feedback: before its grade, no score, empty lists and nothing flagged. */
export function toFeedbackDto(submission: SubmissionFeedback): FeedbackDto {
  const grade = submission.grade;
  return {
    submission_id: submission.submission_id,
    question_id: submission.question_id,
    status: submission.status,
    score: grade?.score ?? null,
    max_score: submission.max_score,
    criteria: grade?.criteria ?? [],
    feedback: grade?.feedback ?? null,
    strengths: grade?.strengths ?? [],
    improvements: grade?.improvements ?? [],
    off_topic: grade?.off_topic ?? false,
    injection_suspected: grade?.injection_suspected ?? false,
    graded_by: grade?.graded_by ?? null,
    graded_at: grade?.graded_at.toISOString() ?? null,
    grading_mode: grade?.grading_mode ?? null,
  };
}

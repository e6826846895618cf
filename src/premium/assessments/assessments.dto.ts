import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { SLUG } from '../../core/index.js';

export class SubmitAssessmentDto {
  @ApiProperty({ example: '04-rag-q1', pattern: SLUG.source })
  @Matches(SLUG, { message: 'must be a question id such as 04-rag-q1' })
  question_id!: string;

  @ApiProperty({ example: 'RAG suits knowledge that changes often, because…', description: 'At most ASSESSMENT_MAX_CHARS characters' })
  @IsString()
  // The configured limit is checked by the service; this only stops absurd bodies early.
  @MaxLength(100_000)
  answer_text!: string;
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

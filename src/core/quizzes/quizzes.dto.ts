import { ApiProperty } from '@nestjs/swagger';
import { IsObject, Matches } from 'class-validator';
import { SLUG } from '../content/chapters.dto.js';

export class QuizParamsDto {
  @ApiProperty({ example: '01-intro-quiz', pattern: SLUG.source })
  @Matches(SLUG, { message: 'must be a quiz id such as 01-intro-quiz' })
  quiz_id!: string;
}

export class QuizOptionDto {
  @ApiProperty({ example: 'a' }) key!: string;
  @ApiProperty({ example: 'The next token, one at a time' }) text!: string;
}

export class QuizQuestionDto {
  @ApiProperty({ example: 'q1' }) question_id!: string;
  @ApiProperty({ example: 'What does a language model predict?' }) prompt!: string;
  @ApiProperty({ type: [QuizOptionDto] }) options!: QuizOptionDto[];
}

export class QuizDto {
  @ApiProperty({ example: '01-intro-quiz' }) quiz_id!: string;
  @ApiProperty({ example: '01-intro' }) chapter_id!: string;
  @ApiProperty({ example: 'Introduction quiz' }) title!: string;
  @ApiProperty({ example: 60, description: 'Percentage needed to pass' }) pass_percentage!: number;
  @ApiProperty({ type: [QuizQuestionDto] }) questions!: QuizQuestionDto[];
}

export class SubmitQuizDto {
  @ApiProperty({
    description: 'The chosen option key for each answered question; unanswered questions count as wrong',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { q1: 'a', q2: 'c', q3: 'b', q4: 'd', q5: 'a' },
  })
  @IsObject({ message: 'must be an object mapping question ids to option keys' })
  answers!: Record<string, unknown>;
}

export class QuestionResultDto {
  @ApiProperty({ example: 'q1' }) question_id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'a' }) your_answer!: string | null;
  @ApiProperty({ example: true }) correct!: boolean;
  @ApiProperty({ example: 'a' }) correct_answer!: string;
  @ApiProperty({ example: 'A model predicts a distribution over the next token.' }) explanation!: string;
}

export class QuizSubmissionResultDto {
  @ApiProperty({ format: 'uuid', example: '6d1f0a52-3c2b-4b8e-9d0f-7a6e5c4b3a21' }) result_id!: string;
  @ApiProperty({ example: '01-intro-quiz' }) quiz_id!: string;
  @ApiProperty({ example: 4 }) score!: number;
  @ApiProperty({ example: 5 }) max_score!: number;
  @ApiProperty({ example: 80 }) percentage!: number;
  @ApiProperty({ example: true }) passed!: boolean;
  @ApiProperty({ type: [QuestionResultDto] }) results!: QuestionResultDto[];
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:15:00.000Z' }) completed_at!: string;
}

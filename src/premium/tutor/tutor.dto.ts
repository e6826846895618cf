import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { SLUG } from '../../core/index.js';
import type { TutorAnswer } from './tutor-answer.js';

/** Longest question taken, in characters (a question, not a document to summarise). */
export const MAX_QUESTION_CHARS = 1000;

export class AskTutorDto {
  @ApiProperty({ example: 'When should I use RAG instead of fine-tuning?', maxLength: MAX_QUESTION_CHARS })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(MAX_QUESTION_CHARS)
  @IsNotEmpty({ message: 'must not be empty' })
  @IsString()
  question!: string;

  @ApiPropertyOptional({ example: '04-rag', pattern: SLUG.source, description: 'Search this chapter only' })
  @IsOptional()
  @Matches(SLUG, { message: 'must be a chapter id such as 04-rag' })
  chapter_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Continue one of your conversations: its last turns are the context' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a conversation id (UUID)' })
  conversation_id?: string;
}

export class CitationDto {
  @ApiProperty({ example: '04-rag' }) chapter_id!: string;
  @ApiProperty({ example: 'when-to-use-rag', description: "The section's id: its heading's slug" }) section!: string;
  @ApiProperty({ example: 'Retrieval suits knowledge that changes often …' }) excerpt!: string;
}

export class TutorAnswerDto {
  @ApiProperty({ format: 'uuid', example: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c' }) answer_id!: string;
  @ApiProperty({ format: 'uuid', example: '7c6b5a49-3827-4615-9d4c-3b2a19087f6e' }) conversation_id!: string;
  @ApiProperty({ example: 'Use retrieval when the knowledge changes often [04-rag#when-to-use-rag] …' }) answer_markdown!: string;
  @ApiProperty({ type: [CitationDto] }) citations!: CitationDto[];
  @ApiProperty({ example: false, description: 'The course does not cover the question: no model call, no quota unit' }) off_course!: boolean;
  @ApiProperty({ enum: ['llm', 'rules', 'cache'], example: 'llm' }) decision_source!: TutorAnswer['decision_source'];
  @ApiProperty({ format: 'date-time', example: '2026-12-02T10:00:00.000Z' }) generated_at!: string;
}

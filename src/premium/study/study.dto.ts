import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { SLUG } from '../../core/index.js';
import type { PracticeGrade } from './practice-grading.js';
import { FLASHCARD_COUNT, PRACTICE_COUNT, type ServedMaterial } from './study.js';

const CHAPTER_ID = { example: '03-embeddings', pattern: SLUG.source, description: 'A chapter of the course' } as const;
const CHAPTER_MESSAGE = { message: 'must be a chapter id such as 03-embeddings' } as const;
const WHOLE = { message: 'must be a whole number' } as const;

export class SummaryRequestDto {
  @ApiProperty(CHAPTER_ID)
  @Matches(SLUG, CHAPTER_MESSAGE)
  chapter_id!: string;
}

export class FlashcardsRequestDto extends SummaryRequestDto {
  // No `default` keyword: generated clients would make the field required.
  @ApiPropertyOptional({ minimum: FLASHCARD_COUNT.min, maximum: FLASHCARD_COUNT.max, example: 10, description: `How many cards; default ${FLASHCARD_COUNT.default}` })
  @IsOptional()
  @Max(FLASHCARD_COUNT.max)
  @Min(FLASHCARD_COUNT.min)
  @IsInt(WHOLE)
  count?: number;
}

export class PracticeQuizRequestDto extends SummaryRequestDto {
  @ApiPropertyOptional({ minimum: PRACTICE_COUNT.min, maximum: PRACTICE_COUNT.max, example: 5, description: `How many questions; default ${PRACTICE_COUNT.default}` })
  @IsOptional()
  @Max(PRACTICE_COUNT.max)
  @Min(PRACTICE_COUNT.min)
  @IsInt(WHOLE)
  count?: number;
}

export class PracticeParamsDto {
  @ApiProperty({ format: 'uuid', example: '5c0e7b1a-2f3d-4e8a-9b6c-1d2e3f4a5b6c' })
  @IsUUID('all', { message: 'must be a practice quiz id (UUID)' })
  practice_id!: string;
}

export class SubmitPracticeDto {
  @ApiProperty({
    description: 'The chosen option key for each answered question; unanswered questions count as wrong',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { p1: 'b', p2: 'a', p3: 'd', p4: 'c', p5: 'a' },
  })
  @IsObject({ message: 'must be an object mapping question ids to option keys' })
  answers!: Record<string, unknown>;
}

const DECISION_SOURCE = {
  enum: ['llm', 'rules', 'cache'],
  example: 'cache',
  description: '`cache`: from the store shared by every student (no quota unit, no LLM call)',
} as const;

export class FlashcardDto {
  @ApiProperty({ example: 'cosine similarity' }) front!: string;
  @ApiProperty({ example: 'The cosine of the angle between two vectors: 1 when they point the same way, 0 when unrelated.' }) back!: string;
  @ApiProperty({ example: 'measuring-similarity', description: 'The id (heading slug) of the chapter section the card comes from' }) section!: string;
}

export class FlashcardSetDto {
  @ApiProperty({ format: 'uuid', example: '8e2b6a4c-1d3f-4a5b-9c7d-0e1f2a3b4c5d' }) set_id!: string;
  @ApiProperty({ example: '03-embeddings' }) chapter_id!: string;
  @ApiProperty({ type: [FlashcardDto] }) cards!: FlashcardDto[];
  @ApiProperty(DECISION_SOURCE) decision_source!: 'llm' | 'rules' | 'cache';
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:15:00.000Z', description: 'When the material was generated' }) generated_at!: string;
}

export class PracticeOptionDto {
  @ApiProperty({ example: 'a' }) key!: string;
  @ApiProperty({ example: 'The share of relevant documents among the top k retrieved' }) text!: string;
}

export class PracticeQuestionDto {
  @ApiProperty({ example: 'p1' }) question_id!: string;
  @ApiProperty({ example: 'Which statement defines "embedding"?' }) prompt!: string;
  @ApiProperty({ type: [PracticeOptionDto] }) options!: PracticeOptionDto[];
}

export class PracticeQuizDto {
  @ApiProperty({ format: 'uuid', example: '5c0e7b1a-2f3d-4e8a-9b6c-1d2e3f4a5b6c', description: 'Yours only: submit your answers to it' }) practice_id!: string;
  @ApiProperty({ example: '03-embeddings' }) chapter_id!: string;
  @ApiProperty({ type: [PracticeQuestionDto], description: 'Never with the answers' }) questions!: PracticeQuestionDto[];
  @ApiProperty(DECISION_SOURCE) decision_source!: 'llm' | 'rules' | 'cache';
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:15:00.000Z', description: 'When the questions were generated' }) generated_at!: string;
}

export class PracticeResultDto {
  @ApiProperty({ example: 'p1' }) question_id!: string;
  @ApiProperty({ example: true }) correct!: boolean;
  @ApiProperty({ example: 'b' }) correct_answer!: string;
  @ApiProperty({ example: 'An embedding is a vector that places similar meanings close together.' }) explanation!: string;
  @ApiProperty({ example: 'what-an-embedding-is', description: 'The chapter section that teaches it' }) section!: string;
}

export class PracticeGradeDto {
  @ApiProperty({ example: 4 }) score!: number;
  @ApiProperty({ example: 5 }) max_score!: number;
  @ApiProperty({ type: [PracticeResultDto] }) results!: PracticeResultDto[];
}

export class StudySummaryDto {
  @ApiProperty({ example: '03-embeddings' }) chapter_id!: string;
  @ApiProperty({ example: '## Embeddings and semantic search\n\n### What an embedding is\n\nAn embedding is a list of numbers…' }) summary_markdown!: string;
  @ApiProperty({ type: [String], example: ['Embedding: a vector that represents the meaning of a text.'] }) key_points!: string[];
  @ApiProperty(DECISION_SOURCE) decision_source!: 'llm' | 'rules' | 'cache';
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:15:00.000Z', description: 'When the summary was generated' }) generated_at!: string;
}

export function toFlashcardSetDto(served: ServedMaterial<'flashcards'>): FlashcardSetDto {
  const { material } = served;
  return { set_id: material.material_id, chapter_id: material.chapter_id, cards: material.content.cards, decision_source: served.source, generated_at: material.generated_at };
}

/** The questions as a student sees them before answering: never the keys, explanations or sections. */
export function toPracticeQuizDto(served: ServedMaterial<'practice_quiz'>): PracticeQuizDto {
  const { material } = served;
  return {
    practice_id: served.practiceId!,
    chapter_id: material.chapter_id,
    questions: material.content.questions.map((q) => ({ question_id: q.question_id, prompt: q.prompt, options: q.options.map(({ key, text }) => ({ key, text })) })),
    decision_source: served.source,
    generated_at: material.generated_at,
  };
}

export function toPracticeGradeDto(grade: PracticeGrade): PracticeGradeDto {
  return { score: grade.score, max_score: grade.maxScore, results: grade.results };
}

export function toStudySummaryDto(served: ServedMaterial<'summary'>): StudySummaryDto {
  const { material } = served;
  return {
    chapter_id: material.chapter_id,
    summary_markdown: material.content.summary_markdown,
    key_points: material.content.key_points,
    decision_source: served.source,
    generated_at: material.generated_at,
  };
}

import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

export class ChapterParamsDto {
  @ApiProperty({ example: '01-intro', pattern: SLUG.source })
  @Matches(SLUG, { message: 'must be a chapter id such as 01-intro' })
  chapter_id!: string;
}

export class ChapterSummaryDto {
  @ApiProperty({ example: '01-intro' }) chapter_id!: string;
  @ApiProperty({ example: 'What generative AI is and how it works' }) title!: string;
  @ApiProperty({ example: 1 }) order!: number;
  @ApiProperty({ example: 'How large language models turn text into predictions, and what that means for builders.' })
  summary!: string;
  @ApiProperty({ example: 25 }) estimated_minutes!: number;
  @ApiProperty({ type: String, nullable: true, example: '01-intro-quiz' }) quiz_id!: string | null;
}

export class ChapterListDto {
  @ApiProperty({ type: [ChapterSummaryDto] }) chapters!: ChapterSummaryDto[];
}

export class ChapterDto {
  @ApiProperty({ example: '01-intro' }) chapter_id!: string;
  @ApiProperty({ example: 'What generative AI is and how it works' }) title!: string;
  @ApiProperty({ example: 1 }) order!: number;
  @ApiProperty({ example: 'How large language models turn text into predictions.' }) summary!: string;
  @ApiProperty({ example: 25 }) estimated_minutes!: number;
  @ApiProperty({ example: '## Tokens\n\nA model reads text as tokens…' }) content_markdown!: string;
  @ApiProperty({ type: [String], example: ['token', 'context window'] }) key_terms!: string[];
  @ApiProperty({ type: String, nullable: true, example: '01-intro-quiz' }) quiz_id!: string | null;
  @ApiProperty({ type: [String], example: [] }) prerequisites!: string[];
}

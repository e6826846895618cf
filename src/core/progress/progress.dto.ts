import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ChapterProgressDto {
  @ApiProperty({ example: '01-intro' }) chapter_id!: string;
  @ApiProperty({ enum: ['not_started', 'in_progress', 'completed'], example: 'completed' })
  status!: 'not_started' | 'in_progress' | 'completed';
  @ApiProperty({ type: Number, nullable: true, example: 80, description: 'Best quiz percentage, null before any attempt' })
  best_percentage!: number | null;
  @ApiProperty({ example: 2 }) attempts!: number;
}

export class ProgressDto {
  @ApiProperty({ type: [ChapterProgressDto] }) chapters!: ChapterProgressDto[];
  @ApiProperty({ example: 16.67, description: 'Share of chapters completed (quiz passed), 0-100, two decimals' })
  overall_percentage!: number;
}

export class QuizHistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class QuizAttemptDto {
  @ApiProperty({ format: 'uuid', example: '6d1f0a52-3c2b-4b8e-9d0f-7a6e5c4b3a21' }) result_id!: string;
  @ApiProperty({ example: '01-intro-quiz' }) quiz_id!: string;
  @ApiProperty({ example: '01-intro' }) chapter_id!: string;
  @ApiProperty({ example: 4 }) score!: number;
  @ApiProperty({ example: 5 }) max_score!: number;
  @ApiProperty({ example: 80 }) percentage!: number;
  @ApiProperty({ example: true }) passed!: boolean;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:15:00.000Z' }) completed_at!: string;
}

export class QuizHistoryDto {
  @ApiProperty({ type: [QuizAttemptDto] }) attempts!: QuizAttemptDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null on the last page',
    example: 'WyIyMDI2LTExLTIyVDEwOjE1OjAwLjAwMDAwMFoiLCI2ZDFmMGE1MiJd',
  })
  next_cursor!: string | null;
}

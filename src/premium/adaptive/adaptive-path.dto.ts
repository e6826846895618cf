import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { ServedPath } from './adaptive-path.js';

export class AdaptivePathRequestDto {
  // No `default` keyword: generated clients would make the field required.
  @ApiPropertyOptional({ description: 'Ignore the cached path and build a new one (costs a quota unit). Default false.', example: false })
  @IsOptional()
  @IsBoolean()
  force_refresh?: boolean;

  @ApiPropertyOptional({ description: 'Include the reasoning behind the path. Default false.', example: true })
  @IsOptional()
  @IsBoolean()
  include_reasoning?: boolean;
}

export class RecommendationDto {
  @ApiProperty({ example: '02-prompting' }) chapter_id!: string;
  @ApiProperty({ enum: ['review', 'start', 'continue', 'practice'], example: 'review' }) action!: string;
  @ApiProperty({ example: 1, description: '1 is the most urgent' }) priority!: number;
  @ApiProperty({ example: 'Best quiz score 40% is well under the pass mark: reread it, then retake the quiz' }) reason!: string;
}

export class AdaptivePathDto {
  @ApiProperty({ format: 'uuid', example: '0b7c2f0e-4a51-4a8b-9a5e-3c7d2b1f0e9a' }) path_id!: string;
  @ApiProperty({ format: 'uuid', example: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }) student_id!: string;
  @ApiProperty({ type: [RecommendationDto] }) recommendations!: RecommendationDto[];
  @ApiPropertyOptional({ example: 'Prompting is the weakest chapter and unlocks RAG, so it comes first.' }) reasoning?: string;
  @ApiProperty({ enum: ['llm', 'rules', 'cache'], example: 'llm' }) decision_source!: 'llm' | 'rules' | 'cache';
  @ApiProperty({ example: 'adaptive', description: 'The feature-flag variant this student is in' }) variant!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:15:00.000Z' }) generated_at!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T10:15:00.000Z' }) expires_at!: string;
}

/** The answer for a served path: a path from the cache says so, and its reasoning shows only when asked for. */
export function toAdaptivePathDto(served: ServedPath, includeReasoning: boolean): AdaptivePathDto {
  const { path } = served;
  return {
    path_id: path.path_id,
    student_id: path.student_id,
    recommendations: path.recommendations,
    ...(includeReasoning && { reasoning: path.reasoning }),
    decision_source: served.source,
    variant: path.variant,
    generated_at: path.generated_at,
    expires_at: path.expires_at,
  };
}

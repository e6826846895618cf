import { ApiProperty } from '@nestjs/swagger';
import { PREMIUM_FEATURES } from '../../common/features/index.js';
import { PeriodDto } from '../costs/costs.dto.js';

export class LatencyDto {
  @ApiProperty({ type: Number, nullable: true, example: 12 }) p50!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 340 }) p95!: number | null;
}

export class FeatureMetricsDto {
  @ApiProperty({ example: PREMIUM_FEATURES[0] }) feature!: string;
  @ApiProperty({ example: 'adaptive' }) variant!: string;
  @ApiProperty({ example: 1200 }) requests!: number;
  @ApiProperty({ example: 640 }) llm_calls!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.42 }) cache_hit_rate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.03 }) fallback_rate!: number | null;
  @ApiProperty({ type: LatencyDto }) latency_ms!: LatencyDto;
  @ApiProperty({ type: Number, nullable: true, example: 0.01 }) error_rate!: number | null;
  @ApiProperty({ example: 3.418211 }) cost_usd!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.002848 }) cost_per_request!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.37, description: 'Adaptive paths: share whose first step was passed afterwards' })
  completion_rate!: number | null;
}

export class MetricsDto {
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ type: [FeatureMetricsDto] }) features!: FeatureMetricsDto[];
}

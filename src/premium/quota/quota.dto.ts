import { ApiProperty } from '@nestjs/swagger';

export class FeatureQuotaDto {
  @ApiProperty({ example: 3 }) used!: number;
  @ApiProperty({ example: 10 }) limit!: number;
}

export class QuotaFeaturesDto {
  @ApiProperty({ type: FeatureQuotaDto }) adaptive_paths!: FeatureQuotaDto;
  @ApiProperty({ type: FeatureQuotaDto }) assessments!: FeatureQuotaDto;
}

export class QuotaDto {
  @ApiProperty({ example: '2026-11', description: 'Calendar month, UTC' }) period!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z' }) resets_at!: string;
  @ApiProperty({ type: QuotaFeaturesDto }) features!: QuotaFeaturesDto;
}

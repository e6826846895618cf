import { ApiProperty } from '@nestjs/swagger';
import { PREMIUM_FEATURES, type PremiumFeature } from '../../common/features/index.js';

export class FeatureQuotaDto {
  @ApiProperty({ example: 3 }) used!: number;
  @ApiProperty({ example: 10 }) limit!: number;
}

/** One property per registry feature, so the OpenAPI schema lists every premium feature. */
export class QuotaFeaturesDto {}
for (const feature of PREMIUM_FEATURES) ApiProperty({ type: FeatureQuotaDto })(QuotaFeaturesDto.prototype, feature);

export type QuotaFeatures = Record<PremiumFeature, FeatureQuotaDto>;

export class QuotaDto {
  @ApiProperty({ example: '2026-11', description: 'Calendar month, UTC' }) period!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z' }) resets_at!: string;
  @ApiProperty({ type: QuotaFeaturesDto }) features!: QuotaFeatures;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PREMIUM_FEATURES, type PremiumFeature } from '../../common/features/index.js';

export class FlagParamsDto {
  @ApiProperty({ enum: PREMIUM_FEATURES, example: PREMIUM_FEATURES[0] })
  @IsIn(PREMIUM_FEATURES, { message: `must be one of ${PREMIUM_FEATURES.join(', ')}` })
  feature!: PremiumFeature;
}

export class VariantDto {
  @ApiProperty({ example: 'static' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'must be a short lower-case name' })
  name!: string;

  @ApiProperty({ example: 50, minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  weight!: number;
}

export class UpdateFlagDto {
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ example: 50, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  rollout_percentage?: number;

  @ApiPropertyOptional({ type: [VariantDto], example: [{ name: 'adaptive', weight: 50 }, { name: 'static', weight: 50 }] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  // Only well-formed names are compared; a malformed variant is left to its own validation.
  @ArrayUnique((v: { name?: unknown }) => (typeof v.name === 'string' ? v.name : v), { message: 'names must be unique' })
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants?: VariantDto[];
}

export class FlagDto {
  @ApiProperty({ enum: PREMIUM_FEATURES, example: PREMIUM_FEATURES[0] }) feature!: string;
  @ApiProperty({ example: true }) enabled!: boolean;
  @ApiProperty({ example: 100 }) rollout_percentage!: number;
  @ApiProperty({ type: [VariantDto] }) variants!: VariantDto[];
}

export class FlagListDto {
  @ApiProperty({ type: [FlagDto] }) flags!: FlagDto[];
}

import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import type { SubscriptionTier } from '../../core/index.js';

export const TIERS = ['free', 'premium'] as const satisfies readonly SubscriptionTier[];

export class StudentParamsDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  @IsUUID('all', { message: 'must be a UUID' })
  student_id!: string;
}

export class UpdateSubscriptionDto {
  @ApiProperty({ enum: TIERS, example: 'premium' })
  @IsIn(TIERS, { message: `must be one of ${TIERS.join(', ')}` })
  subscription_tier!: SubscriptionTier;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    required: false,
    example: '2027-12-31T23:59:59Z',
    description: 'When premium ends (in the future); null or absent: no end. Must be null or absent for free.',
  })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'must be an ISO-8601 date-time' })
  subscription_expires_at?: string | null;
}

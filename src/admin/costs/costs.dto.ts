import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export const GROUPS = ['feature', 'student', 'model', 'day'] as const;
export type CostGroup = (typeof GROUPS)[number];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CostQueryDto {
  @ApiProperty({ example: '2026-11-01', description: 'First day, inclusive (UTC)' })
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  start_date!: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last day, inclusive (UTC)' })
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  end_date!: string;

  @ApiPropertyOptional({ enum: GROUPS, default: 'feature', example: 'feature' })
  @IsOptional()
  @IsIn(GROUPS, { message: `must be one of ${GROUPS.join(', ')}` })
  group_by?: CostGroup;
}

export class CostRowDto {
  @ApiPropertyOptional({ example: 'adaptive_paths', description: 'The group value; the key is named after group_by' }) feature?: string;
  @ApiProperty({ example: 3750 }) total_requests!: number;
  @ApiProperty({ example: 12 }) failed_requests!: number;
  @ApiProperty({ example: 102.0 }) total_cost_usd!: number;
  @ApiProperty({ example: 0.0272 }) average_cost_per_request!: number;
  @ApiProperty({ example: 4_100_000 }) tokens_input!: number;
  @ApiProperty({ example: 900_000 }) tokens_output!: number;
}

export class CostAlertDto {
  @ApiProperty({ example: 'COST_THRESHOLD_EXCEEDED' }) type!: string;
  @ApiProperty({ example: 'alert', enum: ['warning', 'alert'] }) level!: string;
  @ApiProperty({ type: String, nullable: true, example: 'abc12345-6789-0abc-def1-234567890abc' }) student_id!: string | null;
  @ApiProperty({
    example: 0.67,
    description: 'The observed value: dollars for the cost alerts. For ERROR_RATE_HIGH it holds the rate (kept for existing clients); read error_rate_percent',
  })
  cost_usd!: number;
  @ApiProperty({ example: 0.5, description: 'The threshold, in the same unit as cost_usd' }) threshold_usd!: number;
  @ApiProperty({ type: Number, nullable: true, example: null, description: 'ERROR_RATE_HIGH only: percent of LLM call attempts that failed; null for cost alerts' })
  error_rate_percent!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: null, description: 'ERROR_RATE_HIGH only: LLM_ERROR_RATE_ALERT_PERCENT; null for cost alerts' })
  error_rate_threshold_percent!: number | null;
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ example: '2026-11-22T09:00:00.000Z' }) created_at!: string;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-11-01' }) start_date!: string;
  @ApiProperty({ example: '2026-11-30' }) end_date!: string;
}

export class CostReportDto {
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ example: 247.5 }) total_cost_usd!: number;
  @ApiProperty({ example: 11250, description: 'Successful LLM calls' }) total_requests!: number;
  @ApiProperty({ example: 42, description: 'Failed or timed-out LLM call attempts (their cost is in the totals)' }) failed_requests!: number;
  @ApiProperty({ example: 0.248 }) average_cost_per_student!: number;
  @ApiProperty({ example: 0.022 }) average_cost_per_request!: number;
  @ApiProperty({ example: 12_000_000 }) tokens_input!: number;
  @ApiProperty({ example: 3_000_000 }) tokens_output!: number;
  @ApiProperty({ example: 0.5, description: 'LLM_COST_ALERT_THRESHOLD, per student per month' }) threshold_usd!: number;
  @ApiPropertyOptional({ type: [CostRowDto], description: 'Named breakdown_by_<group_by>' }) breakdown_by_feature?: CostRowDto[];
  @ApiProperty({ type: [CostAlertDto] }) alerts!: CostAlertDto[];
}

/** The JSON body of GET /api/v2/admin/costs: the breakdown is named after group_by. */
export type CostReportBody = Omit<CostReportDto, 'breakdown_by_feature'> & {
  [K in `breakdown_by_${CostGroup}`]?: (Omit<CostRowDto, 'feature'> & Partial<Record<CostGroup, string | null>> & { full_name?: string | null })[];
};

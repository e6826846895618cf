import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PREMIUM_FEATURES } from '../../common/features/index.js';

export const GROUPS = ['feature', 'student', 'model', 'day'] as const;
export type CostGroup = (typeof GROUPS)[number];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A report's date range (both required). */
export class ReportRangeDto {
  @ApiProperty({ format: 'date', example: '2026-11-01', description: 'First day, inclusive (UTC)' })
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  start_date!: string;

  @ApiProperty({ format: 'date', example: '2026-11-30', description: 'Last day, inclusive (UTC)' })
  @Matches(DATE, { message: 'must be a date as YYYY-MM-DD' })
  end_date!: string;
}

export class CostQueryDto extends ReportRangeDto {
  @ApiPropertyOptional({ enum: GROUPS, default: 'feature', example: 'feature', description: 'Names the breakdown: breakdown_by_<group_by>' })
  @IsOptional()
  @IsIn(GROUPS, { message: `must be one of ${GROUPS.join(', ')}` })
  group_by?: CostGroup;
}

/** The figures of one breakdown row; each group adds its key field. */
class CostFiguresDto {
  @ApiProperty({ example: 3750, description: 'Successful LLM calls' }) total_requests!: number;
  @ApiProperty({ example: 12, description: 'Failed or timed-out LLM call attempts' }) failed_requests!: number;
  @ApiProperty({ example: 102.0 }) total_cost_usd!: number;
  @ApiProperty({ example: 0.0272 }) average_cost_per_request!: number;
  @ApiProperty({ example: 4_100_000 }) tokens_input!: number;
  @ApiProperty({ example: 900_000 }) tokens_output!: number;
}

export class FeatureCostRowDto extends CostFiguresDto {
  @ApiProperty({ example: PREMIUM_FEATURES[0] }) feature!: string;
}

export class StudentCostRowDto extends CostFiguresDto {
  @ApiProperty({ format: 'uuid', example: 'abc12345-6789-4abc-8ef1-234567890abc', description: 'The student id' }) student!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' }) full_name!: string | null;
  @ApiProperty({
    type: [String],
    example: ['2026-11'],
    description:
      "UTC months ('YYYY-MM') in which this student's spend within the range reached threshold_usd: the rule of the " +
      'COST_THRESHOLD_EXCEEDED alert, applied to these rows, whether or not the scheduled check has stored that alert yet. Empty when none',
  })
  over_threshold_months!: string[];
}

export class ModelCostRowDto extends CostFiguresDto {
  @ApiProperty({ example: 'claude-haiku-5-5' }) model!: string;
}

export class DayCostRowDto extends CostFiguresDto {
  @ApiProperty({ format: 'date', example: '2026-11-22', description: 'UTC day' }) day!: string;
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
  @ApiProperty({ example: 5, description: 'LLM_ERROR_RATE_ALERT_PERCENT: the ERROR_RATE_HIGH threshold, percent of LLM call attempts that failed' })
  error_rate_threshold_percent!: number;
  @ApiPropertyOptional({ type: [FeatureCostRowDto], description: 'With group_by=feature (the default)' }) breakdown_by_feature?: FeatureCostRowDto[];
  @ApiPropertyOptional({ type: [StudentCostRowDto], description: 'With group_by=student' }) breakdown_by_student?: StudentCostRowDto[];
  @ApiPropertyOptional({ type: [ModelCostRowDto], description: 'With group_by=model' }) breakdown_by_model?: ModelCostRowDto[];
  @ApiPropertyOptional({ type: [DayCostRowDto], description: 'With group_by=day' }) breakdown_by_day?: DayCostRowDto[];
  @ApiProperty({ type: [CostAlertDto] }) alerts!: CostAlertDto[];
}

type Breakdown = `breakdown_by_${CostGroup}`;
/** One breakdown row: the figures, and the group value under the group's name. */
export type CostRowBody = Omit<FeatureCostRowDto, 'feature'> &
  Partial<Record<CostGroup, string | null>> & { full_name?: string | null; over_threshold_months?: string[] };

/** The JSON body of GET /api/v2/admin/costs: the breakdown is named after group_by. */
export type CostReportBody = Omit<CostReportDto, Breakdown> & { [K in Breakdown]?: CostRowBody[] };

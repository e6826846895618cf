import { Controller, Get, Header, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PREMIUM_FEATURES } from '../../common/features/index.js';
import { ApiRoute } from '../../common/http/index.js';
import { divideMicro, formatUsd } from '../../common/money/index.js';
import { AdminGuard } from '../admin.guard.js';
import { CostReportService, type CostReport } from './cost-report.service.js';
import { toCostReportBody } from './cost-report.mapper.js';
import { CostQueryDto, CostReportDto, type CostReportBody } from './costs.dto.js';

@ApiTags('admin')
@Controller('api/v2/admin/costs')
@UseGuards(AdminGuard)
export class CostsController {
  constructor(private readonly costs: CostReportService) {}

  @Get()
  @ApiRoute({
    operationId: 'getCostReport',
    summary: 'LLM cost for a date range, broken down by feature, student, model or day',
    description:
      'Totals over the inclusive UTC date range from the usage log (exact micro-dollars, shown in USD), one ' +
      '`breakdown_by_<group_by>` list whose rows carry the group value under the group\'s name, and the cost alerts of the period.',
    errors: ['VALIDATION_ERROR', 'FORBIDDEN'],
  })
  @ApiOkResponse({ type: CostReportDto, description: 'The report; exactly one breakdown_by_* key, named after group_by' })
  async report(@Query() query: CostQueryDto): Promise<CostReportBody> {
    const group = query.group_by ?? 'feature';
    const r = await this.costs.report(query.start_date, query.end_date, group);
    return toCostReportBody(r, this.costs.thresholds);
  }

  @Get('export')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiRoute({
    operationId: 'exportCostReport',
    summary: 'The same breakdown rows as CSV',
    description: 'The rows of `breakdown_by_<group_by>` as CSV with a header line; errors are JSON like everywhere else.',
    errors: ['VALIDATION_ERROR', 'FORBIDDEN'],
  })
  @ApiOkResponse({
    description: 'CSV with a header line',
    content: {
      'text/csv': {
        schema: { type: 'string' },
        example:
          'feature,total_requests,failed_requests,total_cost_usd,average_cost_per_request,tokens_input,tokens_output\n' +
          `${PREMIUM_FEATURES[0]},3750,12,102.000000,0.027200,4100000,900000\n`,
      },
    },
  })
  async export(@Query() query: CostQueryDto): Promise<string> {
    const group = query.group_by ?? 'feature';
    return toCsv(await this.costs.report(query.start_date, query.end_date, group));
  }
}

function cell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  // A cell a spreadsheet would run as a formula is defused.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(r: CostReport): string {
  const header = [r.group, ...(r.group === 'student' ? ['full_name'] : []), 'total_requests', 'failed_requests', 'total_cost_usd', 'average_cost_per_request', 'tokens_input', 'tokens_output'];
  const lines = r.rows.map((row) =>
    [
      row.key,
      ...(r.group === 'student' ? [row.full_name ?? ''] : []),
      row.total_requests,
      row.failed_requests,
      formatUsd(row.cost_micro),
      formatUsd(divideMicro(row.cost_micro, row.total_requests)),
      row.tokens_input,
      row.tokens_output,
    ]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

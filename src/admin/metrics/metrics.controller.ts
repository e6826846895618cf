import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../../common/http/index.js';
import { AdminGuard } from '../admin.guard.js';
import { ReportRangeDto } from '../costs/costs.dto.js';
import { reportRange } from '../reporting/report-range.js';
import { MetricsDto } from './metrics.dto.js';
import { MetricsReportService } from './metrics-report.service.js';

@ApiTags('admin')
@Controller()
export class MetricsController {
  constructor(private readonly report: MetricsReportService) {}

  @Get('api/v2/admin/metrics')
  @UseGuards(AdminGuard)
  @ApiRoute({
    operationId: 'getMetrics',
    summary: 'Per feature and variant: requests, LLM calls, cache hit rate, fallback rate, p50/p95 latency, error rate, cost',
    description:
      'For each premium feature and flag variant over the inclusive UTC date range: requests, LLM calls, cache hit, ' +
      'fallback and error rates, p50/p95 latency, cost and cost per request. Rates are null when there is nothing to divide by.',
    errors: ['VALIDATION_ERROR', 'FORBIDDEN'],
  })
  @ApiOkResponse({ type: MetricsDto, description: 'One row per feature and variant' })
  async get(@Query() query: ReportRangeDto): Promise<MetricsDto> {
    const { from, to } = reportRange(query.start_date, query.end_date);
    return { period: { start_date: query.start_date, end_date: query.end_date }, features: await this.report.report(from, to) };
  }
}

import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/authenticated-student.js';
import { CurrentStudent } from '../../common/auth/current-student.decorator.js';
import { ApiRoute } from '../../common/http/api-docs.js';
import { QuotaService } from '../../usage/quota/quota.service.js';
import { PremiumGuard } from '../gating/premium.guard.js';
import { QuotaDto } from './quota.dto.js';

@ApiTags('premium')
@Controller('api/v2/usage')
@UseGuards(PremiumGuard)
export class QuotaController {
  constructor(private readonly quota: QuotaService) {}

  @Get('quota')
  @ApiRoute({
    operationId: 'getQuota',
    summary: 'This month’s premium quota use',
    description: 'Units used and the monthly limit of every premium feature, for the current calendar month (UTC).',
    errors: ['PREMIUM_REQUIRED'],
  })
  @ApiOkResponse({ type: QuotaDto, description: 'Use per feature' })
  async get(@CurrentStudent() caller: AuthenticatedStudent): Promise<QuotaDto> {
    const now = new Date();
    const [paths, assessments] = await Promise.all([
      this.quota.current(caller.studentId, 'adaptive_paths', now),
      this.quota.current(caller.studentId, 'assessments', now),
    ]);
    return {
      period: paths.period,
      resets_at: paths.resets_at,
      features: {
        adaptive_paths: { used: paths.used, limit: paths.limit },
        assessments: { used: assessments.used, limit: assessments.limit },
      },
    };
  }
}

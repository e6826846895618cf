import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/index.js';
import { CurrentStudent } from '../../common/auth/index.js';
import { PREMIUM_FEATURES } from '../../common/features/index.js';
import { ApiRoute } from '../../common/http/index.js';
import { QuotaService } from '../../usage/index.js';
import { PremiumGuard } from '../gating/premium.guard.js';
import { QuotaDto, type QuotaFeatures } from './quota.dto.js';

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
    const quotas = await Promise.all(PREMIUM_FEATURES.map((feature) => this.quota.current(caller.studentId, feature, now)));
    const features = Object.fromEntries(quotas.map((q) => [q.feature, { used: q.used, limit: q.limit }])) as QuotaFeatures;
    // Every feature's period is the same: all are read at `now`.
    return { period: quotas[0]!.period, resets_at: quotas[0]!.resets_at, features };
  }
}

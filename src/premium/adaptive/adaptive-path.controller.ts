import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FEATURES } from '../../common/features/index.js';
import { ApiRoute } from '../../common/http/index.js';
import { clientSignal } from '../client-gone.js';
import { ForFeature } from '../gating/premium-feature.decorator.js';
import { PremiumGuard, type PremiumRequest } from '../gating/premium.guard.js';
import { AdaptivePathDto, AdaptivePathRequestDto, toAdaptivePathDto } from './adaptive-path.dto.js';
import { AdaptivePathService } from './adaptive-path.service.js';

@ApiTags('premium')
@Controller('api/v2/adaptive')
@UseGuards(PremiumGuard)
export class AdaptivePathController {
  constructor(private readonly paths: AdaptivePathService) {}

  @Post('path')
  @HttpCode(200)
  @ForFeature(FEATURES.adaptive_paths.name)
  @ApiRoute({
    operationId: 'createAdaptivePath',
    summary: 'A personal learning path from quiz history (premium; one quota unit unless served from cache)',
    description:
      'What to review, start, continue or practise next, from the student\'s quiz results. A fresh path comes from ' +
      'cache with no LLM call or unit (`decision_source: "cache"`) unless `force_refresh`; if the LLM fails, the rules ' +
      'answer (`decision_source: "rules"`) and the unit goes back.',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'FEATURE_DISABLED', 'PAYLOAD_TOO_LARGE', 'RATE_LIMIT_EXCEEDED', 'SERVICE_BUSY'],
  })
  @ApiOkResponse({ type: AdaptivePathDto, description: 'The path' })
  async path(
    @Req() request: FastifyRequest & PremiumRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: AdaptivePathRequestDto,
  ): Promise<AdaptivePathDto> {
    const served = await this.paths.path({
      studentId: request.user.studentId,
      forceRefresh: body.force_refresh ?? false,
      variant: request.flag!.variant,
      requestId: request.id,
      signal: clientSignal(request, reply),
    });
    return toAdaptivePathDto(served, body.include_reasoning ?? false);
  }
}

import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiRoute } from '../../common/http/api-docs.js';
import { clientSignal } from '../client-gone.js';
import { ForFeature } from '../gating/premium-feature.decorator.js';
import { PremiumGuard, type PremiumRequest } from '../gating/premium.guard.js';
import { AdaptivePathDto, AdaptivePathRequestDto } from './adaptive-path.dto.js';
import { AdaptivePathService } from './adaptive-path.service.js';

@ApiTags('premium')
@Controller('api/v2/adaptive')
@UseGuards(PremiumGuard)
export class AdaptivePathController {
  constructor(private readonly paths: AdaptivePathService) {}

  @Post('path')
  @HttpCode(200)
  @ForFeature('adaptive_paths')
  @ApiRoute({
    operationId: 'createAdaptivePath',
    summary: 'A personal learning path from quiz history (premium; one quota unit unless served from cache)',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'FEATURE_DISABLED', 'RATE_LIMIT_EXCEEDED', 'SERVICE_BUSY'],
  })
  @ApiOkResponse({ type: AdaptivePathDto })
  path(
    @Req() request: FastifyRequest & PremiumRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: AdaptivePathRequestDto,
  ): Promise<AdaptivePathDto> {
    return this.paths.path({
      studentId: request.user.studentId,
      forceRefresh: body.force_refresh ?? false,
      includeReasoning: body.include_reasoning ?? false,
      variant: request.flag!.variant,
      requestId: request.id,
      signal: clientSignal(request, reply),
    });
  }
}

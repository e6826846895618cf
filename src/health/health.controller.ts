import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/index.js';
import { ApiRoute } from '../common/http/index.js';
import { HealthDto } from './health.dto.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
@Controller('api/v1/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiRoute({
    operationId: 'getHealth',
    summary: 'Liveness and readiness: database and cache checks, and which LLM provider is configured',
    isPublic: true,
  })
  @ApiOkResponse({ type: HealthDto, description: 'Serving; `degraded` when an optional part (the cache) is down' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database is unreachable' })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const health = await this.health.check();
    if (health.checks.database.status === 'down') void reply.status(503);
    return health;
  }
}

import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/public.decorator.js';
import { ApiRoute } from '../common/http/api-docs.js';
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
    description: 'Answers 200 while the database is reachable (`degraded` when an optional part such as the cache is down) and 503 when it is not.',
    isPublic: true,
    // It answers its own 503 (the same body) when the database is down.
    database: false,
  })
  @ApiOkResponse({ type: HealthDto, description: 'Serving; `degraded` when an optional part (the cache) is down' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database is unreachable' })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const health = await this.health.check();
    if (health.checks.database.status === 'down') void reply.status(503);
    return health;
  }
}

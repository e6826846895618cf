import { Catch, type ArgumentsHost } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiExceptionFilter } from '../common/errors/index.js';

/**
 * /mcp answers like every route (the API.md envelope), and a 401 also carries the challenge MCP
 * clients look for (RFC 6750; MCP authorization). It names no `resource_metadata`: there is no
 * OAuth authorization server to point to, the bearer token comes from POST /api/v1/auth/login.
 */
@Catch()
export class McpAuthChallengeFilter extends ApiExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (ApiExceptionFilter.toApiException(exception).code === 'UNAUTHORIZED') {
      const http = host.switchToHttp();
      const presented = /^Bearer\s/i.test(http.getRequest<FastifyRequest>().headers.authorization ?? '');
      const challenge = presented ? `Bearer realm="course-companion", error="invalid_token"` : 'Bearer realm="course-companion"';
      void http.getResponse<FastifyReply>().header('www-authenticate', challenge);
    }
    super.catch(exception, host);
  }
}

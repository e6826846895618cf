import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../common/errors/index.js';
import { configSlice, type ConfigOf } from '../config/index.js';

export const mcpOriginConfig = configSlice('mcp-origin', ['CORS_ORIGINS']);

/**
 * The Streamable HTTP transport's rule against DNS rebinding: a request whose Origin header names
 * another site is refused (403). Assistants call from their servers and send none; a browser-based
 * client needs its origin in CORS_ORIGINS, as it would for the REST API.
 */
@Injectable()
export class McpOriginGuard implements CanActivate {
  constructor(@Inject(mcpOriginConfig.KEY) private readonly config: ConfigOf<typeof mcpOriginConfig>) {}

  canActivate(context: ExecutionContext): boolean {
    const origin = context.switchToHttp().getRequest<FastifyRequest>().headers.origin;
    if (origin !== undefined && !this.config.CORS_ORIGINS.includes(origin)) {
      throw new ApiException('FORBIDDEN', 'Requests from this origin are not accepted; add it to CORS_ORIGINS');
    }
    return true;
  }
}

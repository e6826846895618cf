import { Controller, Delete, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedStudent } from '../common/auth/index.js';
import { ApiException } from '../common/errors/index.js';
import { CourseMcpServer } from './course-mcp-server.js';
import { McpAuthChallengeFilter } from './mcp-auth-challenge.filter.js';

/**
 * The Model Context Protocol endpoint (Streamable HTTP). Not a REST operation, so not in the
 * OpenAPI document; the global guards still run first: the address limit, the bearer token, the
 * student limit, as on every route.
 */
@ApiExcludeController()
@Controller('mcp')
@UseFilters(McpAuthChallengeFilter)
export class McpController {
  constructor(private readonly mcp: CourseMcpServer) {}

  @Post()
  async post(@Req() request: FastifyRequest & { user: AuthenticatedStudent }, @Res() reply: FastifyReply): Promise<void> {
    // One message per request, so each one passes the request limits (the protocol has no batches since 2025-06-18).
    if (Array.isArray(request.body)) throw ApiException.validation([{ field: 'body', issue: 'must be one JSON-RPC message, not a batch' }]);
    await reply.send(await this.mcp.handle(request, reply));
  }

  /** Stateless: no stream of server-initiated messages to open. */
  @Get()
  get(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply);
  }

  /** Stateless: no session to end. */
  @Delete()
  delete(@Res() reply: FastifyReply): void {
    methodNotAllowed(reply);
  }
}

function methodNotAllowed(reply: FastifyReply): void {
  void reply
    .code(405)
    .header('allow', 'POST')
    .type('application/json; charset=utf-8')
    .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless, POST each message' }, id: null });
}

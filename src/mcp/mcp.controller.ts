import { Body, Controller, Delete, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedStudent } from '../common/auth/index.js';
import { CourseMcpServer } from './course-mcp-server.js';
import { McpAuthChallengeFilter } from './mcp-auth-challenge.filter.js';
import { McpOriginGuard } from './mcp-origin.guard.js';

/**
 * The Model Context Protocol endpoint (Streamable HTTP). Not a REST operation, so not in the
 * OpenAPI document; the global guards still run first: the address limit, the bearer token, the
 * student limit, as on every route; then the transport's Origin check.
 */
@ApiExcludeController()
@Controller('mcp')
@UseFilters(McpAuthChallengeFilter)
@UseGuards(McpOriginGuard)
export class McpController {
  constructor(private readonly mcp: CourseMcpServer) {}

  /**
   * The message passes the validation pipe as every REST body does (a JSON object, bounded in
   * depth and values, no prototype keys, storable text): so a batch is refused too, and each
   * message is one request to the limits (the protocol has had no batches since 2025-06-18).
   */
  @Post()
  async post(
    @Req() request: FastifyRequest & { user: AuthenticatedStudent },
    @Res() reply: FastifyReply,
    @Body() message: object,
  ): Promise<void> {
    const response = await this.mcp.handle(request, reply, message);
    // JSON answers (or none, for a notification): sent as text, not piped through a web stream.
    for (const [name, value] of response.headers) void reply.header(name, value);
    await reply.code(response.status).send(response.body ? await response.text() : undefined);
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

import { Injectable } from '@nestjs/common';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedStudent } from '../common/auth/index.js';
import { clientSignal } from '../premium/index.js';
import { ChapterResources } from './chapter-resources.js';
import { protocolError } from './protocol-error.js';
import type { ToolCaller } from './course-tool.js';
import { McpToolRunner } from './mcp-tool-runner.js';

const SERVER_INFO = { name: 'course-companion', title: 'Course Companion', version: '1.0.0' };
const INSTRUCTIONS =
  'Course Companion is an online course on building with generative AI. Use list_chapters to see the course, ' +
  'read_chapter to teach from it, lookup_term for the course\'s definitions, get_quiz and submit_quiz to test the student, ' +
  'get_progress to see where they are. ' +
  'Tools marked premium need a premium subscription; a refusal says why (error code PREMIUM_REQUIRED, with upgrade_url).';

/**
 * The SDK's server side, loaded by the first MCP request rather than at boot (it brings Ajv:
 * ~120 modules, bench:cold-start). The JSON Schema validator the SDK's server keeps for requests
 * it sends to clients (which ours never does) is made once: without one it builds an Ajv of its
 * own per server, a few milliseconds per request.
 */
let serverSdk: ReturnType<typeof loadServerSdk> | undefined;
async function loadServerSdk() {
  const [{ Server }, { WebStandardStreamableHTTPServerTransport }, { AjvJsonSchemaValidator }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('@modelcontextprotocol/sdk/validation/ajv'),
  ]);
  return { Server, Transport: WebStandardStreamableHTTPServerTransport, validator: new AjvJsonSchemaValidator() };
}

/** MCP's "resource not found" (the specification's code; the SDK names none). */
const RESOURCE_NOT_FOUND = -32002;

/**
 * The MCP server of one HTTP request (stateless Streamable HTTP, JSON answers): the caller is the
 * student the bearer token proved, for this request only, so there is no session to bind or steal.
 */
@Injectable()
export class CourseMcpServer {
  constructor(
    private readonly tools: McpToolRunner,
    private readonly chapters: ChapterResources,
  ) {}

  async handle(request: FastifyRequest & { user: AuthenticatedStudent }, reply: FastifyReply, message: object): Promise<Response> {
    const caller: ToolCaller = { student: request.user, requestId: request.id, signal: clientSignal(request, reply) };
    const sdk = await (serverSdk ??= loadServerSdk());
    const server = this.server(sdk, caller);
    const transport = new sdk.Transport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      // Parsed and checked as every REST body is; the transport takes it as it is.
      return await transport.handleRequest(webRequest(request), { parsedBody: message });
    } finally {
      await server.close();
    }
  }

  private server(sdk: Awaited<ReturnType<typeof loadServerSdk>>, caller: ToolCaller): Server {
    const server = new sdk.Server(SERVER_INFO, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS, jsonSchemaValidator: sdk.validator });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: this.tools.list() }));
    server.setRequestHandler(CallToolRequestSchema, (call, extra) =>
      this.tools.call(call.params.name, call.params.arguments ?? {}, { ...caller, signal: AbortSignal.any([caller.signal, extra.signal]) }),
    );
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => this.chapters.templates());
    server.setRequestHandler(ListResourcesRequestSchema, () => this.protocolErrors(caller, () => this.chapters.list()));
    server.setRequestHandler(ReadResourceRequestSchema, (read) => this.protocolErrors(caller, () => this.chapters.read(read.params.uri)));
    return server;
  }

  /**
   * Where MCP has no tool result to carry an error (resources), the REST envelope's `error` goes in
   * a JSON-RPC error's data; the message is the envelope's, never an internal one.
   */
  private async protocolErrors<T>(caller: ToolCaller, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (exception) {
      const error = this.tools.answer(exception, caller.requestId);
      const code =
        error.code === 'NOT_FOUND' ? RESOURCE_NOT_FOUND : error.code === 'VALIDATION_ERROR' ? ErrorCode.InvalidParams : ErrorCode.InternalError;
      throw protocolError(code, error.message, error.envelope(caller.requestId).error);
    }
  }
}

/** The headers the Streamable HTTP transport reads; nothing else (the token least of all) is handed to it. */
const TRANSPORT_HEADERS = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];

/** The Web-standard request the transport reads: method and those headers (it is handed the parsed body). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const name of TRANSPORT_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  // The transport reads only the path; the Host header is the client's to choose, so it is not used.
  return new Request(new URL(request.url, 'http://localhost'), { method: request.method, headers });
}

import { Injectable, Logger, type PipeTransform, type Type } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ErrorCode, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { ApiExceptionFilter, type ApiException } from '../common/errors/index.js';
import { createValidationPipe } from '../common/http/index.js';
import { PremiumGuard } from '../premium/index.js';
import type { CourseTool, ToolCaller, ToolInput } from './course-tool.js';
import { CourseTools } from './course-tools.js';
import { protocolError } from './protocol-error.js';
import { operationSchemas, type ArgumentPlaces } from './tool-schemas.js';

type Described = { tool: CourseTool; listed: Tool; places: ArgumentPlaces };

/** What a tool without a DTO of its own validates against: no field is allowed. */
class NoArgumentsDto {}

/**
 * Lists and runs the course tools. A call goes the way of its REST route: the premium gate first
 * (as the guard runs before the pipe), then the route's DTOs through the same validation pipe,
 * then the service. Whatever it throws is the REST envelope, returned as a tool error.
 */
@Injectable()
export class McpToolRunner {
  private readonly logger = new Logger('McpTools');
  private readonly pipe = createValidationPipe();
  private document?: () => OpenAPIObject;
  private described?: ReadonlyMap<string, Described>;

  constructor(
    private readonly tools: CourseTools,
    private readonly premium: PremiumGuard,
  ) {}

  /**
   * Takes each tool's schemas from its route in the OpenAPI document the app serves. The document
   * is built at the first MCP request, not at boot (bench:cold-start).
   */
  describe(document: () => OpenAPIObject): void {
    this.document = document;
    this.described = undefined;
  }

  private build(document: OpenAPIObject): ReadonlyMap<string, Described> {
    return new Map(
      this.tools.list.map((tool) => {
        const schemas = operationSchemas(document, tool.operationId);
        const listed: Tool = {
          name: tool.name,
          title: tool.title,
          description: tool.description,
          inputSchema: schemas.input,
          outputSchema: schemas.output,
          annotations: { title: tool.title, ...tool.annotations },
        };
        return [tool.name, { tool, listed, places: schemas.places }];
      }),
    );
  }

  list(): Tool[] {
    return [...this.catalog().values()].map((d) => d.listed);
  }

  async call(name: string, args: Record<string, unknown>, caller: ToolCaller): Promise<CallToolResult> {
    const described = this.catalog().get(name);
    if (!described) throw protocolError(ErrorCode.InvalidParams, `Unknown tool: ${name.slice(0, 100)}`);
    const { tool, places } = described;
    try {
      if (tool.premium) {
        const decision = await this.premium.admit(caller.student.studentId, tool.premium.feature);
        if (decision) caller = { ...caller, variant: decision.variant };
      }
      const output: unknown = await tool.run(await this.validate(tool, places, args), caller);
      // Exactly what the REST route would have sent.
      const structured = JSON.parse(JSON.stringify(output)) as Record<string, unknown>;
      return { structuredContent: structured, content: [{ type: 'text', text: tool.text(structured) }] };
    } catch (exception) {
      return this.toolError(this.answer(exception, caller.requestId), caller.requestId);
    }
  }

  /** An error as the REST route's exception filter would answer it, logged the same way. */
  answer(exception: unknown, requestId: string): ApiException {
    const error = ApiExceptionFilter.toApiException(exception);
    if (error.code === 'INTERNAL_ERROR') this.logger.error({ err: exception, request_id: requestId }, 'Unhandled error');
    else if (error.code === 'SERVICE_UNAVAILABLE') this.logger.warn({ err: exception, request_id: requestId }, 'Service unavailable');
    return error;
  }

  private toolError(error: ApiException, requestId: string): CallToolResult {
    const envelope = error.envelope(requestId);
    const { code, message, request_id: _requestId, ...extra } = envelope.error;
    const details = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    return { isError: true, structuredContent: envelope, content: [{ type: 'text', text: `${code}: ${message}${details}` }] };
  }

  /**
   * Splits the arguments as the route takes them (path parameters, query, body) and runs each part
   * through the validation pipe with the route's DTO, then through the route's own pipes. Arguments the route has no place for go with
   * the body (or the one part there is), where the pipe refuses them as unknown fields.
   */
  private async validate(tool: CourseTool, places: ArgumentPlaces, args: Record<string, unknown>): Promise<ToolInput<unknown, unknown, unknown>> {
    const dto = tool.dto ?? {};
    const parts: Record<'param' | 'query' | 'body', Record<string, unknown>> = { param: {}, query: {}, body: {} };
    const rest = dto.body ? 'body' : dto.params ? 'param' : dto.query ? 'query' : 'body';
    for (const [key, value] of Object.entries(args)) {
      parts[places.param.has(key) ? 'param' : places.query.has(key) ? 'query' : rest][key] = value;
    }
    const check = async (type: 'param' | 'query' | 'body', metatype: Type | undefined, pipes: readonly PipeTransform[] = []) => {
      if (!metatype && Object.keys(parts[type]).length === 0) return undefined;
      const metadata = { type, metatype: metatype ?? NoArgumentsDto };
      let value: unknown = await this.pipe.transform(parts[type], metadata);
      for (const pipe of pipes) value = await pipe.transform(value, metadata);
      return value;
    };
    return {
      params: await check('param', dto.params, tool.pipes?.params),
      query: await check('query', dto.query, tool.pipes?.query),
      body: await check('body', dto.body, tool.pipes?.body),
    };
  }

  private catalog(): ReadonlyMap<string, Described> {
    if (!this.document) throw new Error('The MCP tools have no schemas: describe() was not called with the OpenAPI document');
    return (this.described ??= this.build(this.document()));
  }
}

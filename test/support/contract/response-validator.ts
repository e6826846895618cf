import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { OpenAPIObject, ResponseObject, SchemaObject, HeaderObject, ReferenceObject } from '@nestjs/swagger';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';

/** One response as it left the server. */
export type RecordedResponse = {
  method: string;
  /** Path and query as requested. */
  url: string;
  status: number;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | string[] | number | undefined>>;
  body: Buffer;
};

export type ResponseCheck = (response: RecordedResponse) => string[];

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
const DOC_ID = 'openapi';

// ajv-formats is CommonJS: imported from ESM, its function is the module's `default` property.
const addFormats = ajvFormats.default;

/**
 * Checks responses against an OpenAPI 3.0 document with closed schemas: every object schema that
 * lists properties and says nothing of others gets `additionalProperties: false`, so a field the
 * document does not declare fails. Also checked: the status is declared for the operation, the
 * content type is one the response declares, and required headers are sent and well-formed.
 * A path the document does not know is checked only when it answers a JSON error (any error
 * envelope of the document); other unknown paths (the dashboard, /docs, /metrics) are skipped.
 * The MCP endpoint is not a REST operation: each of its answers must be a JSON-RPC message (the
 * MCP SDK's schema), an error envelope of the document, or an empty 202 (a notification taken).
 */
export function createResponseValidator(document: OpenAPIObject): ResponseCheck {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const headerAjv = new Ajv({ strict: false, coerceTypes: true });
  addFormats(headerAjv);
  ajv.addSchema({ $id: DOC_ID, components: { schemas: mapValues(document.components?.schemas ?? {}, closedSchema) } });

  const operations = Object.entries(document.paths).map(([template, item]) => ({
    template,
    pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
    templated: template.includes('{'),
    item,
  }));
  // A literal path wins over a template that would also match it.
  operations.sort((a, b) => Number(a.templated) - Number(b.templated));

  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: SchemaObject | ReferenceObject, instance: Ajv = ajv): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = instance.compile(closedSchema(schema));
      compiled.set(key, fn);
    }
    return fn;
  };
  const errorRefs = Object.keys(document.components?.schemas ?? {})
    .filter((name) => isErrorBody(document.components!.schemas![name] as SchemaObject))
    .map((name) => ({ $ref: `#/components/schemas/${name}` }));
  const anyError: SchemaObject = { type: 'object', required: ['error'], properties: { error: { oneOf: errorRefs } } };

  return (response) => {
    // CORS preflights and HEAD mirrors of GET routes are the framework's, not operations of the API.
    if (response.method === 'OPTIONS' || response.method === 'HEAD') return [];
    const path = response.url.split('?')[0]!;
    const media = String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (path === MCP_PATH) return mcpIssues(response, media, compile('any-error', anyError));
    const found = operations.find((o) => o.pattern.test(path));
    const operation = found?.item[response.method.toLowerCase() as Method];
    if (!found || !operation) {
      // Not an operation of the document: under /api/ it must be an error; elsewhere (the dashboard,
      // /docs, /metrics) only JSON errors are checked.
      if (!path.startsWith('/api/') && (response.status < 400 || media !== 'application/json')) return [];
      if (response.status < 400) return [`${response.status} from ${response.method} ${path}, which the document does not describe`];
      if (media !== 'application/json') return [`${response.status} ${response.method} ${path}: an error answered as ${media || 'no content type'}`];
      return schemaIssues(compile('any-error', anyError), parse(response.body), `${response.status} ${response.method} ${path}`);
    }
    const where = `${response.status} ${response.method} ${found.template}`;
    const declared =
      (operation.responses[String(response.status)] as ResponseObject | undefined) ??
      (operation.responses[`${String(response.status)[0]}XX`] as ResponseObject | undefined) ??
      (operation.responses.default as ResponseObject | undefined);
    if (!declared) return [`${where}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`];

    const issues: string[] = [];
    for (const [name, header] of Object.entries(declared.headers ?? {})) {
      const h = resolve(document, header) as HeaderObject;
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) {
        if (h.required) issues.push(`${where}: required header ${name} missing`);
        continue;
      }
      if (h.schema) {
        const check = compile(`header ${JSON.stringify(h.schema)}`, { type: 'object', properties: { value: h.schema } }, headerAjv);
        if (!check({ value: String(value) })) {
          issues.push(`${where}: header ${name}: ${JSON.stringify(value)} ${(check.errors ?? []).map((e) => e.message).join(', ')}`);
        }
      }
    }
    const content = declared.content ?? {};
    if (Object.keys(content).length === 0) {
      if (response.body.length > 0) issues.push(`${where}: a body was sent where none is declared`);
      return issues;
    }
    const mediaType = content[media];
    if (!mediaType) return [...issues, `${where}: content type ${media || '(none)'} not declared (declared: ${Object.keys(content).join(', ')})`];
    if (!mediaType.schema) return issues;
    // Operations share most response schemas: compiled once per distinct schema.
    const check = compile(`body ${JSON.stringify(mediaType.schema)}`, mediaType.schema);
    issues.push(...schemaIssues(check, media === 'application/json' ? parse(response.body) : response.body.toString('utf8'), where));
    return issues;
  };
}

export const MCP_PATH = '/mcp';

function mcpIssues(response: RecordedResponse, media: string, anyError: ValidateFunction): string[] {
  const where = `${response.status} ${response.method} ${MCP_PATH}`;
  if (response.status === 202 && response.body.length === 0) return [];
  if (media !== 'application/json') return [`${where}: answered as ${media || 'no content type'}`];
  const body = parse(response.body);
  if (typeof body === 'object' && body !== null && 'jsonrpc' in body) {
    // JSON-RPC 2.0: an error about a request whose id could not be read has `id: null` (the SDK's
    // transport sends those), which the SDK's message schema leaves out.
    const { id, ...rest } = body as { id?: unknown };
    const message = JSONRPCMessageSchema.safeParse(id === null && 'error' in rest ? rest : body);
    return message.success ? [] : [`${where}: not a JSON-RPC message: ${message.error.message}`];
  }
  if (response.status >= 400) return schemaIssues(anyError, body, where);
  return [`${where}: neither a JSON-RPC message nor an error envelope`];
}

function schemaIssues(check: ValidateFunction, data: unknown, where: string): string[] {
  if (data === INVALID_JSON) return [`${where}: the body is not valid JSON`];
  if (check(data)) return [];
  return (check.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
    return `${where}: body${e.instancePath || ''} ${e.message ?? e.keyword}${extra}`;
  });
}

const INVALID_JSON = Symbol('invalid JSON');

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return INVALID_JSON;
  }
}

/** An error code's `error` object: it fixes `code` to one value. */
function isErrorBody(schema: SchemaObject): boolean {
  const code = schema.properties?.code as SchemaObject | undefined;
  return Boolean(code?.enum?.length === 1 && schema.properties?.request_id);
}

/** OpenAPI 3.0 schema → JSON Schema for ajv: closed objects, `nullable` as a null type, refs into the document. */
export function closedSchema(schema: SchemaObject | ReferenceObject): Record<string, unknown> {
  if ('$ref' in schema) return { $ref: `${DOC_ID}${schema.$ref}` };
  const { nullable, discriminator: _discriminator, example: _example, ...rest } = schema as SchemaObject & { example?: unknown };
  const out: Record<string, unknown> = { ...rest };
  if (rest.properties) {
    out.properties = mapValues(rest.properties, closedSchema);
    if (rest.additionalProperties === undefined && !rest.allOf && !rest.oneOf && !rest.anyOf) out.additionalProperties = false;
  }
  if (rest.additionalProperties && typeof rest.additionalProperties === 'object') out.additionalProperties = closedSchema(rest.additionalProperties);
  if (rest.items) out.items = closedSchema(rest.items);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) if (rest[key]) out[key] = rest[key].map(closedSchema);
  if (rest.not) out.not = closedSchema(rest.not);
  if (!nullable) return out;
  if (rest.enum) out.enum = [...rest.enum, null];
  if (typeof rest.type === 'string') return { ...out, type: [rest.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

function resolve(document: OpenAPIObject, value: object): object {
  if (!('$ref' in value) || typeof value.$ref !== 'string') return value;
  const target = value.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
  if (!target || typeof target !== 'object') throw new Error(`Unresolved reference ${value.$ref}`);
  return resolve(document, target);
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ERROR_DOCS } from '../common/http/index.js';

export type JsonSchema = { [keyword: string]: unknown };
export type ObjectSchema = JsonSchema & { type: 'object' };

/** Where each argument of a tool goes: the route's path and query parameters, the rest is its body. */
export type ArgumentPlaces = { param: ReadonlySet<string>; query: ReadonlySet<string> };

export type OperationSchemas = {
  /** Path and query parameters and the JSON body's fields, as one object (MCP tools take one). */
  input: ObjectSchema;
  /** The success body, or the error envelope of any error code the route declares. */
  output: ObjectSchema;
  places: ArgumentPlaces;
};

type Operation = OperationObject & { operationId: string };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * A route's request and response schemas from the OpenAPI document (which @nestjs/swagger builds
 * from the route's own DTOs), as self-contained JSON Schema: references inlined, OpenAPI 3.0's
 * `nullable` and `example` said the JSON Schema way, and objects closed as the validation pipe
 * closes them (unknown fields are refused). Throws when the document has no such operation.
 */
export function operationSchemas(document: OpenAPIObject, operationId: string): OperationSchemas {
  const operation = findOperation(document, operationId);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const places = { param: new Set<string>(), query: new Set<string>() };
  const add = (name: string, schema: JsonSchema, isRequired: boolean) => {
    if (name in properties) throw new Error(`${operationId}: "${name}" is both a parameter and a body field`);
    properties[name] = schema;
    if (isRequired) required.push(name);
  };

  for (const item of operation.parameters ?? []) {
    const parameter = resolve<ParameterObject>(document, item);
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    places[parameter.in === 'path' ? 'param' : 'query'].add(parameter.name);
    const schema = toJsonSchema(document, parameter.schema ?? {});
    add(parameter.name, parameter.description ? { ...schema, description: parameter.description } : schema, parameter.required === true);
  }
  const body = operation.requestBody && resolve(document, operation.requestBody).content['application/json']?.schema;
  if (body) {
    const schema = toJsonSchema(document, body);
    const fields = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const mandatory = new Set((schema.required ?? []) as string[]);
    for (const [name, field] of Object.entries(fields)) add(name, field, mandatory.has(name));
  }
  const input: ObjectSchema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) input.required = required;
  return { input, output: outputSchema(document, operation), places };
}

function outputSchema(document: OpenAPIObject, operation: Operation): ObjectSchema {
  const responses = Object.entries(operation.responses).map(([status, response]) => ({
    status: Number(status),
    schema: response && resolve<ResponseObject>(document, response).content?.['application/json']?.schema,
  }));
  const success = responses.find((r) => r.status >= 200 && r.status < 300 && r.schema)?.schema;
  if (!success) throw new Error(`${operation.operationId}: no JSON success response`);
  // Every error code the route declares, once: each status's `error` is one code's schema or a oneOf
  // of them. And VALIDATION_ERROR for every tool: a tool's arguments are always checked, even
  // where the route takes no input it could refuse.
  const validation = { $ref: `#/components/schemas/${ERROR_DOCS.VALIDATION_ERROR.schema}` };
  const codes = new Map<string, SchemaObject | ReferenceObject>([[JSON.stringify(validation), validation]]);
  for (const { status, schema } of responses) {
    if (status < 400 || !schema) continue;
    const error = resolve<SchemaObject>(document, schema).properties?.error ?? {};
    for (const one of 'oneOf' in error && error.oneOf ? error.oneOf : [error]) codes.set(JSON.stringify(one), one);
  }
  const errorEnvelope: JsonSchema = {
    type: 'object',
    description: 'The error envelope of the REST API (a tool result with isError: true)',
    required: ['error'],
    properties: { error: { anyOf: [...codes.values()].map((code) => toJsonSchema(document, code, TERSE)) } },
    additionalProperties: false,
  };
  // Output schemas are for checking answers: the examples (and the error codes' descriptions,
  // repeated in every tool) would only double the size of tools/list.
  return { type: 'object', anyOf: [toJsonSchema(document, success, { examples: false, descriptions: true }), errorEnvelope] };
}

/** Which annotations of the OpenAPI schema to keep. */
export type Annotations = { examples: boolean; descriptions: boolean };
const ALL: Annotations = { examples: true, descriptions: true };
const TERSE: Annotations = { examples: false, descriptions: false };

/** An OpenAPI 3.0 schema object as JSON Schema, with every reference inlined. */
export function toJsonSchema(
  document: OpenAPIObject,
  schema: SchemaObject | ReferenceObject,
  keep: Annotations = ALL,
  trail: readonly string[] = [],
): JsonSchema {
  if ('$ref' in schema) {
    if (trail.includes(schema.$ref)) throw new Error(`${schema.$ref} refers to itself; it cannot be inlined`);
    return toJsonSchema(document, resolve<SchemaObject>(document, schema), keep, [...trail, schema.$ref]);
  }
  const convert = (s: SchemaObject | ReferenceObject) => toJsonSchema(document, s, keep, trail);
  const { nullable, discriminator: _discriminator, example, description, ...rest } = schema as Omit<SchemaObject, 'example' | 'enum'> & {
    example?: unknown;
    enum?: unknown[];
  };
  const out: JsonSchema = { ...rest };
  if (description !== undefined && keep.descriptions) out.description = description;
  if (example !== undefined && keep.examples) out.examples = [example];
  if (rest.properties) {
    out.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, convert(v)]));
    if (rest.additionalProperties === undefined && !rest.allOf && !rest.oneOf && !rest.anyOf) out.additionalProperties = false;
  }
  if (rest.additionalProperties && typeof rest.additionalProperties === 'object') out.additionalProperties = convert(rest.additionalProperties);
  if (rest.items) out.items = convert(rest.items);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) if (rest[key]) out[key] = rest[key].map(convert);
  if (rest.not) out.not = convert(rest.not);
  if (!nullable) return out;
  if (rest.enum) out.enum = [...rest.enum, null];
  if (typeof rest.type === 'string') return { ...out, type: [rest.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

function findOperation(document: OpenAPIObject, operationId: string): Operation {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation?.operationId === operationId) return operation as Operation;
    }
  }
  throw new Error(`The OpenAPI document has no operation ${operationId}`);
}

function resolve<T extends object>(document: OpenAPIObject, value: T | ReferenceObject): T {
  if (!('$ref' in value)) return value;
  const target = value.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
  if (!target || typeof target !== 'object') throw new Error(`Unresolved reference ${value.$ref}`);
  return resolve(document, target as T | ReferenceObject);
}

import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ApiException, type FieldIssue } from '../errors/api.exception.js';

/** Flattens class-validator's tree into API.md's `details: [{field, issue}]`. */
export function toFieldIssues(errors: ValidationError[], parent = ''): FieldIssue[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      issue: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...toFieldIssues(error.children ?? [], field)];
  });
}

/** Far deeper than any body of API.md; deeper ones would only burn stack in the validators. */
const MAX_BODY_DEPTH = 32;
/**
 * Far more values than any body of API.md holds (a quiz has a handful of questions): past it the
 * body is refused before class-transformer and class-validator walk it, which took seconds.
 */
export const MAX_INPUT_VALUES = 1000;
/** Keys that mean nothing in our bodies and something to JavaScript's object model. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first thing about a parsed input that no field validator should ever see: too deep, too
 * many values, a prototype-ish key, or text PostgreSQL cannot store (NUL) or that is not valid
 * Unicode (a lone surrogate). One iterative pass, bounded by MAX_INPUT_VALUES.
 */
export function inputProblem(value: unknown): FieldIssue | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  let values = 0;
  while (stack.length > 0) {
    const [node, depth, path] = stack.pop()!;
    if (++values > MAX_INPUT_VALUES) return { field: 'body', issue: `has more than ${MAX_INPUT_VALUES} values` };
    if (typeof node === 'string') {
      if (!isStorableText(node)) return { field: path || 'body', issue: 'contains a NUL byte or invalid Unicode' };
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_BODY_DEPTH) return { field: 'body', issue: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    // Object.keys, not for-in: an own "__proto__" key from JSON.parse shows here and nothing inherited does.
    const keys = Object.keys(node);
    if (values + keys.length > MAX_INPUT_VALUES) return { field: 'body', issue: `has more than ${MAX_INPUT_VALUES} values` };
    for (const key of keys) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { field: shortField(field), issue: 'is not allowed' };
      if (!isStorableText(key)) return { field: 'body', issue: 'has a key with a NUL byte or invalid Unicode' };
      stack.push([(node as Record<string, unknown>)[key], depth + 1, field]);
    }
  }
  return undefined;
}

/** A UTF-16 surrogate standing alone (with the u flag a well-formed pair is one code point, not Cs). */
const LONE_SURROGATE = /\p{Cs}/u;

/** PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate is not text at all. */
function isStorableText(text: string): boolean {
  return !text.includes('\0') && !LONE_SURROGATE.test(text);
}

/** A field name echoed in an error stays short, whatever the client sent as a key. */
function shortField(field: string): string {
  return field.length > 100 ? `${field.slice(0, 100)}…` : field;
}

/**
 * Whitelisting, unknown fields rejected, payloads turned into DTO instances; a body that is not a
 * JSON object (a bare string, an array, nothing) is refused as such rather than field by field.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw ApiException.validation([{ field: 'body', issue: 'must be a JSON object' }]);
    }
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problem = inputProblem(value);
      if (problem) throw ApiException.validation([metadata.type === 'body' ? problem : { ...problem, field: problem.field === 'body' ? metadata.type : problem.field }]);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ApiException.validation(toFieldIssues(errors)),
  });
}

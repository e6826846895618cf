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

/** Whether a parsed JSON value nests deeper than `max` (iterative: the check itself cannot overflow). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
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
    if (metadata.type === 'body' && nestsDeeperThan(value, MAX_BODY_DEPTH)) {
      throw ApiException.validation([{ field: 'body', issue: `nests deeper than ${MAX_BODY_DEPTH} levels` }]);
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

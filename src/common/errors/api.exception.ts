import { ERROR_STATUS, type ErrorCode } from './error-codes.js';

export type FieldIssue = { field: string; issue: string };

/** Enough to say what is wrong; a body with thousands of bad keys gets a short answer, not one line each. */
export const MAX_FIELD_ISSUES = 20;

/**
 * The one exception type our code throws for an expected failure. The exception filter turns it
 * into the API.md envelope: `{ error: { code, message, request_id, ...extra } }`.
 */
export class ApiException extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiException';
    this.status = ERROR_STATUS[code];
  }

  /** The API.md envelope: `{ error: { code, message, request_id, ...extra } }`. */
  envelope(requestId: string): { error: Record<string, unknown> & { code: ErrorCode; message: string; request_id: string } } {
    return { error: { code: this.code, message: this.message, request_id: requestId, ...this.extra } };
  }

  static validation(details: FieldIssue[], message = 'The request is not valid'): ApiException {
    if (details.length > MAX_FIELD_ISSUES) {
      const more = details.length - MAX_FIELD_ISSUES + 1;
      details = [...details.slice(0, MAX_FIELD_ISSUES - 1), { field: 'body', issue: `and ${more} more problems` }];
    }
    return new ApiException('VALIDATION_ERROR', message, { details });
  }

  static notFound(what: string): ApiException {
    return new ApiException('NOT_FOUND', `${what} was not found`);
  }

  static unauthorized(message = 'Authentication is required'): ApiException {
    return new ApiException('UNAUTHORIZED', message);
  }
}

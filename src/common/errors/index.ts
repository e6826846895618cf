/** Public API of common/errors: the API.md error envelope, its codes and the filter that writes it. */
export { ApiExceptionFilter } from './api-exception.filter.js';
export { ApiException, type FieldIssue } from './api.exception.js';
export { ERROR_STATUS, type ErrorCode } from './error-codes.js';
export { isDatabaseUnavailable } from './database-unavailable.js';

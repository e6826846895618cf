/** Public API of common/http: route documentation, request ids, the validation pipe. */
export { ApiRoute, ERROR_DOCS } from './api-docs.js';
export { createOpenApiDocument } from './openapi.js';
export { genRequestId } from './request-id.js';
export { createValidationPipe } from './validation.pipe.js';
export { clientErrorHandler } from './client-errors.js';
export { parseJsonBody } from './json-body.js';
export { toFieldIssues } from './validation.pipe.js';

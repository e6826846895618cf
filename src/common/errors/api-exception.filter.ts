import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException } from './api.exception.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import type { ErrorCode } from './error-codes.js';

/** What a client is told to wait when the database is unreachable: about one pool connect timeout. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

type FastifyCause = { code?: string; statusCode?: number };

/** Maps any thrown value to the API.md error envelope; nothing internal leaks to the client. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const error = ApiExceptionFilter.toApiException(exception);

    if (error.status >= 500 && error.code === 'INTERNAL_ERROR') {
      this.logger.error({ err: exception, request_id: request.id }, 'Unhandled error');
    } else if (error.code === 'SERVICE_UNAVAILABLE') {
      this.logger.warn({ err: exception, request_id: request.id }, 'Service unavailable');
    }
    const retryAfter = error.extra['retry_after_seconds'];
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));

    // A route may have set another content type (CSV, Prometheus text) before failing.
    void reply.status(error.status).type('application/json; charset=utf-8').send(error.envelope(request.id));
  }

  /** Any thrown value as the ApiException it is answered with (MCP tool errors use it too). */
  static toApiException(exception: unknown): ApiException {
    if (exception instanceof ApiException) return exception;
    if (!(exception instanceof HttpException) && isDatabaseUnavailable(exception)) {
      return new ApiException('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly', {
        retry_after_seconds: DATABASE_RETRY_AFTER_SECONDS,
      });
    }
    if (!(exception instanceof HttpException)) {
      return new ApiException('INTERNAL_ERROR', 'An unexpected error occurred');
    }
    const status = exception.getStatus();
    const cause = exception.cause as FastifyCause | undefined;
    switch (status) {
      case 400:
      case 415:
        return ApiException.validation(
          [{ field: 'body', issue: describeBodyError(cause?.code) ?? 'is not valid' }],
          describeBodyError(cause?.code) ? 'The request body could not be read' : 'The request is not valid',
        );
      case 401:
        return ApiException.unauthorized();
      case 403:
        return new ApiException('FORBIDDEN', 'You do not have access to this resource');
      case 404:
        return new ApiException('NOT_FOUND', 'The requested resource was not found');
      case 405:
        return new ApiException('NOT_FOUND', 'The requested resource was not found');
      case 413:
        return new ApiException('PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts');
      case 429:
        return new ApiException('TOO_MANY_REQUESTS', 'Too many requests, slow down');
      default:
        return new ApiException(statusCode(status), status >= 500 ? 'An unexpected error occurred' : exception.message);
    }
  }
}

function statusCode(status: number): ErrorCode {
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  return status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR';
}

function describeBodyError(code: string | undefined): string | undefined {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'is not valid JSON';
    case 'BODY_TOO_MANY_VALUES':
      return 'has far more values than any request of this API';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'must be sent as application/json';
    default:
      return undefined;
  }
}

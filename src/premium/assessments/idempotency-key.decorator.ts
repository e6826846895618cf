import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../../common/errors/index.js';
import { idempotencyKeyIssue } from './assessments.dto.js';

/**
 * The optional Idempotency-Key header, validated (VALIDATION_ERROR when malformed). A parameter
 * decorator of its own rather than @Headers(), which would document a second, required header.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  if (typeof value !== 'string') return undefined;
  const issue = idempotencyKeyIssue(value);
  if (issue) throw ApiException.validation([issue]);
  return value;
});

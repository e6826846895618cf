import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-codes.js';

export class FieldIssueDoc {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'must be an email' }) issue!: string;
}

export class ErrorBodyDoc {
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'VALIDATION_ERROR' }) code!: string;
  @ApiProperty({ example: 'The request is not valid' }) message!: string;
  @ApiProperty({ example: '5b0c8a2e-8f7a-4d8e-9a51-1c6c5d4e2f10' }) request_id!: string;
  @ApiPropertyOptional({ type: [FieldIssueDoc] }) details?: FieldIssueDoc[];
  @ApiPropertyOptional({ example: 30, description: 'With TOO_MANY_REQUESTS and SERVICE_BUSY; also sent as Retry-After' })
  retry_after_seconds?: number;
}

export class ErrorEnvelopeDoc {
  @ApiProperty({ type: ErrorBodyDoc }) error!: ErrorBodyDoc;
}

const DESCRIPTIONS: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'The body, query or path failed validation (details list each field)',
  UNAUTHORIZED: 'Missing, expired or forged bearer token, or wrong credentials',
  FORBIDDEN: 'The caller may not use this route',
  NOT_FOUND: 'No such resource',
  CONFLICT: 'The resource already exists',
  PAYLOAD_TOO_LARGE: 'The body is larger than the configured limit',
  TOO_MANY_REQUESTS: 'Too many requests from this address or account in a short window (see Retry-After)',
};

/**
 * Documents one route: its operationId and summary, its bearer security (unless public), and the
 * error envelopes it can answer with.
 */
export function ApiRoute(options: {
  operationId: string;
  summary: string;
  description?: string;
  isPublic?: boolean;
  errors?: ErrorCode[];
}): MethodDecorator {
  const errors = new Set<ErrorCode>(options.errors ?? []);
  if (!options.isPublic) errors.add('UNAUTHORIZED');
  // Every route is throttled per address (and per student when signed in).
  errors.add('TOO_MANY_REQUESTS');
  errors.add('INTERNAL_ERROR');
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errors) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);

  return applyDecorators(
    ApiOperation({ operationId: options.operationId, summary: options.summary, description: options.description }),
    ...(options.isPublic ? [] : [ApiBearerAuth()]),
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        type: ErrorEnvelopeDoc,
        description: codes.map((c) => `${c}${DESCRIPTIONS[c] ? `: ${DESCRIPTIONS[c]}` : ''}`).join('; '),
      }),
    ),
  );
}

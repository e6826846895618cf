import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { HeaderObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-codes.js';
import { featureLabel, PREMIUM_FEATURES } from '../features/index.js';

type ErrorDoc = {
  /** The component schema of this code's envelope. */
  schema: string;
  description: string;
  example: { message: string } & Record<string, unknown>;
  /** Code-specific fields of `error` (API.md's "extra fields"), all of them always sent. */
  extra?: Record<string, SchemaObject>;
  /** Sent with a Retry-After header (API.md). */
  retryAfter?: true;
};

/** The `feature` of FEATURE_DISABLED and of a quota: one of the registry's premium features. */
const FEATURE: SchemaObject = { type: 'string', enum: [...PREMIUM_FEATURES], example: PREMIUM_FEATURES[0] };

const RETRY_AFTER_SECONDS: SchemaObject = {
  type: 'integer',
  minimum: 1,
  description: 'Seconds to wait before retrying; also sent as the Retry-After header',
  example: 5,
};

/** The codes a client should retry: the wait is in the body and in a Retry-After header alike. */
const RETRY_LATER = { extra: { retry_after_seconds: RETRY_AFTER_SECONDS }, retryAfter: true } as const;

/** API.md's error table, code by code. */
export const ERROR_DOCS: Readonly<Record<ErrorCode, ErrorDoc>> = {
  VALIDATION_ERROR: {
    schema: 'ValidationError',
    description: 'The body, query or path failed validation, has unknown fields, is not JSON or is not sent as application/json',
    example: { message: 'The request is not valid', details: [{ field: 'email', issue: 'must be an email address' }] },
    extra: {
      details: {
        type: 'array',
        description: 'One entry per field that failed',
        items: {
          type: 'object',
          required: ['field', 'issue'],
          properties: { field: { type: 'string', example: 'email' }, issue: { type: 'string', example: 'must be an email address' } },
        },
      },
    },
  },
  UNAUTHORIZED: {
    schema: 'UnauthorizedError',
    description: 'Missing, expired or forged bearer token, or wrong credentials',
    example: { message: 'A valid bearer token is required' },
  },
  PREMIUM_REQUIRED: {
    schema: 'PremiumRequiredError',
    description: 'A free student, or one whose premium has expired, called a premium route',
    example: { message: 'This feature is part of the premium plan', upgrade_url: '/upgrade' },
    extra: { upgrade_url: { type: 'string', description: 'Where the student can upgrade (UPGRADE_URL)', example: '/upgrade' } },
  },
  FORBIDDEN: {
    schema: 'ForbiddenError',
    description: 'The caller may not use this route (admin routes need the admin role)',
    example: { message: 'This route is for administrators' },
  },
  NOT_FOUND: {
    schema: 'NotFoundError',
    description: 'No such resource, or it belongs to someone else',
    example: { message: 'The requested resource was not found' },
  },
  FEATURE_DISABLED: {
    schema: 'FeatureDisabledError',
    description: 'The feature flag of this route is off for this student',
    example: { message: 'This feature is not available for your account yet', feature: PREMIUM_FEATURES[0] },
    extra: { feature: FEATURE },
  },
  CONFLICT: {
    schema: 'ConflictError',
    description: 'The resource already exists, or an Idempotency-Key was reused with a different body',
    example: { message: 'An account with this email already exists' },
  },
  PAYLOAD_TOO_LARGE: {
    schema: 'PayloadTooLargeError',
    description: 'The body is larger than the configured limit',
    example: { message: 'The request body is larger than the server accepts' },
  },
  RATE_LIMIT_EXCEEDED: {
    schema: 'RateLimitExceededError',
    description: 'This month’s quota of the feature is used up',
    example: {
      message: `Monthly ${featureLabel(PREMIUM_FEATURES[0])} quota used up`,
      quota: { feature: PREMIUM_FEATURES[0], used: 10, limit: 10, period: '2026-11', resets_at: '2026-12-01T00:00:00.000Z' },
    },
    extra: {
      quota: {
        type: 'object',
        required: ['feature', 'used', 'limit', 'period', 'resets_at'],
        properties: {
          feature: FEATURE,
          used: { type: 'integer', example: 10 },
          limit: { type: 'integer', example: 10 },
          period: { type: 'string', description: 'Calendar month, UTC', example: '2026-11' },
          resets_at: { type: 'string', format: 'date-time', example: '2026-12-01T00:00:00.000Z' },
        },
      },
    },
  },
  TOO_MANY_REQUESTS: {
    schema: 'TooManyRequestsError',
    description: 'Too many requests from this address or account in a short window',
    example: { message: 'Too many requests; try again after the time given in Retry-After', retry_after_seconds: 30 },
    ...RETRY_LATER,
  },
  SERVICE_BUSY: {
    schema: 'ServiceBusyError',
    description: 'The LLM work queue is full; retry later',
    example: { message: 'The service is busy; retry shortly', retry_after_seconds: 5 },
    ...RETRY_LATER,
  },
  LLM_UNAVAILABLE: {
    schema: 'LlmUnavailableError',
    description: 'The LLM failed and the feature has no deterministic fallback',
    example: { message: 'The assistant is unavailable right now' },
  },
  SERVICE_UNAVAILABLE: {
    schema: 'ServiceUnavailableError',
    description: 'PostgreSQL cannot be reached; nothing was written, and the same request may be retried',
    example: { message: 'The service is temporarily unavailable; retry shortly', retry_after_seconds: 5 },
    ...RETRY_LATER,
  },
  INTERNAL_ERROR: {
    schema: 'InternalError',
    description: 'Anything unexpected; never a stack trace, SQL or a secret',
    example: { message: 'An unexpected error occurred' },
  },
};

const EXAMPLE_REQUEST_ID = '5b0c8a2e-8f7a-4d8e-9a51-1c6c5d4e2f10';

/** The `error` object of every error code, for components.schemas. */
export function errorSchemas(): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {};
  for (const [code, doc] of Object.entries(ERROR_DOCS) as [ErrorCode, ErrorDoc][]) {
    const extra = doc.extra ?? {};
    schemas[doc.schema] = {
      type: 'object',
      description: `${ERROR_STATUS[code]} ${code}: ${doc.description}`,
      required: ['code', 'message', 'request_id', ...Object.keys(extra)],
      properties: {
        code: { type: 'string', enum: [code], example: code },
        message: { type: 'string', description: 'For people; may change', example: doc.example.message },
        request_id: { type: 'string', description: 'Also the x-request-id response header', example: EXAMPLE_REQUEST_ID },
        ...extra,
      },
    };
  }
  return schemas;
}

const RETRY_AFTER_HEADER: HeaderObject = {
  description: 'Seconds to wait before retrying (the same value as `retry_after_seconds`)',
  schema: { type: 'integer', minimum: 1, example: 5 },
};

/**
 * Documents one route: its operationId, summary and description, its security (bearer, or none
 * when public), and every error envelope it can answer with, per status, each code with its
 * extra fields and its own example. Every route is throttled (TOO_MANY_REQUESTS), can fail
 * unexpectedly (INTERNAL_ERROR) and, unless `database: false`, needs PostgreSQL (SERVICE_UNAVAILABLE).
 */
export function ApiRoute(options: {
  operationId: string;
  summary: string;
  description?: string;
  isPublic?: boolean;
  errors?: ErrorCode[];
  /** false for a route that answers its own 503 when the database is down (health). */
  database?: boolean;
}): MethodDecorator {
  const errors = new Set<ErrorCode>(options.errors ?? []);
  if (!options.isPublic) errors.add('UNAUTHORIZED');
  // Every route is throttled per address (and per student when signed in).
  errors.add('TOO_MANY_REQUESTS');
  errors.add('INTERNAL_ERROR');
  if (options.database !== false) errors.add('SERVICE_UNAVAILABLE');
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errors) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);

  return applyDecorators(
    ApiOperation({
      operationId: options.operationId,
      summary: options.summary,
      description: options.description,
      // `security: []` says the route needs none; leaving it out would say nothing.
      ...(options.isPublic && { security: [] }),
    }),
    ...(options.isPublic ? [] : [ApiBearerAuth()]),
    ...[...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => errorResponse(status, codes)),
  );
}

function errorResponse(status: number, codes: ErrorCode[]): MethodDecorator {
  const ref = (c: ErrorCode): ReferenceObject => ({ $ref: `#/components/schemas/${ERROR_DOCS[c].schema}` });
  const retryAfter = codes.filter((c) => ERROR_DOCS[c].retryAfter);
  const headers: Record<string, HeaderObject> = {};
  if (retryAfter.length > 0) {
    headers['Retry-After'] = { ...RETRY_AFTER_HEADER, required: retryAfter.length === codes.length };
  }
  return ApiResponse({
    status,
    description: codes.map((c) => `\`${c}\`: ${ERROR_DOCS[c].description}`).join('; '),
    headers,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['error'],
          properties: {
            error:
              codes.length === 1
                ? ref(codes[0]!)
                : { oneOf: codes.map(ref), discriminator: { propertyName: 'code', mapping: Object.fromEntries(codes.map((c) => [c, ref(c).$ref])) } },
          },
        },
        examples: Object.fromEntries(codes.map((c) => [c, { summary: c, value: { error: exampleOf(c) } }])),
      },
    },
  });
}

function exampleOf(code: ErrorCode): Record<string, unknown> {
  const { message, ...extra } = ERROR_DOCS[code].example;
  return { code, message, request_id: EXAMPLE_REQUEST_ID, ...extra };
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { HeaderObject, ResponseObject } from '@nestjs/swagger';
import { errorSchemas } from './api-docs.js';

const TAGS: ReadonlyArray<[string, string]> = [
  ['health', 'Liveness and readiness'],
  ['auth', 'Accounts and bearer tokens'],
  ['chapters', 'Course content (free Core)'],
  ['glossary', 'The course key terms and their definitions (free Core)'],
  ['quizzes', 'Server-graded quizzes (free Core)'],
  ['progress', 'Progress and quiz history (free Core)'],
  ['premium', 'LLM features for premium students: gated, quota-limited, cached'],
  ['admin', 'Costs, feature flags and metrics (admin role)'],
];

/** Headers sent with every response: the request id, and the short-window limits' state. */
const HEADERS: Readonly<Record<string, HeaderObject>> = {
  'x-request-id': {
    description: 'The request id, also in every error body (a sane incoming `x-request-id` is kept)',
    required: true,
    schema: { type: 'string', example: '5b0c8a2e-8f7a-4d8e-9a51-1c6c5d4e2f10' },
  },
  'X-RateLimit-Limit-ip': {
    description: 'Requests allowed from this address per THROTTLE_WINDOW_SECONDS (absent when the limit is off)',
    schema: { type: 'integer', example: 300 },
  },
  'X-RateLimit-Remaining-ip': { description: 'Requests left from this address in the window', schema: { type: 'integer', example: 299 } },
  'X-RateLimit-Reset-ip': { description: 'Seconds until the address window resets', schema: { type: 'integer', example: 60 } },
  // On bearer routes, the per-student limit's state too.
  'X-RateLimit-Limit-user': { description: 'Requests allowed for this student per window (absent when the limit is off)', schema: { type: 'integer', example: 600 } },
  'X-RateLimit-Remaining-user': { description: 'Requests left for this student in the window', schema: { type: 'integer', example: 599 } },
  'X-RateLimit-Reset-user': { description: 'Seconds until the student window resets', schema: { type: 'integer', example: 60 } },
};

/** The OpenAPI document of every route, as served at /docs/json. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Course Companion API')
    .setDescription(
      'A free, deterministic course core (v1) and gated, metered premium features (v2). ' +
        'Every error answers `{ "error": { "code", "message", "request_id", … } }` with the extra fields of its code; ' +
        'every response carries an `x-request-id` header.',
    )
    .setVersion('1.0.0')
    .setLicense('Proprietary', '')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access_token from POST /api/v1/auth/login' });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build());
  return withCommonParts(document);
}

function withCommonParts(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  // Only the error codes some route answers with.
  const paths = JSON.stringify(document.paths);
  const errors = Object.entries(errorSchemas()).filter(([name]) => paths.includes(`"#/components/schemas/${name}"`));
  components.schemas = { ...components.schemas, ...Object.fromEntries(errors) };
  components.headers = { ...components.headers, ...HEADERS };
  const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
  const addressHeaders = Object.keys(HEADERS).filter((h) => !h.endsWith('-user'));
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (!operation) continue;
      const bearer = (operation.security ?? []).length > 0;
      for (const response of Object.values(operation.responses) as ResponseObject[]) {
        const names = bearer ? Object.keys(HEADERS) : addressHeaders;
        response.headers = { ...Object.fromEntries(names.map((h) => [h, ref(h)])), ...response.headers };
      }
    }
  }
  if (document.info.license && !document.info.license.url) delete document.info.license.url;
  return document;
}

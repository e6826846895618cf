import type { OpenAPIObject } from '@nestjs/swagger';
import { createResponseValidator, type RecordedResponse } from '../support/contract/response-validator.js';

/** A hand-made document: one closed object with a nullable field, a CSV route, an error code. */
const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'a thing',
            headers: { 'x-request-id': { required: true, schema: { type: 'string' } }, 'Retry-After': { schema: { type: 'integer' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': {
            description: 'none',
            content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { $ref: '#/components/schemas/NotFoundError' } } } } },
          },
        },
      },
    },
    '/api/things/export': {
      get: { responses: { '200': { description: 'csv', content: { 'text/csv': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'tags', 'owner'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          tags: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
          owner: { type: 'string', nullable: true },
          counts: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
      NotFoundError: {
        type: 'object',
        required: ['code', 'message', 'request_id'],
        properties: { code: { type: 'string', enum: ['NOT_FOUND'] }, message: { type: 'string' }, request_id: { type: 'string' } },
      },
    },
  },
} as unknown as OpenAPIObject;

const ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const validate = createResponseValidator(DOCUMENT);

function response(over: Partial<RecordedResponse> & { json?: unknown }): RecordedResponse {
  const { json, ...rest } = over;
  return {
    method: 'GET',
    url: `/api/things/${ID}`,
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' },
    body: Buffer.from(JSON.stringify(json ?? { id: ID, tags: [{ name: 'a' }], owner: null })),
    ...rest,
  };
}

describe('the contract validator', () => {
  it('accepts a response that matches the document, nullable field and open map included', () => {
    expect(validate(response({ json: { id: ID, tags: [], owner: 'ada', counts: { a: 1 } } }))).toEqual([]);
    expect(validate(response({}))).toEqual([]);
  });

  it('fails a field the document does not declare, at the top and nested (closed schemas)', () => {
    expect(validate(response({ json: { id: ID, tags: [], owner: null, secret: 1 } }))).toEqual([
      '200 GET /api/things/{id}: body must NOT have additional properties "secret"',
    ]);
    expect(validate(response({ json: { id: ID, tags: [{ name: 'a', colour: 'red' }], owner: null } }))).toEqual([
      '200 GET /api/things/{id}: body/tags/0 must NOT have additional properties "colour"',
    ]);
  });

  it('fails a missing required field, a wrong type and a bad format', () => {
    expect(validate(response({ json: { id: ID, tags: [] } }))).toEqual(["200 GET /api/things/{id}: body must have required property 'owner'"]);
    expect(validate(response({ json: { id: ID, tags: [], owner: 7 } }))).toEqual(['200 GET /api/things/{id}: body/owner must be string,null']);
    expect(validate(response({ json: { id: 'nope', tags: [], owner: null } }))).toEqual(['200 GET /api/things/{id}: body/id must match format "uuid"']);
    expect(validate(response({ json: { id: ID, tags: [], owner: null, counts: { a: 'x' } } }))).toEqual([
      '200 GET /api/things/{id}: body/counts/a must be integer',
    ]);
  });

  it('fails an undeclared status, an undeclared content type, a body that is not JSON', () => {
    expect(validate(response({ status: 409 }))).toEqual(['409 GET /api/things/{id}: status not declared (declared: 200, 404)']);
    expect(validate(response({ headers: { 'content-type': 'text/html', 'x-request-id': 'r1' } }))).toEqual([
      '200 GET /api/things/{id}: content type text/html not declared (declared: application/json)',
    ]);
    expect(validate(response({ body: Buffer.from('{"id":') }))).toEqual(['200 GET /api/things/{id}: the body is not valid JSON']);
  });

  it('fails a missing required header and a malformed one', () => {
    expect(validate(response({ headers: { 'content-type': 'application/json' } }))).toEqual([
      '200 GET /api/things/{id}: required header x-request-id missing',
    ]);
    expect(validate(response({ headers: { 'content-type': 'application/json', 'x-request-id': 'r1', 'retry-after': 'soon' } }))).toEqual([
      '200 GET /api/things/{id}: header Retry-After: "soon" must be integer',
    ]);
    expect(validate(response({ headers: { 'content-type': 'application/json', 'x-request-id': 'r1', 'retry-after': '5' } }))).toEqual([]);
  });

  it('prefers a literal path over a template, and checks non-JSON bodies against their schema', () => {
    const csv = { url: '/api/things/export?x=1', headers: { 'content-type': 'text/csv; charset=utf-8' }, body: Buffer.from('a,b\n') };
    expect(validate(response(csv))).toEqual([]);
    expect(validate(response({ ...csv, headers: { 'content-type': 'application/json' } }))).toEqual([
      '200 GET /api/things/export: content type application/json not declared (declared: text/csv)',
    ]);
  });

  it('checks error envelopes, also on paths and methods the document does not describe', () => {
    const notFound = { error: { code: 'NOT_FOUND', message: 'no', request_id: 'r1' } };
    expect(validate(response({ status: 404, json: notFound }))).toEqual([]);
    expect(validate(response({ status: 404, json: { error: { ...notFound.error, code: 'GONE' } } }))).not.toEqual([]);
    expect(validate(response({ status: 404, url: '/api/nowhere', json: notFound }))).toEqual([]);
    expect(validate(response({ status: 404, method: 'DELETE', json: notFound }))).toEqual([]);
    expect(validate(response({ status: 404, url: '/api/nowhere', json: { error: { ...notFound.error, stack: 'at x' } } }))).not.toEqual([]);
    expect(validate(response({ status: 200, url: '/api/nowhere' }))).toEqual(['200 from GET /api/nowhere, which the document does not describe']);
    // Pages outside the API are not the document's business.
    expect(validate(response({ url: '/admin', headers: { 'content-type': 'text/html' }, body: Buffer.from('<html>') }))).toEqual([]);
  });
});

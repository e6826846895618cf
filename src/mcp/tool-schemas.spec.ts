import type { OpenAPIObject } from '@nestjs/swagger';
import { operationSchemas, toJsonSchema } from './tool-schemas.js';

const envelope = (ref: string) => ({
  content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { $ref: ref } } } } },
  description: 'an error',
});

const document = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/things/{thing_id}/notes': {
      post: {
        operationId: 'addNote',
        parameters: [
          { name: 'thing_id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]+$', example: 'abc' } },
          { name: 'dry_run', in: 'query', required: false, description: 'Check only', schema: { type: 'boolean' } },
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NoteDto' } } } },
        responses: {
          '201': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/NoteDto' } } } },
          '404': envelope('#/components/schemas/NotFoundError'),
          '429': {
            description: 'limits',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['error'],
                  properties: {
                    error: {
                      oneOf: [{ $ref: '#/components/schemas/NotFoundError' }, { $ref: '#/components/schemas/TooManyError' }],
                      discriminator: { propertyName: 'code' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      NoteDto: {
        type: 'object',
        required: ['text'],
        properties: {
          text: { type: 'string', description: 'The note', example: 'hello' },
          tag: { type: 'string', nullable: true, enum: ['a', 'b'] },
          author: { allOf: [{ $ref: '#/components/schemas/AuthorDto' }], nullable: true },
        },
      },
      AuthorDto: { type: 'object', properties: { name: { type: 'string' } } },
      ValidationError: { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: ['VALIDATION_ERROR'] } } },
      NotFoundError: { type: 'object', required: ['code'], description: 'not found', properties: { code: { type: 'string', enum: ['NOT_FOUND'] } } },
      TooManyError: { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: ['TOO_MANY_REQUESTS'] } } },
    },
  },
} as unknown as OpenAPIObject;

describe('operationSchemas', () => {
  it('merges path and query parameters with the body fields into one closed object, headers left out', () => {
    const { input, places } = operationSchemas(document, 'addNote');
    expect(input).toEqual({
      type: 'object',
      properties: {
        thing_id: { type: 'string', pattern: '^[a-z]+$', examples: ['abc'] },
        dry_run: { type: 'boolean', description: 'Check only' },
        text: { type: 'string', description: 'The note', examples: ['hello'] },
        tag: { type: ['string', 'null'], enum: ['a', 'b', null] },
        author: { anyOf: [{ allOf: [{ type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false }] }, { type: 'null' }] },
      },
      required: ['thing_id', 'text'],
      additionalProperties: false,
    });
    expect(places).toEqual({ param: new Set(['thing_id']), query: new Set(['dry_run']) });
  });

  it('answers the success body or an envelope of each error code once, plus VALIDATION_ERROR, without examples', () => {
    const { output } = operationSchemas(document, 'addNote');
    const code = (c: string) => ({ type: 'object', required: ['code'], properties: { code: { type: 'string', enum: [c] } }, additionalProperties: false });
    expect(output).toEqual({
      type: 'object',
      anyOf: [
        {
          type: 'object',
          required: ['text'],
          properties: {
            text: { type: 'string', description: 'The note' },
            tag: { type: ['string', 'null'], enum: ['a', 'b', null] },
            author: { anyOf: [{ allOf: [{ type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false }] }, { type: 'null' }] },
          },
          additionalProperties: false,
        },
        {
          type: 'object',
          description: 'The error envelope of the REST API (a tool result with isError: true)',
          required: ['error'],
          properties: { error: { anyOf: [code('VALIDATION_ERROR'), code('NOT_FOUND'), code('TOO_MANY_REQUESTS')] } },
          additionalProperties: false,
        },
      ],
    });
  });

  it('fails at once for an operation the document does not have', () => {
    expect(() => operationSchemas(document, 'nothing')).toThrow('The OpenAPI document has no operation nothing');
  });
});

describe('toJsonSchema', () => {
  it('refuses a schema that refers to itself rather than recursing forever', () => {
    const looped = { ...document, components: { schemas: { Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } } } } as unknown as OpenAPIObject;
    expect(() => toJsonSchema(looped, { $ref: '#/components/schemas/Node' })).toThrow('#/components/schemas/Node refers to itself');
  });
});

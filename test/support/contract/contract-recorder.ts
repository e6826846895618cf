import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { createResponseValidator, type RecordedResponse, type ResponseCheck } from './response-validator.js';

type Watched = { document: OpenAPIObject; responses: RecordedResponse[] };

/** Per test file (each has its own global object): the apps watched and what they answered. */
type Registry = { watched: Watched[] };
const KEY = Symbol.for('course-companion.contract-recorder');

function registry(): Registry {
  const g = globalThis as typeof globalThis & { [KEY]?: Registry };
  return (g[KEY] ??= { watched: [] });
}

/**
 * Records every response the app's HTTP server sends (status, headers, body bytes as sent), for
 * checkRecordedResponses(); the document is the one the app serves at /docs/json. Test-only: it
 * listens on the server from outside, the app's own code paths are unchanged.
 */
export async function recordResponses(app: NestFastifyApplication): Promise<void> {
  const server = app.getHttpServer();
  const served = await request(server).get('/docs/json');
  if (served.status !== 200) throw new Error(`GET /docs/json answered ${served.status}`);
  const watched: Watched = { document: served.body as OpenAPIObject, responses: [] };
  registry().watched.push(watched);
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    // Headers handed straight to writeHead() are not kept where getHeaders() looks.
    const written: Record<string, string | string[] | number> = {};
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((...args: unknown[]) => {
      const headers = args.find((a, i) => i > 0 && typeof a === 'object' && a !== null);
      if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2) written[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
      } else if (headers) {
        for (const [k, v] of Object.entries(headers)) written[k.toLowerCase()] = v as string | string[] | number;
      }
      return writeHead(...args);
    });
    response.once('finish', () => {
      watched.responses.push({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        status: response.statusCode,
        headers: { ...response.getHeaders(), ...written },
        body: Buffer.concat(chunks),
      });
    });
  });
}

export type ContractResult = { checked: number; issues: string[] };

/** Checks every recorded response against its app's document; the same issue is listed once, with a count. */
export function checkRecordedResponses(): ContractResult {
  const counts = new Map<string, { n: number; example: string }>();
  let checked = 0;
  const validators = new Map<string, ResponseCheck>();
  for (const { document, responses } of registry().watched.splice(0)) {
    const key = JSON.stringify(document);
    let validate = validators.get(key);
    if (!validate) validators.set(key, (validate = createResponseValidator(document)));
    for (const response of responses) {
      checked++;
      for (const issue of validate(response)) {
        const seen = counts.get(issue);
        if (seen) seen.n++;
        else counts.set(issue, { n: 1, example: `${response.method} ${response.url.slice(0, 200)}` });
      }
    }
  }
  return { checked, issues: [...counts].map(([issue, { n, example }]) => `${issue} — ${n > 1 ? `×${n}, e.g. ` : ''}${example}`) };
}

import type { IncomingMessage, ServerResponse } from 'node:http';

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'request_too_large'
  | 'api_error'
  | 'overloaded_error';

/** An error answer as the API sends it: status, error type, message and any extra headers. */
export type Failure = { status: number; type: ErrorType; message: string; headers?: Record<string, string> };

/** The Messages API's request size limit. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
export const RATE_LIMIT_REQUESTS = 4000;

export const invalid = (message: string): Failure => ({ status: 400, type: 'invalid_request_error', message });

/** The whole request body as text, and its size in bytes. */
export async function readBody(req: IncomingMessage): Promise<{ raw: string; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
  }
  return { raw: Buffer.concat(chunks).toString('utf8'), size };
}

/** The rate-limit headers every answer carries. */
function rateLimitHeaders(status: number): Record<string, string> {
  return {
    'anthropic-ratelimit-requests-limit': String(RATE_LIMIT_REQUESTS),
    'anthropic-ratelimit-requests-remaining': String(status === 429 ? 0 : RATE_LIMIT_REQUESTS - 1),
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60_000).toISOString(),
  };
}

export function send(res: ServerResponse, status: number, requestId: string, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  res
    .writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...rateLimitHeaders(status), ...headers })
    .end(JSON.stringify(payload));
}

export function sendError(res: ServerResponse, requestId: string, failure: Failure): void {
  const payload = { type: 'error', error: { type: failure.type, message: failure.message }, request_id: requestId };
  send(res, failure.status, requestId, payload, failure.headers);
}

/** One request being answered: the body already read, and the id every answer to it carries. */
export type Exchange = { req: IncomingMessage; res: ServerResponse; raw: string; requestId: string };

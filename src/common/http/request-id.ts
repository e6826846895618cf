import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id: the caller's `x-request-id` when it is a sane token, else a new UUID. It is
 * stored on the raw request too, where pino-http reads it, so logs and responses agree.
 */
export function genRequestId(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException } from '../common/errors/api.exception.js';

/**
 * Aborts when the client closes the connection before its response is sent, so a premium
 * request nobody waits for any more takes no unit, and a model call in flight for it is cut off.
 */
export function clientSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  // Gone already (the client left while the guards waited on the database or Redis).
  if (request.raw.socket?.destroyed || response.destroyed) {
    controller.abort();
    return controller.signal;
  }
  // 'close' comes once per response: after it is sent, or when the connection drops first.
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** What a request abandoned by its client ends with (nobody reads it; the log shows it). */
export function clientGone(): ApiException {
  return new ApiException('SERVICE_UNAVAILABLE', 'The client closed the request before it was served; nothing was charged');
}

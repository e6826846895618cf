import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { loggableUrl } from './log-scrubbing.js';
import { requestLogLevel } from './logger.options.js';

/**
 * One access-log line per request, written when it ends, by Fastify itself: no per-request
 * middleware or async context (pino-http under Nest middleware cost ~40 % of a cached read).
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(): void {
    // The completion line carries the request; a line at arrival would double the log volume.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const level = error ? 'error' : requestLogLevel(reply.statusCode);
    // The server's logger is the pino instance of createLogger (http-app.ts).
    const log = request.log as unknown as Logger;
    if (!log.isLevelEnabled(level)) return;
    log[level](
      {
        req: { id: request.id, method: request.method, url: loggableUrl(request.url) },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
        ...(error ? { err: error } : {}),
      },
      'request completed',
    );
  }
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiExceptionFilter } from '../../common/errors/index.js';
import type { AnswerSink, Citation, TutorAnswer } from './tutor-answer.js';

/** Whether the client asked for server-sent events rather than one JSON answer. */
export function wantsEventStream(request: FastifyRequest): boolean {
  return /\btext\/event-stream\b/i.test(request.headers.accept ?? '');
}

/**
 * The tutor's answer as server-sent events (`delta`, `citation`, then `done` or `error`). The
 * response starts with the first event, so an error found before anything was sent (validation,
 * quota, an unknown conversation) is still an ordinary JSON error with its status; after that an
 * error is the stream's last event. Each event is written at once: nothing is buffered.
 */
export class TutorEventStream implements AnswerSink {
  private started = false;

  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {}

  get open(): boolean {
    return this.started;
  }

  delta(text: string): void {
    this.send('delta', { text });
  }

  citation(citation: Citation): void {
    this.send('citation', citation);
  }

  done(answer: TutorAnswer): void {
    this.send('done', answer);
    this.reply.raw.end();
  }

  /** Ends an open stream with the error envelope's `error` object. */
  fail(error: unknown): void {
    this.send('error', ApiExceptionFilter.toApiException(error).envelope(this.request.id).error);
    this.reply.raw.end();
  }

  private send(event: string, data: unknown): void {
    const raw = this.reply.raw;
    if (raw.destroyed || raw.writableEnded) return;
    if (!this.started) {
      this.started = true;
      // Fastify's own send is bypassed from here: the headers set so far (security, request id) go with it.
      this.reply.hijack();
      raw.writeHead(200, {
        ...(this.reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
    }
    raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

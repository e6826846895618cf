import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Nest's own start-up chatter (a line per module, controller and route): debug, not info. */
const BOOTSTRAP_CONTEXTS: ReadonlySet<string> = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * Nest's logger interface on pino. A Logger made with a context passes it as the last argument.
 * Our code logs pino-style, `logger.warn({ fields }, 'message')`; Nest itself logs
 * `error(message, stack)`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && BOOTSTRAP_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const args = [...rest];
    const context = args.length > 0 && typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    const text = typeof args[0] === 'string' ? args[0] : undefined;
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, text ?? message.message);
    } else if (message !== null && typeof message === 'object') {
      this.pino[level]({ ...fields, ...message }, text);
    } else {
      // Nest's own error(message, stack): the second argument is a stack trace.
      if (text !== undefined && level === 'error') fields.stack = text;
      this.pino[level](fields, String(message));
    }
  }
}

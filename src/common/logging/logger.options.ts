import { pino, type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../../config/index.js';
import { errorSerializer, scrubLogLine } from './log-scrubbing.js';

/** Paths pino blanks out wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password_hash',
  '*.passwordHash',
  '*.access_token',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.api_key',
];

/**
 * The process's one logger (JSON lines on stdout): the HTTP server's request logs, Nest's own
 * messages and the start-up lines of main.ts and worker.ts all go through it.
 */
export function createLogger(config: Pick<AppConfig, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { service: 'course-companion' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: errorSerializer },
    hooks: { streamWrite: scrubLogLine },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A finished request's level: server faults are errors, refused requests warnings. */
export function requestLogLevel(statusCode: number): 'error' | 'warn' | 'info' {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

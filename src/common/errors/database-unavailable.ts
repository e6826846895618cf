import { QueryRunnerAlreadyReleasedError } from 'typeorm';

/**
 * Whether an error means PostgreSQL could not be reached or dropped the connection (as opposed
 * to a bad query): the request did not happen, so it answers 503 and may be retried.
 */

// Socket-level failures reaching the server (pg rejects with the Node error itself).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATE: connection exceptions (class 08), server shutting down or starting (57P01-57P03),
// too many connections (53300).
const SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);

// pg and pg-pool say these in messages only, without a code.
const MESSAGES = [
  /^Connection terminated/, // 'Connection terminated', '… unexpectedly', '… due to connection timeout'
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
];

type ErrorLike = { code?: unknown; message?: unknown; driverError?: unknown; errors?: unknown };

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 3 || typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATES.has(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return true;
  // TypeORM releases a transaction's runner when its connection fails; the next statement says so.
  if (error instanceof QueryRunnerAlreadyReleasedError) return true;
  // TypeORM's QueryFailedError wraps pg's error; Node reports a refused dual-stack connect as an AggregateError.
  if (e.driverError !== undefined && isDatabaseUnavailable(e.driverError, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

import { pino } from 'pino';

/**
 * Fields of an error that carry the data it failed on rather than what went wrong: TypeORM's
 * bound `parameters` and SQL, pg's `detail` ("Key (email)=(…) already exists"), `where` and
 * `internalQuery`, an HTTP client's request and headers. A logged error keeps its type, message,
 * code and stack.
 */
const DATA_FIELDS = ['parameters', 'query', 'driverError', 'detail', 'where', 'internalQuery', 'hint', 'rawPacket', 'request', 'headers', 'config'];

type SerializedError = Record<string, unknown> & { cause?: unknown };

/** pino's error serializer without the fields that would copy user data into the log. */
export function errorSerializer(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return strip(pino.stdSerializers.err(error), 0);
}

function strip(serialized: SerializedError, depth: number): SerializedError {
  for (const field of DATA_FIELDS) delete serialized[field];
  if (depth < 3 && serialized.cause && typeof serialized.cause === 'object') strip(serialized.cause as SerializedError, depth + 1);
  return serialized;
}

/** Query parameters whose values are logged; every other value is replaced (an access_token, an email…). */
const LOGGED_QUERY_PARAMETERS = new Set(['limit', 'cursor', 'start_date', 'end_date', 'group_by', 'force_refresh']);

/** The URL as logged: the path, and the query with only harmless values kept. */
export function loggableUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const kept = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return equals < 0 || LOGGED_QUERY_PARAMETERS.has(name) ? pair : `${name}=[redacted]`;
    });
  return `${url.slice(0, mark)}?${kept.join('&')}`;
}

/**
 * The last line of defence, applied to every finished log line: whatever path put them there,
 * password hashes, bearer tokens (JWTs) and email addresses are masked.
 */
const PATTERNS: readonly [RegExp, string][] = [
  [/\$argon2(?:id|i|d)\$[^"\s]*/g, '[password-hash]'],
  [/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g, '[token]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, '[email]'],
];

export function scrubLogLine(line: string): string {
  let out = line;
  for (const [pattern, mask] of PATTERNS) out = out.replace(pattern, mask);
  return out;
}

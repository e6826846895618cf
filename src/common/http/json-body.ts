import type { FastifyRequest } from 'fastify';
import { MAX_INPUT_VALUES } from './validation.pipe.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Separators (`,` and `:`) outside strings, up to `stopAt`: a bound on how many values a JSON text
 * holds, found in one linear pass without building anything. JSON.parse of 50,000 keys alone
 * blocks the event loop for over 100 ms; a body that many values cannot be valid is refused first.
 */
export function jsonSeparators(text: string, stopAt: number): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if ((c === COMMA || c === COLON) && ++count > stopAt) {
      return count;
    }
  }
  return count;
}

/** What the exception filter sees as the cause (a 400 with this code). */
export const TOO_MANY_VALUES = 'BODY_TOO_MANY_VALUES';

/** A 400 the Nest adapter maps to an HttpException with this error as its cause, as Fastify's own. */
function bodyError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'FastifyError', statusCode: 400, code });
}

/** Fastify's application/json parser, with the value count checked before parsing. */
export function parseJsonBody(_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void {
  if (jsonSeparators(body, 2 * MAX_INPUT_VALUES) > 2 * MAX_INPUT_VALUES) {
    done(bodyError(TOO_MANY_VALUES, `The body has more than ${MAX_INPUT_VALUES} values`));
    return;
  }
  if (body.length === 0) {
    done(bodyError('FST_ERR_CTP_EMPTY_JSON_BODY', 'Body cannot be empty when content-type is set to application/json'));
    return;
  }
  try {
    // A "__proto__" key becomes an own property here (no pollution); the validation pipe refuses it.
    done(null, JSON.parse(body));
  } catch {
    done(bodyError('FST_ERR_CTP_INVALID_JSON_BODY', 'The body is not valid JSON'));
  }
}

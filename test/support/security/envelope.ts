import type { Response } from 'supertest';
import { TEST_JWT_SECRET } from '../test-app.js';

/** Text that would show internals: stack frames, source paths, driver/SQL errors, secrets. */
const LEAKS: readonly RegExp[] = [
  /\n\s+at /,
  /\bat \S+ \(/,
  /\.(?:ts|js|mjs):\d+/,
  /node_modules/,
  /QueryFailedError|TypeORMError|EntityNotFound/,
  /syntax error at or near/i,
  /violates [\w ]*constraint/i,
  /duplicate key value/i,
  /relation "[^"]+"/,
  /password_hash/,
  /postgres(?:ql)?:\/\//i,
  /Maximum call stack/i,
  /"(?:stack|statusCode|sql|query|parameters)"\s*:/,
  new RegExp(TEST_JWT_SECRET),
];

export type ApiErrorBody = { code: string; message: string; request_id: string; [extra: string]: unknown };

/**
 * Asserts the exact status and code, and API.md's envelope `{error: {code, message, request_id}}`
 * with nothing else at the top level and nothing internal anywhere.
 */
export function expectApiError(res: Response, status: number, code: string): ApiErrorBody {
  expect({ status: res.status, code: (res.body as { error?: { code?: unknown } })?.error?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  // Browsers must never sniff an error (which may echo input) as HTML.
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(Object.keys(res.body as object)).toEqual(['error']);
  const error = (res.body as { error: ApiErrorBody }).error;
  expect(error).toEqual(expect.objectContaining({ code, message: expect.any(String), request_id: expect.any(String) }));
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.request_id).toBe(res.headers['x-request-id']);
  expectNoLeaks(res.text);
  if (code === 'VALIDATION_ERROR') {
    expect(Array.isArray(error.details)).toBe(true);
    expect((error.details as unknown[]).length).toBeGreaterThan(0);
    for (const d of error.details as unknown[]) expect(d).toEqual({ field: expect.any(String), issue: expect.any(String) });
  }
  if (code === 'PREMIUM_REQUIRED') expect(error.upgrade_url).toEqual(expect.any(String));
  return error;
}

/** Nothing internal (stack frames, paths, SQL, secrets) anywhere in a response's text. */
export function expectNoLeaks(text: string): void {
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
}

/** The fields a VALIDATION_ERROR names. */
export const detailFields = (error: ApiErrorBody): string[] => (error.details as { field: string }[]).map((d) => d.field);

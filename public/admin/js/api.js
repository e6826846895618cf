/*
 * The admin APIs as the dashboard calls them: the admin's bearer token on every request, no
 * caching, and the API's error envelope (API.md) turned into one readable message.
 */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the server could not be reached
   * @param {string | null} code the envelope's error code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

const UNREACHABLE = 'Could not reach the server. Check your connection and try again.';

/**
 * The API's error envelope as one readable line, with the field details when there are some.
 * @param {Response} res
 * @returns {Promise<ApiError>}
 */
export async function errorFrom(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: the status says it all.
  }
  const error = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : {};
  let message = typeof error.message === 'string' && error.message ? error.message : 'The server answered ' + res.status;
  const details = Array.isArray(error.details) ? error.details.map((d) => [d && d.field, d && d.issue].filter(Boolean).join(' ')).filter(Boolean) : [];
  if (details.length) message += ': ' + details.join('; ');
  return new ApiError(res.status, typeof error.code === 'string' ? error.code : null, message);
}

/**
 * GET with the bearer token; resolves with the response when it is 2xx, rejects with an ApiError otherwise.
 * @param {string} path
 * @param {{ token: string, accept?: string, signal?: AbortSignal }} options
 * @returns {Promise<Response>}
 */
export async function apiGet(path, options) {
  let res;
  try {
    res = await fetch(path, {
      headers: { Authorization: 'Bearer ' + options.token, Accept: options.accept || 'application/json' },
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', UNREACHABLE);
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

/**
 * GET, answered with JSON.
 * @param {string} path
 * @param {{ token: string, signal?: AbortSignal }} options
 * @returns {Promise<any>}
 */
export async function apiJson(path, options) {
  return (await apiGet(path, options)).json();
}

/**
 * POST /api/v1/auth/login: the access token.
 * @param {string} email
 * @param {string} password
 * @returns {Promise<string>}
 */
export async function logIn(email, password) {
  let res;
  try {
    res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email, password }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', UNREACHABLE);
  }
  if (!res.ok) throw await errorFrom(res);
  const body = await res.json().catch(() => null);
  if (!body || typeof body.access_token !== 'string') throw new ApiError(res.status, null, 'The server did not return a token.');
  return body.access_token;
}

/**
 * The query string of a report's date range.
 * @param {string} start
 * @param {string} end
 * @returns {string}
 */
export function rangeQuery(start, end) {
  return 'start_date=' + encodeURIComponent(start) + '&end_date=' + encodeURIComponent(end);
}

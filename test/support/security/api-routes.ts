import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { DEMO, type TestApp } from '../test-app.js';

/** Who may call a route: anyone, any signed-in student, an active premium student, an admin. */
export type Access = 'public' | 'student' | 'premium' | 'admin';

export type ApiRoute = {
  method: 'get' | 'post' | 'put' | 'delete';
  /** As written in API.md, with `:name` path parameters. */
  path: string;
  access: Access;
  /** The status the example gets from a caller with `access`. */
  ok: number;
  /** Example path parameters. */
  params?: Readonly<Record<string, string>>;
  /** Example query: every query parameter the route takes. */
  query?: Readonly<Record<string, string>>;
  /** Example body (a function: register needs a fresh email each time). */
  body?: () => Record<string, unknown>;
  /** Request headers the example needs besides Authorization. */
  headers?: Readonly<Record<string, string>>;
};

/** A keyset cursor of the shape the API hands out, pointing before any real row. */
export const EMPTY_CURSOR = Buffer.from(JSON.stringify(['2000-01-01T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
export const ADMIN_RANGE = { start_date: '2026-11-01', end_date: '2026-11-30' } as const;
export const GOOD_ANSWER =
  'RAG is the better choice when knowledge changes often or must be cited: documents are retrieved at query time, so answers stay current.';

/** Every route of ../shared/API.md. The security suite is driven from this one table. */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'get', path: '/api/v1/health', access: 'public', ok: 200 },
  {
    method: 'post',
    path: '/api/v1/auth/register',
    access: 'public',
    ok: 201,
    body: () => ({ email: `sec-${randomUUID()}@example.com`, password: 'longenough1', full_name: 'Sec Test' }),
  },
  { method: 'post', path: '/api/v1/auth/login', access: 'public', ok: 200, body: () => ({ ...DEMO.student }) },
  { method: 'get', path: '/api/v1/auth/me', access: 'student', ok: 200 },
  { method: 'get', path: '/api/v1/chapters', access: 'student', ok: 200 },
  { method: 'get', path: '/api/v1/chapters/:chapter_id', params: { chapter_id: '01-intro' }, access: 'student', ok: 200 },
  { method: 'get', path: '/api/v1/quizzes/:quiz_id', params: { quiz_id: '01-intro-quiz' }, access: 'student', ok: 200 },
  {
    method: 'post',
    path: '/api/v1/quizzes/:quiz_id/submit',
    params: { quiz_id: '01-intro-quiz' },
    body: () => ({ answers: { q1: 'a' } }),
    access: 'student',
    ok: 200,
  },
  { method: 'get', path: '/api/v1/progress', access: 'student', ok: 200 },
  { method: 'get', path: '/api/v1/progress/quiz-history', query: { limit: '5', cursor: EMPTY_CURSOR }, access: 'student', ok: 200 },
  { method: 'get', path: '/api/v1/glossary', query: { q: 'search' }, access: 'student', ok: 200 },
  { method: 'get', path: '/api/v1/glossary/:term', params: { term: 'context window' }, access: 'student', ok: 200 },

  { method: 'post', path: '/api/v2/adaptive/path', body: () => ({}), access: 'premium', ok: 200 },
  { method: 'get', path: '/api/v2/usage/quota', access: 'premium', ok: 200 },
  { method: 'get', path: '/api/v2/assessments/questions', access: 'premium', ok: 200 },
  {
    method: 'post',
    path: '/api/v2/assessments/submit',
    body: () => ({ question_id: '04-rag-q1', answer_text: GOOD_ANSWER }),
    access: 'premium',
    ok: 202,
  },
  // The example id belongs to nobody: the control test substitutes a submission of the caller's own.
  {
    method: 'get',
    path: '/api/v2/assessments/feedback/:submission_id',
    params: { submission_id: '00000000-0000-4000-8000-000000000000' },
    access: 'premium',
    ok: 200,
  },
  { method: 'post', path: '/api/v2/tutor/ask', body: () => ({ question: 'What is chunking in retrieval-augmented generation?' }), access: 'premium', ok: 200 },

  { method: 'post', path: '/api/v2/study/flashcards', body: () => ({ chapter_id: '03-embeddings' }), access: 'premium', ok: 200 },
  { method: 'post', path: '/api/v2/study/practice-quiz', body: () => ({ chapter_id: '03-embeddings' }), access: 'premium', ok: 200 },
  // The example id belongs to nobody: the control test substitutes a practice quiz of the caller's own.
  {
    method: 'post',
    path: '/api/v2/study/practice-quiz/:practice_id/submit',
    params: { practice_id: '00000000-0000-4000-8000-000000000000' },
    body: () => ({ answers: { p1: 'a' } }),
    access: 'premium',
    ok: 200,
  },
  { method: 'post', path: '/api/v2/study/summary', body: () => ({ chapter_id: '03-embeddings' }), access: 'premium', ok: 200 },

  { method: 'get', path: '/api/v2/admin/costs', query: { ...ADMIN_RANGE, group_by: 'feature' }, access: 'admin', ok: 200 },
  { method: 'get', path: '/api/v2/admin/costs/export', query: { ...ADMIN_RANGE, group_by: 'model' }, access: 'admin', ok: 200 },
  { method: 'get', path: '/api/v2/admin/flags', access: 'admin', ok: 200 },
  { method: 'get', path: '/api/v2/admin/flags/:feature', params: { feature: 'adaptive_paths' }, access: 'admin', ok: 200 },
  { method: 'put', path: '/api/v2/admin/flags/:feature', params: { feature: 'assessments' }, body: () => ({ enabled: true }), access: 'admin', ok: 200 },
  { method: 'get', path: '/api/v2/admin/metrics', query: { ...ADMIN_RANGE }, access: 'admin', ok: 200 },
  // The example id belongs to nobody: an admin gets past the guard to 404 NOT_FOUND, and nothing changes.
  {
    method: 'put',
    path: '/api/v2/admin/students/:student_id/subscription',
    params: { student_id: '00000000-0000-4000-8000-000000000000' },
    body: () => ({ subscription_tier: 'free' }),
    access: 'admin',
    ok: 404,
  },
];

const MCP_ACCEPT = { accept: 'application/json, text/event-stream' };

/**
 * The controller routes that are not REST operations, so not in the OpenAPI document: /mcp speaks
 * the Model Context Protocol (JSON-RPC over Streamable HTTP; stateless, so GET and DELETE answer
 * 405), /metrics the Prometheus text. The suite drives them too. (The dashboard's files under
 * /admin are a Fastify plugin of static files, tested with the dashboard.)
 */
export const NON_REST_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/mcp',
    access: 'student',
    ok: 200,
    headers: MCP_ACCEPT,
    body: () => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_progress', arguments: {} } }),
  },
  { method: 'get', path: '/mcp', access: 'student', ok: 405, headers: MCP_ACCEPT },
  { method: 'delete', path: '/mcp', access: 'student', ok: 405, headers: MCP_ACCEPT },
  { method: 'get', path: '/metrics', access: 'public', ok: 200 },
];

export const routeName = (r: ApiRoute): string => `${r.method.toUpperCase()} ${r.path}`;
export const PROTECTED_ROUTES = [...API_ROUTES, ...NON_REST_ROUTES].filter((r) => r.access !== 'public');
export const PREMIUM_ROUTES = API_ROUTES.filter((r) => r.access === 'premium');
export const ADMIN_ROUTES = API_ROUTES.filter((r) => r.access === 'admin');
export const BODY_ROUTES = API_ROUTES.filter((r) => r.body);

export type CallOptions = {
  auth?: string | undefined;
  /** Path parameters, percent-encoded into the path. */
  params?: Readonly<Record<string, string>>;
  /** Path parameters put into the path exactly as given (to send `..%2F` or `../` unchanged). */
  rawParams?: Readonly<Record<string, string>>;
  /** A query object, or a query string sent exactly as given. */
  query?: Readonly<Record<string, string>> | string;
  body?: string | object;
};

export function routeUrl(route: ApiRoute, o: CallOptions = {}): string {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const raw = o.rawParams?.[name];
    return raw ?? encodeURIComponent(o.params?.[name] ?? route.params?.[name] ?? '');
  });
  const query = o.query ?? route.query;
  const qs = typeof query === 'string' ? query : new URLSearchParams(query ?? {}).toString();
  return qs ? `${path}?${qs}` : path;
}

/** Calls a route with its example, overridden by `o`. */
export function callRoute(t: TestApp, route: ApiRoute, o: CallOptions = {}): Test {
  let req = t.http[route.method](routeUrl(route, o));
  if (route.headers) req = req.set(route.headers);
  if (o.auth !== undefined) req = req.set('authorization', o.auth);
  return route.method === 'get' ? req : req.send(o.body ?? route.body?.() ?? {});
}

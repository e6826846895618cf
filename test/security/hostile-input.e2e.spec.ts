import { monitorEventLoopDelay } from 'node:perf_hooks';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config.loader.js';
import { newStudent, quotaCounters } from '../support/security/accounts.js';
import { BODY_ROUTES, callRoute, GOOD_ANSWER, routeName, type ApiRoute } from '../support/security/api-routes.js';
import { expectNothingWritten } from '../support/security/db-snapshot.js';
import { expectApiError } from '../support/security/envelope.js';
import { signJwt } from '../support/security/tokens.js';
import { DEMO, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

type Auth = Record<ApiRoute['access'], string | undefined>;

/** Far above a normal request's loop time, far below the seconds an unbounded body took. */
const LOOP_BLOCK_LIMIT_MS = 250;
/** An error envelope that says what is wrong, not one line per offending key. */
const SHORT_ERROR_BYTES = 4096;

/** Runs `work` and returns the longest event-loop stall seen meanwhile (the app runs in this process). */
async function worstLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; worstMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await work();
    return { result, worstMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** The example's fields, or a real optional one for a body whose example is empty (adaptive path). */
const fieldsOf = (example: Record<string, unknown>): string[] => (Object.keys(example).length > 0 ? Object.keys(example) : ['force_refresh']);

const manyKeys = (n: number, value: unknown = 'a'): Record<string, unknown> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value]));

describe('hostile shapes and bytes under the body limit', () => {
  let t: TestApp;
  let auth: Auth;

  beforeAll(async () => {
    t = await startTestApp();
    auth = {
      public: undefined,
      student: await t.login(DEMO.student.email, DEMO.student.password),
      premium: (await newStudent(t, 'premium')).auth,
      admin: await t.login(DEMO.admin.email, DEMO.admin.password),
    };
  });
  afterAll(() => t.close());

  const db = () => t.app.get(DataSource);

  it('a quiz submission with 50,000 answer keys: a short 400 at once, the loop never blocked', async () => {
    const body = { answers: manyKeys(50_000) };
    expect(JSON.stringify(body).length).toBeLessThan(t.config.BODY_LIMIT);
    await expectNothingWritten(db(), async () => {
      const { result, worstMs } = await worstLoopDelay(async () => {
        const [res, health] = await Promise.all([
          t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth.student!).send(body),
          t.http.get('/api/v1/health'),
        ]);
        return { res, health };
      });
      process.stderr.write(`50k answer keys: loop blocked ${worstMs.toFixed(0)} ms, error ${result.res.text.length} bytes\n`);
      expectApiError(result.res, 400, 'VALIDATION_ERROR');
      expect(result.res.text.length).toBeLessThan(SHORT_ERROR_BYTES);
      expect(result.health.status).toBe(200);
      expect(worstMs).toBeLessThan(LOOP_BLOCK_LIMIT_MS);
    });
  });

  const absurd: [string, (example: Record<string, unknown>) => unknown][] = [
    ['50,000 unknown fields', (example) => ({ ...example, ...manyKeys(50_000) })],
    ['an array of 100,000 numbers in every field', (example) => Object.fromEntries(fieldsOf(example).map((k) => [k, Array.from({ length: 100_000 }, () => 1)]))],
    ['600 KB of string over its fields', (example) => Object.fromEntries(fieldsOf(example).map((k, _i, all) => [k, 'a'.repeat(Math.floor(600_000 / all.length))]))],
    ['20,000 nested objects', (example) => ({ ...example, [fieldsOf(example)[0]!]: Array.from({ length: 20_000 }, () => ({ a: { b: 1 } })) })],
  ];
  it.each(BODY_ROUTES.flatMap((r) => absurd.map(([name, make]) => [`${routeName(r)}: ${name}`, r, make] as const)))(
    '%s: a short 400, the loop never blocked, nothing written',
    async (_label, route, make) => {
      const body = make(route.body!());
      await expectNothingWritten(db(), async () => {
        const { result: res, worstMs } = await worstLoopDelay(async () => callRoute(t, route, { auth: auth[route.access], body: body as object }));
        expectApiError(res, 400, 'VALIDATION_ERROR');
        expect(res.text.length).toBeLessThan(SHORT_ERROR_BYTES);
        expect(worstMs).toBeLessThan(LOOP_BLOCK_LIMIT_MS);
      });
    },
  );

  const NUL = 'a\u0000b';
  const hostileBytes: [string, ApiRoute['path'], (base: Record<string, unknown>) => Record<string, unknown>][] = [
    ['NUL in the register email', '/api/v1/auth/register', (b) => ({ ...b, email: `x${NUL}@example.com` })],
    ['NUL in the register full_name', '/api/v1/auth/register', (b) => ({ ...b, full_name: NUL })],
    ['NUL in the register password', '/api/v1/auth/register', (b) => ({ ...b, password: `longenough${NUL}` })],
    ['NUL in the login email', '/api/v1/auth/login', (b) => ({ ...b, email: `test${NUL}@example.com` })],
    ['NUL in an answer_text', '/api/v2/assessments/submit', (b) => ({ ...b, answer_text: `${GOOD_ANSWER} ${NUL}` })],
    ['a lone surrogate in the register email', '/api/v1/auth/register', (b) => ({ ...b, email: `x\ud800@example.com` })],
    ['a lone surrogate in an answer_text', '/api/v2/assessments/submit', (b) => ({ ...b, answer_text: `${GOOD_ANSWER} \udc00` })],
    ['NUL in a quiz answer key', '/api/v1/quizzes/:quiz_id/submit', () => ({ answers: { [`q1${NUL}`]: 'a' } })],
  ];
  it.each(hostileBytes)('%s: 400 VALIDATION_ERROR, nothing written, no unit spent', async (_label, path, make) => {
    const route = BODY_ROUTES.find((r) => r.path === path)!;
    const quota = await quotaCounters(t);
    await expectNothingWritten(db(), async () => {
      const res = await callRoute(t, route, { auth: auth[route.access], body: make(route.body!()) });
      expectApiError(res, 400, 'VALIDATION_ERROR');
    });
    expect(await quotaCounters(t)).toEqual(quota);
  });

  it.each([
    ['constructor', { constructor: 'x' }],
    ['prototype', { prototype: { polluted: true } }],
    ['constructor.prototype', { constructor: { prototype: { polluted: true } } }],
  ])('a "%s" field is an unknown field on every body: 400, nothing written', async (_label, extra) => {
    for (const route of BODY_ROUTES) {
      await expectNothingWritten(db(), async () => {
        const res = await callRoute(t, route, { auth: auth[route.access], body: { ...route.body!(), ...extra } });
        expectApiError(res, 400, 'VALIDATION_ERROR');
      });
    }
  });

  it('a "__proto__" key is refused on every body (raw JSON, as a client would send it)', async () => {
    for (const route of BODY_ROUTES) {
      const raw = JSON.stringify(route.body!()).replace(/^\{/, '{"__proto__":{"role":"admin"},');
      let req = t.http[route.method](route.path.replace(/:(\w+)/g, (_, name: string) => route.params![name]!)).set('content-type', 'application/json');
      if (auth[route.access]) req = req.set('authorization', auth[route.access]!);
      await expectNothingWritten(db(), async () => {
        expectApiError(await req.send(raw), 400, 'VALIDATION_ERROR');
      });
    }
  });

  it('a URL over 16 KB answers 414 or 431 in the error envelope', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: `/api/v1/chapters?q=${'a'.repeat(17_000)}`, headers: { authorization: auth.student! } }, (r) => {
        let text = '';
        r.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: r.statusCode!, headers: r.headers, text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect([414, 431]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(res.text) as { error: { code: string; message: string; request_id: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String), request_id: expect.any(String) });
    expect(body.error.request_id).toBe(res.headers['x-request-id']);
  });

  it('a correctly signed token without exp is refused', async () => {
    const me = await t.http.get('/api/v1/auth/me').set('authorization', auth.student!).expect(200);
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ alg: 'HS256', typ: 'JWT' }, { sub: me.body.student_id, role: 'student', iss: 'course-companion', iat: now });
    expectApiError(await t.http.get('/api/v1/auth/me').set('authorization', `Bearer ${token}`), 401, 'UNAUTHORIZED');
  });
});

describe('/metrics in production', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://app@db.internal:5432/app',
    JWT_SECRET_KEY: TEST_JWT_SECRET,
  };

  it('refuses to boot without METRICS_TOKEN, naming the variable and not echoing secrets', () => {
    expect(() => loadConfig(production)).toThrow(/METRICS_TOKEN/);
    try {
      loadConfig(production);
    } catch (error) {
      expect((error as Error).message).not.toContain(TEST_JWT_SECRET);
    }
    expect(loadConfig({ ...production, METRICS_TOKEN: 'a-scrape-token-of-decent-length-0000' }).METRICS_TOKEN).toBe('a-scrape-token-of-decent-length-0000');
  });
});

import { DataSource } from 'typeorm';
import { type Account, newStudent, quotaCounters } from '../support/security/accounts.js';
import { ADMIN_RANGE, API_ROUTES, callRoute, routeName, type ApiRoute } from '../support/security/api-routes.js';
import { expectNothingWritten } from '../support/security/db-snapshot.js';
import { detailFields, expectApiError } from '../support/security/envelope.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

/** Sent percent-encoded: the route sees exactly this string. */
const SQL = [
  "' OR '1'='1",
  "1' OR 1=1--",
  '1; DROP TABLE students;--',
  "'; DELETE FROM quiz_results; --",
  "x' UNION SELECT password_hash FROM students--",
  "1'; SELECT pg_sleep(5)--",
  '%27',
  '" OR ""="',
  '\\',
  '\u0000',
];
const TRAVERSAL = ['../../etc/passwd', '..\\..\\windows\\win.ini', '....//....//etc/passwd', '/etc/passwd', 'file:///etc/passwd'];
/** Sent as they are, inside one path segment: the server decodes them into `../` and the like. */
const RAW_SEGMENT = ['%27', '%27%20OR%20%271%27%3D%271', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2e%2e%5c%2e%2e%5cwindows', '..%252F..%252Fetc%252Fpasswd', '%00'];
/** Sent as they are, spanning segments: no route has this shape. */
const RAW_PATH = ['../../etc/passwd', '../../../../../../etc/passwd', '..;/..;/etc/passwd'];

let t: TestApp;
let db: DataSource;
let premium: Account;
let auth: Record<ApiRoute['access'], string | undefined>;

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
  premium = await newStudent(t, 'premium');
  auth = {
    public: undefined,
    student: await t.login(DEMO.student.email, DEMO.student.password),
    premium: premium.auth,
    admin: await t.login(DEMO.admin.email, DEMO.admin.password),
  };
  // Something for a successful injection to leak or destroy.
  await t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth.student!).send({ answers: { q1: 'a' } }).expect(200);
});
afterAll(() => t.close());

const outcome = (label: string, res: { status: number; body: unknown }) => ({
  label,
  status: res.status,
  code: (res.body as { error?: { code?: string } }).error?.code,
});

const paramCases = API_ROUTES.flatMap((route) => Object.keys(route.params ?? {}).map((param) => [`${routeName(route)} :${param}`, route, param] as const));
const queryCases = API_ROUTES.flatMap((route) => Object.keys(route.query ?? {}).map((key) => [`${routeName(route)} ?${key}`, route, key] as const));

describe('SQL and path traversal in path parameters', () => {
  it.each(paramCases)('%s: 400 VALIDATION_ERROR naming the parameter, or 404 when the path no longer fits the route', async (_name, route, param) => {
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const cases = [
        ...[...SQL, ...TRAVERSAL].map((v) => ({ label: `encoded ${JSON.stringify(v)}`, o: { params: { [param]: v } }, status: 400, code: 'VALIDATION_ERROR' })),
        ...RAW_SEGMENT.map((v) => ({ label: `raw ${v}`, o: { rawParams: { [param]: v } }, status: 400, code: 'VALIDATION_ERROR' })),
        ...RAW_PATH.map((v) => ({ label: `raw ${v}`, o: { rawParams: { [param]: v } }, status: 404, code: 'NOT_FOUND' })),
      ];
      const responses = await Promise.all(cases.map((c) => callRoute(t, route, { auth: auth[route.access], ...c.o })));
      expect(responses.map((res, i) => outcome(cases[i]!.label, res))).toEqual(cases.map((c) => ({ label: c.label, status: c.status, code: c.code })));
      responses.forEach((res, i) => {
        const error = expectApiError(res, cases[i]!.status, cases[i]!.code);
        if (cases[i]!.status === 400) expect(detailFields(error)).toEqual([param]);
      });
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });

  it('well-formed ids that do not exist are 404 NOT_FOUND', async () => {
    await expectNothingWritten(db, async () => {
      const missing = [
        t.http.get('/api/v1/chapters/99-no-such-chapter').set('authorization', auth.student!),
        t.http.get('/api/v1/quizzes/99-no-such-quiz').set('authorization', auth.student!),
        t.http.get('/api/v1/glossary/no-such-term').set('authorization', auth.student!),
        t.http.post('/api/v1/quizzes/99-no-such-quiz/submit').set('authorization', auth.student!).send({ answers: { q1: 'a' } }),
        t.http.get('/api/v2/assessments/feedback/00000000-0000-4000-8000-000000000000').set('authorization', auth.premium!),
      ];
      for (const res of await Promise.all(missing)) expectApiError(res, 404, 'NOT_FOUND');
    });
  });

  it('a URL that is not valid percent-encoding is 400 VALIDATION_ERROR in the API envelope', async () => {
    await expectNothingWritten(db, async () => {
      for (const url of ['/api/v1/chapters/%E0%A4%A', '/api/v1/chapters/%', '/api/v2/admin/flags/%C0%AF']) {
        expectApiError(await t.http.get(url).set('authorization', auth.admin!), 400, 'VALIDATION_ERROR');
      }
    });
  });
});

describe('SQL and path traversal in query parameters', () => {
  it.each(queryCases)('%s: 400 VALIDATION_ERROR naming the parameter', async (_name, route, key) => {
    await expectNothingWritten(db, async () => {
      const values = [...SQL, ...TRAVERSAL];
      const cases = [
        ...values.map((v) => ({ label: JSON.stringify(v), query: new URLSearchParams({ ...route.query, [key]: v }).toString() })),
        // The literal sequences, not re-encoded by the client.
        ...['%27', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '%00'].map((v) => ({
          label: `raw ${v}`,
          query: new URLSearchParams({ ...route.query, [key]: 'PLACEHOLDER' }).toString().replace('PLACEHOLDER', v),
        })),
        // Parameter pollution: the same key twice.
        { label: 'repeated', query: `${new URLSearchParams(route.query).toString()}&${key}=${encodeURIComponent("' OR '1'='1")}` },
      ];
      const responses = await Promise.all(cases.map((c) => callRoute(t, route, { auth: auth[route.access], query: c.query })));
      expect(responses.map((res, i) => outcome(cases[i]!.label, res))).toEqual(cases.map((c) => ({ label: c.label, status: 400, code: 'VALIDATION_ERROR' })));
      for (const res of responses) expect(detailFields(expectApiError(res, 400, 'VALIDATION_ERROR'))).toContain(key);
    });
  });

  const withQuery = API_ROUTES.filter((r) => r.query);
  it.each(withQuery.map((r) => [routeName(r), r] as const))('%s: an unknown parameter (window, student_id, an SQL name) is 400 VALIDATION_ERROR', async (_name, route) => {
    await expectNothingWritten(db, async () => {
      for (const key of ['window', 'student_id', "limit' OR '1'='1"]) {
        const res = await callRoute(t, route, { auth: auth[route.access], query: { ...route.query, [key]: "' OR '1'='1" } });
        expect(expectApiError(res, 400, 'VALIDATION_ERROR').details).toContainEqual({ field: key, issue: `property ${key} should not exist` });
      }
    });
  });

  it('routes that take no query parameters ignore hostile ones: same answer, nothing written', async () => {
    // Not health (its answer carries a timestamp) nor feedback (its example id is nobody's).
    const routes = API_ROUTES.filter((r) => r.method === 'get' && !r.query && r.path !== '/api/v1/health' && !r.path.endsWith(':submission_id'));
    const hostile = { id: "' OR '1'='1", window: '1; DROP TABLE students;--', file: '../../etc/passwd', student_id: '%27' };
    await expectNothingWritten(db, async () => {
      for (const route of routes) {
        const [clean, dirty] = await Promise.all([callRoute(t, route, { auth: auth[route.access] }), callRoute(t, route, { auth: auth[route.access], query: hostile })]);
        expect({ route: routeName(route), status: dirty.status }).toEqual({ route: routeName(route), status: route.ok });
        expect(dirty.body).toEqual(clean.body);
      }
    });
  });

  it('a cursor of the right shape with an impossible time or id is 400 VALIDATION_ERROR naming cursor', async () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const uuid = '00000000-0000-4000-8000-000000000000';
    const cursors = [
      enc(['2026-13-45T99:99:99.000000Z', uuid]),
      enc(['0000-00-00T00:00:00.000000Z', uuid]),
      enc(['2026-11-01T00:00:00.000000Z', "' OR '1'='1"]),
      enc(["2026-11-01' OR '1'='1", uuid]),
      enc({ completed_at: '2026-11-01T00:00:00.000000Z', result_id: uuid }),
      enc(['2026-11-01T00:00:00.000000Z', uuid, 'extra']),
      enc([['nested'], uuid]),
      enc(12),
      '!!!',
    ];
    await expectNothingWritten(db, async () => {
      const responses = await Promise.all(cursors.map((cursor) => t.http.get('/api/v1/progress/quiz-history').query({ cursor }).set('authorization', auth.student!)));
      expect(responses.map((res, i) => outcome(cursors[i]!, res))).toEqual(cursors.map((c) => ({ label: c, status: 400, code: 'VALIDATION_ERROR' })));
      for (const res of responses) expect(detailFields(expectApiError(res, 400, 'VALIDATION_ERROR'))).toEqual(['cursor']);
    });
  });

  it.each([
    ['/api/v2/admin/costs', 'start_date'],
    ['/api/v2/admin/costs', 'end_date'],
    ['/api/v2/admin/costs/export', 'start_date'],
    ['/api/v2/admin/metrics', 'start_date'],
    ['/api/v2/admin/metrics', 'end_date'],
  ])('%s: an impossible calendar date in %s is 400 VALIDATION_ERROR naming it', async (path, key) => {
    await expectNothingWritten(db, async () => {
      for (const value of ['2026-13-45', '2026-02-30', '0000-00-00']) {
        const res = await t.http.get(path).query({ ...ADMIN_RANGE, [key]: value }).set('authorization', auth.admin!);
        expect({ value, status: res.status }).toEqual({ value, status: 400 });
        expect(detailFields(expectApiError(res, 400, 'VALIDATION_ERROR'))).toEqual([key]);
      }
    });
  });
});

describe('SQL in body fields is data', () => {
  it('is refused by validation where the field has a shape, and never reaches SQL as code', async () => {
    const sql = "' OR '1'='1' --";
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const login = await t.http.post('/api/v1/auth/login').send({ email: sql, password: sql });
      expectApiError(login, 401, 'UNAUTHORIZED');
      const adminLogin = await t.http.post('/api/v1/auth/login').send({ email: `${DEMO.admin.email}'--`, password: 'x' });
      expectApiError(adminLogin, 401, 'UNAUTHORIZED');
      const cases: [ReturnType<typeof t.http.post>, string][] = [
        [t.http.post('/api/v1/auth/register').send({ email: `a${sql}@example.com`, password: 'longenough1', full_name: 'X' }), 'email'],
        [t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth.student!).send({ answers: { [sql]: 'a' } }), `answers.${sql}`],
        [t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth.student!).send({ answers: { q1: sql } }), 'answers.q1'],
        [t.http.post('/api/v2/assessments/submit').set('authorization', auth.premium!).send({ question_id: sql, answer_text: 'x' }), 'question_id'],
        [t.http.put('/api/v2/admin/flags/assessments').set('authorization', auth.admin!).send({ variants: [{ name: sql, weight: 100 }] }), 'variants.0.name'],
      ];
      for (const [req, field] of cases) expect(detailFields(expectApiError(await req, 400, 'VALIDATION_ERROR'))).toContain(field);
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });

  it('is stored and returned verbatim where free text is allowed', async () => {
    const name = "Robert'); DROP TABLE students;--";
    const res = await t.http.post('/api/v1/auth/register').send({ email: 'bobby-tables@example.com', password: 'longenough1', full_name: name }).expect(201);
    expect(res.body.full_name).toBe(name);
    const me = await t.http.get('/api/v1/auth/me').set('authorization', await t.login('bobby-tables@example.com', 'longenough1')).expect(200);
    expect(me.body.full_name).toBe(name);
    const [row] = await db.query('SELECT count(*)::int AS n FROM students WHERE full_name = $1', [name]);
    expect(row.n).toBe(1);
  });
});

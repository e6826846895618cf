import { DataSource } from 'typeorm';
import { newStudent, quotaCounters } from '../support/security/accounts.js';
import { BODY_ROUTES, callRoute, routeName, routeUrl, type ApiRoute } from '../support/security/api-routes.js';
import { expectNothingWritten } from '../support/security/db-snapshot.js';
import { detailFields, expectApiError } from '../support/security/envelope.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

type Auth = Record<ApiRoute['access'], string | undefined>;

async function callers(t: TestApp): Promise<Auth> {
  return {
    public: undefined,
    student: await t.login(DEMO.student.email, DEMO.student.password),
    premium: (await newStudent(t, 'premium')).auth,
    admin: await t.login(DEMO.admin.email, DEMO.admin.password),
  };
}

/** A body sent exactly as given, with the given content type. */
function sendRaw(t: TestApp, route: ApiRoute, auth: Auth, body: string | Buffer, type: string) {
  let req = t.http[route.method](routeUrl(route)).set('content-type', type);
  if (auth[route.access]) req = req.set('authorization', auth[route.access]!);
  return req.send(body);
}

/** `{answers: {q1: 'a'}}` as `answers[q1]=a`: what an HTML form would post. */
function formEncode(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}[${k}]` : k;
    return v !== null && typeof v === 'object' ? formEncode(v as Record<string, unknown>, key) : [`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`];
  });
}

/** A wrongly accepted submission is graded in the background: let it finish so later snapshots hold still. */
async function settleGrading(db: DataSource): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM assessment_submissions WHERE status = 'pending'`);
    // The grader records the request just after marking the submission graded.
    await new Promise((r) => setTimeout(r, row.n === 0 ? 300 : 50));
    if (row.n === 0) return;
  }
}

const named = BODY_ROUTES.map((r) => [routeName(r), r] as const);
const outcome = (label: string, res: { status: number; body: unknown }) => ({
  label,
  status: res.status,
  code: (res.body as { error?: { code?: string } }).error?.code,
});

/** Per route: bodies of the wrong types, a huge string, and the field a deep nest goes into. */
const SHAPES: Record<string, { wrongTypes: Record<string, unknown>; wrongFields: string[]; huge: Record<string, unknown>; hugeField: string; nestIn: (deep: string) => string }> = {
  '/api/v1/auth/register': {
    wrongTypes: { email: 5, password: true, full_name: ['x'] },
    wrongFields: ['email', 'password', 'full_name'],
    huge: { email: 'huge@example.com', password: 'longenough1', full_name: 'x'.repeat(500_000) },
    hugeField: 'full_name',
    nestIn: (deep) => `{"email":"deep@example.com","password":"longenough1","full_name":${deep}}`,
  },
  '/api/v1/auth/login': {
    wrongTypes: { email: { $ne: null }, password: { $gt: '' } },
    wrongFields: ['email', 'password'],
    huge: { email: DEMO.student.email, password: 'p'.repeat(500_000) },
    hugeField: 'password',
    nestIn: (deep) => `{"email":${deep},"password":"x"}`,
  },
  '/api/v1/quizzes/:quiz_id/submit': {
    wrongTypes: { answers: ['a', 'b'] },
    wrongFields: ['answers'],
    huge: { answers: { q1: 'a'.repeat(500_000) } },
    hugeField: 'answers.q1',
    nestIn: (deep) => `{"answers":{"q1":${deep}}}`,
  },
  '/api/v2/adaptive/path': {
    wrongTypes: { force_refresh: 'yes', include_reasoning: 1 },
    wrongFields: ['force_refresh', 'include_reasoning'],
    huge: { force_refresh: 't'.repeat(500_000) },
    hugeField: 'force_refresh',
    nestIn: (deep) => `{"force_refresh":${deep}}`,
  },
  '/api/v2/assessments/submit': {
    wrongTypes: { question_id: 42, answer_text: { text: 'x' } },
    wrongFields: ['question_id', 'answer_text'],
    huge: { question_id: '04-rag-q1', answer_text: 'x'.repeat(500_000) },
    hugeField: 'answer_text',
    nestIn: (deep) => `{"question_id":"04-rag-q1","answer_text":${deep}}`,
  },
  '/api/v2/tutor/ask': {
    wrongTypes: { question: 42, conversation_id: 7 },
    wrongFields: ['question', 'conversation_id'],
    huge: { question: 'q'.repeat(500_000) },
    hugeField: 'question',
    nestIn: (deep) => `{"question":${deep}}`,
  },
  '/api/v2/study/flashcards': {
    wrongTypes: { chapter_id: 42, count: '10' },
    wrongFields: ['chapter_id', 'count'],
    huge: { chapter_id: 'c'.repeat(500_000) },
    hugeField: 'chapter_id',
    nestIn: (deep) => `{"chapter_id":"03-embeddings","count":${deep}}`,
  },
  '/api/v2/study/practice-quiz': {
    wrongTypes: { chapter_id: ['03-embeddings'], count: true },
    wrongFields: ['chapter_id', 'count'],
    huge: { chapter_id: 'c'.repeat(500_000), count: 5 },
    hugeField: 'chapter_id',
    nestIn: (deep) => `{"chapter_id":${deep}}`,
  },
  '/api/v2/study/practice-quiz/:practice_id/submit': {
    wrongTypes: { answers: 'p1=a' },
    wrongFields: ['answers'],
    huge: { answers: { p1: 'a'.repeat(500_000) } },
    hugeField: 'answers.p1',
    nestIn: (deep) => `{"answers":{"p1":${deep}}}`,
  },
  '/api/v2/study/summary': {
    wrongTypes: { chapter_id: { $ne: null } },
    wrongFields: ['chapter_id'],
    huge: { chapter_id: 'c'.repeat(500_000) },
    hugeField: 'chapter_id',
    nestIn: (deep) => `{"chapter_id":${deep}}`,
  },
  '/api/v2/admin/flags/:feature': {
    wrongTypes: { enabled: 'true', rollout_percentage: '50' },
    wrongFields: ['enabled', 'rollout_percentage'],
    huge: { variants: [{ name: 'v'.repeat(500_000), weight: 100 }] },
    hugeField: 'variants.0.name',
    nestIn: (deep) => `{"variants":[${deep}]}`,
  },
  '/api/v2/admin/students/:student_id/subscription': {
    wrongTypes: { subscription_tier: 5, subscription_expires_at: true },
    wrongFields: ['subscription_tier', 'subscription_expires_at'],
    huge: { subscription_tier: 'p'.repeat(500_000) },
    hugeField: 'subscription_tier',
    nestIn: (deep) => `{"subscription_tier":"premium","subscription_expires_at":${deep}}`,
  },
};
const shape = (r: ApiRoute) => SHAPES[r.path]!;

describe('with the default body limit', () => {
  let t: TestApp;
  let db: DataSource;
  let auth: Auth;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    auth = await callers(t);
  });
  afterAll(() => t.close());

  describe('mass assignment on register', () => {
    const privileged = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM students WHERE role = 'admin' OR subscription_tier = 'premium' OR subscription_expires_at IS NOT NULL`))[0].n;

    it.each([
      [{ role: 'admin' }],
      [{ subscription_tier: 'premium' }],
      [{ student_id: '00000000-0000-4000-8000-00000000a0a0' }],
      [{ subscription_expires_at: '2099-01-01T00:00:00Z' }],
      [{ role: 'admin', subscription_tier: 'premium', student_id: '00000000-0000-4000-8000-00000000a0a0', subscription_expires_at: '2099-01-01T00:00:00Z' }],
    ])('%j is refused with 400 VALIDATION_ERROR naming each field, and no account is created', async (extra) => {
      const email = `mass-${Object.keys(extra).join('-')}@example.com`.replaceAll('_', '');
      const before = await privileged();
      await expectNothingWritten(db, async () => {
        const res = await t.http.post('/api/v1/auth/register').send({ email, password: 'longenough1', full_name: 'Mass', ...extra });
        const error = expectApiError(res, 400, 'VALIDATION_ERROR');
        expect(error.details).toEqual(Object.keys(extra).map((field) => ({ field, issue: `property ${field} should not exist` })));
      });
      expect(await privileged()).toBe(before);
      expect(await db.query('SELECT 1 FROM students WHERE email = $1 OR student_id = $2', [email, '00000000-0000-4000-8000-00000000a0a0'])).toHaveLength(0);
      await t.http.post('/api/v1/auth/login').send({ email, password: 'longenough1' }).expect(401);
    });

    it('a __proto__ or constructor.prototype payload is refused, and grants nothing', async () => {
      const before = await privileged();
      await expectNothingWritten(db, async () => {
        for (const [sneak, field] of [
          ['"__proto__":{"role":"admin","subscription_tier":"premium"}', '__proto__'],
          ['"constructor":{"prototype":{"role":"admin"}}', 'constructor'],
        ]) {
          const res = await sendRaw(t, BODY_ROUTES[0]!, auth, `{"email":"proto@example.com","password":"longenough1","full_name":"P",${sneak}}`, 'application/json');
          expect(expectApiError(res, 400, 'VALIDATION_ERROR').details).toEqual([{ field, issue: 'is not allowed' }]);
        }
      });
      expect(await privileged()).toBe(before);
    });

    it('extra fields on the other write routes are refused the same way', async () => {
      const quotas = await quotaCounters(t);
      await expectNothingWritten(db, async () => {
        const cases: [ApiRoute, Record<string, unknown>, string][] = BODY_ROUTES.filter((r) => r.path !== '/api/v1/auth/register').map((r) => {
          const field = { 'POST /api/v1/auth/login': 'role', 'POST /api/v2/adaptive/path': 'decision_source', 'POST /api/v2/assessments/submit': 'score' }[routeName(r)] ?? 'student_id';
          return [r, { ...r.body!(), [field]: field === 'score' ? 10 : 'x' }, field];
        });
        for (const [route, body, field] of cases) {
          const res = await callRoute(t, route, { auth: auth[route.access], body });
          expect(expectApiError(res, 400, 'VALIDATION_ERROR').details).toContainEqual({ field, issue: `property ${field} should not exist` });
        }
      });
      expect(await quotaCounters(t)).toEqual(quotas);
    });
  });

  describe('malformed bodies', () => {
    it.each(named)('%s: bad JSON, wrong content types, non-objects, wrong types and huge strings are 400 VALIDATION_ERROR', async (_name, route) => {
      const example = JSON.stringify(route.body!());
      const unreadable = { field: 'body', issue: 'is not valid JSON' };
      const notObject = { field: 'body', issue: 'must be a JSON object' };
      const notJson = { field: 'body', issue: 'must be sent as application/json' };
      const cases: { label: string; body: string; type: string; details?: object[]; fields?: string[] }[] = [
        { label: 'truncated JSON', body: example.slice(0, -1), type: 'application/json', details: [unreadable] },
        { label: 'trailing garbage', body: `${example} x`, type: 'application/json', details: [unreadable] },
        { label: 'single quotes', body: "{'force_refresh': true}", type: 'application/json', details: [unreadable] },
        { label: 'empty JSON body', body: '', type: 'application/json', details: [unreadable] },
        { label: 'array', body: `[${example}]`, type: 'application/json', details: [notObject] },
        { label: 'string', body: JSON.stringify(example), type: 'application/json', details: [notObject] },
        { label: 'number', body: '42', type: 'application/json', details: [notObject] },
        { label: 'null', body: 'null', type: 'application/json', details: [notObject] },
        { label: 'text/plain', body: example, type: 'text/plain', details: [notJson] },
        { label: 'xml', body: '<body><email>a@b.co</email></body>', type: 'application/xml', details: [notJson] },
        { label: 'multipart', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n', type: 'multipart/form-data; boundary=x', details: [notJson] },
        { label: 'wrong types', body: JSON.stringify(shape(route).wrongTypes), type: 'application/json', fields: shape(route).wrongFields },
        { label: 'huge string', body: JSON.stringify(shape(route).huge), type: 'application/json', fields: [shape(route).hugeField] },
      ];
      const quotas = await quotaCounters(t);
      await expectNothingWritten(db, async () => {
        const responses = [];
        for (const c of cases) responses.push(await sendRaw(t, route, auth, c.body, c.type));
        expect(responses.map((res, i) => outcome(cases[i]!.label, res))).toEqual(cases.map((c) => ({ label: c.label, status: 400, code: 'VALIDATION_ERROR' })));
        responses.forEach((res, i) => {
          const { details, fields } = cases[i]!;
          const error = expectApiError(res, 400, 'VALIDATION_ERROR');
          if (details) expect(error.details).toEqual(details);
          if (fields) expect(detailFields(error)).toEqual(expect.arrayContaining(fields));
        });
      });
      expect(await quotaCounters(t)).toEqual(quotas);
    });

    it('a form post of each valid example is 400 VALIDATION_ERROR: the API takes JSON only', async () => {
      // A cross-site HTML form can post urlencoded bodies without a CORS preflight (login CSRF, forced sign-ups).
      const quotas = await quotaCounters(t);
      try {
        await expectNothingWritten(db, async () => {
          const responses = [];
          for (const [, route] of named) responses.push(await sendRaw(t, route, auth, formEncode(route.body!()).join('&'), 'application/x-www-form-urlencoded'));
          expect(responses.map((res, i) => outcome(named[i]![0], res))).toEqual(named.map(([name]) => ({ label: name, status: 400, code: 'VALIDATION_ERROR' })));
          for (const res of responses) expectApiError(res, 400, 'VALIDATION_ERROR');
        });
        expect(await quotaCounters(t)).toEqual(quotas);
      } finally {
        await settleGrading(db);
      }
    });

    it('deeply nested JSON (10 000 levels, about 50 KB) is 400 VALIDATION_ERROR on every write route, never a crash', async () => {
      const deepObject = `${'{"a":'.repeat(10_000)}"x"${'}'.repeat(10_000)}`;
      const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const quotas = await quotaCounters(t);
      await expectNothingWritten(db, async () => {
        const cases = named.flatMap(([name, route]) => [
          { label: `${name} object`, route, body: shape(route).nestIn(deepObject) },
          { label: `${name} array`, route, body: shape(route).nestIn(deepArray) },
        ]);
        const responses = [];
        for (const c of cases) responses.push(await sendRaw(t, c.route, auth, c.body, 'application/json'));
        expect(responses.map((res, i) => outcome(cases[i]!.label, res))).toEqual(cases.map((c) => ({ label: c.label, status: 400, code: 'VALIDATION_ERROR' })));
        for (const res of responses) expectApiError(res, 400, 'VALIDATION_ERROR');
      });
      expect(await quotaCounters(t)).toEqual(quotas);
      // Still serving.
      await t.http.get('/api/v1/health').expect(200);
    });
  });

  describe('stored text is data, not markup', () => {
    const NAME = '<script>alert(1)</script><img src=x onerror=alert(2)>';

    it('a full_name with markup is stored and returned verbatim, as JSON text', async () => {
      const reg = await t.http.post('/api/v1/auth/register').send({ email: 'markup@example.com', password: 'longenough1', full_name: NAME }).expect(201);
      expect(reg.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reg.body.full_name).toBe(NAME);
      const me = await t.http.get('/api/v1/auth/me').set('authorization', await t.login('markup@example.com', 'longenough1')).expect(200);
      expect(me.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(me.headers['x-content-type-options']).toBe('nosniff');
      // Verbatim: neither stripped nor HTML-escaped; a JSON string, never a document.
      expect(me.body.full_name).toBe(NAME);
      expect(me.text).toContain(JSON.stringify(NAME));
      expect(me.text.startsWith('{')).toBe(true);
      const [row] = await db.query('SELECT full_name FROM students WHERE email = $1', ['markup@example.com']);
      expect(row.full_name).toBe(NAME);
    });

    it('the /admin page is served with a CSP that forbids inline script', async () => {
      const res = await t.http.get('/admin').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const csp = String(res.headers['content-security-policy'] ?? '');
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((d) => d[0])
          .map(([name, ...values]) => [name!.toLowerCase(), values] as const),
      );
      const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
      expect(scriptSrc).toBeDefined();
      for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'http:', 'https:']) expect(scriptSrc).not.toContain(unsafe);
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
  });
});

describe('with BODY_LIMIT=2048', () => {
  let t: TestApp;
  let db: DataSource;
  let auth: Auth;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT: '2048' });
    db = t.app.get(DataSource);
    auth = await callers(t);
  });
  afterAll(() => t.close());

  it.each(named)('%s: a body over the limit is 413 PAYLOAD_TOO_LARGE; one just under it is read and validated', async (_name, route) => {
    const pad = (n: number) => JSON.stringify({ ...route.body!(), padding: 'x'.repeat(n) });
    const over = pad(3000);
    const under = pad(1800);
    expect(Buffer.byteLength(over)).toBeGreaterThan(2048);
    expect(Buffer.byteLength(under)).toBeLessThanOrEqual(2048);
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      expectApiError(await sendRaw(t, route, auth, over, 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
      // Multi-byte characters: the limit is in bytes, not characters.
      expectApiError(await sendRaw(t, route, auth, JSON.stringify({ ...route.body!(), padding: 'é'.repeat(1100) }), 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
      expectApiError(await sendRaw(t, route, auth, Buffer.alloc(4096, 0x7b), 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
      const read = expectApiError(await sendRaw(t, route, auth, under, 'application/json'), 400, 'VALIDATION_ERROR');
      expect(read.details).toContainEqual({ field: 'padding', issue: 'property padding should not exist' });
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });
});

import { DataSource } from 'typeorm';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_REDIS_URL } from '../support/test-redis.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ BODY_LIMIT: '4096' });
});
afterAll(() => t.close());

describe('error envelope and request ids', () => {
  it('echoes a sane x-request-id and uses it in the envelope', async () => {
    const res = await t.http.get('/api/v1/chapters').set('x-request-id', 'client-abc-123').expect(401);
    expect(res.headers['x-request-id']).toBe('client-abc-123');
    expect(res.body).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.any(String), request_id: 'client-abc-123' },
    });
  });

  it('replaces an unsafe x-request-id with a fresh one', async () => {
    const res = await t.http.get('/api/v1/health').set('x-request-id', 'bad id\twith spaces').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 NOT_FOUND for an unknown route', async () => {
    const res = await t.http.get('/api/v1/does-not-exist').expect(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', request_id: res.headers['x-request-id'] });
  });

  it('answers 400 VALIDATION_ERROR for malformed JSON, naming the body', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": "x@y.z", "password": ')
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'body', issue: 'is not valid JSON' }] });
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    const res = await t.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('"hello"').expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'body', issue: 'must be a JSON object' }] });
  });

  it('accepts JSON bodies only: no form posts a cross-site page could send without a preflight', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await t.http.post('/api/v1/auth/login').set('content-type', type).send('email=test@example.com&password=password123').expect(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'body', issue: 'must be sent as application/json' }] });
    }
  });

  it('answers 413 PAYLOAD_TOO_LARGE over BODY_LIMIT and writes nothing', async () => {
    const db = t.app.get(DataSource);
    const count = async () => (await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM students'))[0]!.n;
    const before = await count();
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'big@example.com', password: 'longenough1', full_name: 'x'.repeat(10_000) })
      .expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count()).toBe(before);
  });

  it('never leaks internals in a 500', async () => {
    const db = t.app.get(DataSource);
    await db.query('ALTER TABLE quiz_results RENAME TO quiz_results_gone');
    try {
      const auth = await t.login(DEMO.student.email, DEMO.student.password);
      const res = await t.http.get('/api/v1/progress').set('authorization', auth).expect(500);
      expect(res.body).toEqual({
        error: { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred', request_id: expect.any(String) },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/quiz_results|relation|SELECT|at /);
    } finally {
      await db.query('ALTER TABLE quiz_results_gone RENAME TO quiz_results');
    }
  });
});

describe('GET /api/v1/health', () => {
  it('reports healthy with the database and in-process cache, and the rules provider without a key', async () => {
    const res = await t.http.get('/api/v1/health').expect(200);
    expect(res.body).toEqual({
      status: 'healthy',
      phase1_enabled: true,
      phase2_enabled: true,
      llm_provider: 'rules',
      checks: {
        database: { status: 'up', latency_ms: expect.any(Number) },
        cache: { status: 'up', latency_ms: 0, store: 'memory' },
        queue: { status: 'up', latency_ms: expect.any(Number) },
        llm: { status: 'up', latency_ms: 0, provider: 'rules', open_circuits: [], auth: 'ok' },
      },
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
  });
});

describe('health with Redis', () => {
  it('checks a real Redis when REDIS_URL is set, and says degraded (200) when it cannot reach it', async () => {
    const up = await startHealthApp(TEST_REDIS_URL);
    const down = await startHealthApp('redis://127.0.0.1:1');
    try {
      const a = await up.http.get('/api/v1/health').expect(200);
      expect(a.body.status).toBe('healthy');
      expect(a.body.checks.cache).toMatchObject({ status: 'up', store: 'redis' });
      const b = await down.http.get('/api/v1/health').expect(200);
      expect(b.body.status).toBe('degraded');
      expect(b.body.checks.cache).toMatchObject({ status: 'down', store: 'redis' });
      expect(b.body.checks.database.status).toBe('up');
    } finally {
      await up.close();
      await down.close();
    }
  });
});

async function startHealthApp(redisUrl: string): Promise<TestApp> {
  const { startTestApp: start } = await import('../support/test-app.js');
  return start({ REDIS_URL: redisUrl, ENABLE_ADAPTIVE_PATHS: 'false', ENABLE_LLM_ASSESSMENTS: 'false' });
}

type SchemaNode = { $ref?: string; example?: unknown; items?: SchemaNode; properties?: Record<string, SchemaNode>; allOf?: SchemaNode[] };

/** True when the schema, or every branch it is built from, carries examples all the way down. */
function hasExample(doc: { components: { schemas: Record<string, SchemaNode> } }, node: SchemaNode): boolean {
  if (node.example !== undefined) return true;
  if (node.$ref) return hasExample(doc, doc.components.schemas[node.$ref.split('/').pop()!]!);
  if (node.items) return hasExample(doc, node.items);
  if (node.allOf) return node.allOf.some((n) => hasExample(doc, n));
  const props = Object.values(node.properties ?? {});
  return props.length > 0 && props.every((p) => hasExample(doc, p));
}

describe('OpenAPI', () => {
  const V1 = [
    ['get', '/api/v1/health'],
    ['post', '/api/v1/auth/register'],
    ['post', '/api/v1/auth/login'],
    ['get', '/api/v1/auth/me'],
    ['get', '/api/v1/chapters'],
    ['get', '/api/v1/chapters/{chapter_id}'],
    ['get', '/api/v1/quizzes/{quiz_id}'],
    ['post', '/api/v1/quizzes/{quiz_id}/submit'],
    ['get', '/api/v1/progress'],
    ['get', '/api/v1/progress/quiz-history'],
    ['get', '/api/v1/glossary'],
    ['get', '/api/v1/glossary/{term}'],
  ] as const;

  it('describes every v1 route with an operationId, a summary, a 2xx schema with examples, and bearer security', async () => {
    const res = await t.http.get('/docs/json').expect(200);
    const doc = res.body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ids = new Set<string>();
    for (const [method, path] of V1) {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      expect(op.operationId).toMatch(/^[a-zA-Z]+$/);
      expect(op.summary.length).toBeGreaterThan(5);
      ids.add(op.operationId);
      const ok = op.responses['200'] ?? op.responses['201'];
      const ref: string = ok.content['application/json'].schema.$ref;
      expect([path, hasExample(doc, { $ref: ref })]).toEqual([path, true]);
      const isPublic = path === '/api/v1/health' || path.startsWith('/api/v1/auth/re') || path.endsWith('/login');
      if (isPublic) expect(op.security).toEqual([]);
      else {
        expect(op.security).toEqual([{ bearer: [] }]);
        expect(op.responses['401']).toBeDefined();
      }
    }
    expect(ids.size).toBe(V1.length);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.http.get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});

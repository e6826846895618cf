import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEMO, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function sign(header: object, payload: object, secret: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc(header)}.${enc(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

async function studentCount(): Promise<number> {
  const rows: { n: number }[] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM students');
  return rows[0]!.n;
}

describe('POST /api/v1/auth/register', () => {
  it('creates a free student (201) with a normalised email', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: '  New.Student@Example.COM ', password: 'longenough1', full_name: ' New Student ' })
      .expect(201);
    expect(res.body).toEqual({
      student_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'new.student@example.com',
      full_name: 'New Student',
      subscription_tier: 'free',
    });
    const auth = await t.login('NEW.student@example.com', 'longenough1');
    const me = await t.http.get('/api/v1/auth/me').set('authorization', auth).expect(200);
    expect(me.body).toMatchObject({ student_id: res.body.student_id, role: 'student', subscription_tier: 'free' });
  });

  it('answers 409 CONFLICT for an email already registered, whatever its case', async () => {
    const before = await studentCount();
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'TEST@example.com', password: 'whatever123', full_name: 'Copy' })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', request_id: expect.any(String) });
    expect(await studentCount()).toBe(before);
  });

  it.each([
    [{ email: 'not-an-email', password: 'longenough1', full_name: 'X' }, 'email'],
    [{ email: 'a@b.co', password: 'short', full_name: 'X' }, 'password'],
    [{ email: 'a@b.co', password: 'longenough1', full_name: '   ' }, 'full_name'],
    [{ email: 'a@b.co', password: 'longenough1' }, 'full_name'],
    [{ email: 'a@b.co', password: 'x'.repeat(129), full_name: 'X' }, 'password'],
  ])('refuses %j with VALIDATION_ERROR naming %s, and writes nothing', async (body, field) => {
    const before = await studentCount();
    const res = await t.http.post('/api/v1/auth/register').send(body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await studentCount()).toBe(before);
  });

  it('refuses mass assignment of role or tier (unknown fields) and writes nothing', async () => {
    const before = await studentCount();
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'sneaky@example.com', password: 'longenough1', full_name: 'S', role: 'admin', subscription_tier: 'premium' })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'role', issue: 'property role should not exist' },
        { field: 'subscription_tier', issue: 'property subscription_tier should not exist' },
      ]),
    );
    expect(await studentCount()).toBe(before);
  });
});

describe('POST /api/v1/auth/login', () => {
  it('returns a bearer token for each demo account', async () => {
    for (const account of Object.values(DEMO)) {
      const res = await t.http.post('/api/v1/auth/login').send(account).expect(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
    }
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await t.http.post('/api/v1/auth/login').send({ email: DEMO.student.email, password: 'nope-nope' }).expect(401);
    const unknown = await t.http.post('/api/v1/auth/login').send({ email: 'nobody@example.com', password: 'nope-nope' }).expect(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('takes about as long for an unknown email as for a wrong password', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await t.http.post('/api/v1/auth/login').send({ email, password: 'wrong-password' }).expect(401);
      return performance.now() - started;
    };
    await time('nobody@example.com'); // warm the dummy hash
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time(DEMO.student.email));
      unknown.push(await time(`nobody${i}@example.com`));
    }
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('GET /api/v1/auth/me and token checks', () => {
  it('describes the signed-in student', async () => {
    const auth = await t.login(DEMO.premium.email, DEMO.premium.password);
    const res = await t.http.get('/api/v1/auth/me').set('authorization', auth).expect(200);
    expect(res.body).toEqual({
      student_id: expect.any(String),
      email: 'premium@test.com',
      full_name: 'Premium Test User',
      subscription_tier: 'premium',
      subscription_expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      role: 'student',
    });
    expect(new Date(res.body.subscription_expires_at).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const admin = await t.login(DEMO.admin.email, DEMO.admin.password);
    expect((await t.http.get('/api/v1/auth/me').set('authorization', admin).expect(200)).body.role).toBe('admin');
  });

  it('answers 401 with no token, a malformed one, or a non-bearer scheme', async () => {
    for (const header of [undefined, 'Bearer not.a.jwt', 'Basic dGVzdDp0ZXN0', 'Bearer ']) {
      const req = t.http.get('/api/v1/auth/me');
      const res = await (header ? req.set('authorization', header) : req).expect(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('refuses alg:none, another key, a wrong issuer and an expired token', async () => {
    const auth = await t.login(DEMO.student.email, DEMO.student.password);
    const me = await t.http.get('/api/v1/auth/me').set('authorization', auth).expect(200);
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: me.body.student_id, role: 'admin', iss: 'course-companion', iat: now, exp: now + 600 };
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const forged = [
      `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`,
      sign({ alg: 'HS256', typ: 'JWT' }, claims, 'some-other-secret-of-sufficient-length'),
      sign({ alg: 'HS512', typ: 'JWT' }, claims, TEST_JWT_SECRET),
      sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'someone-else' }, TEST_JWT_SECRET),
      sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 3600 }, TEST_JWT_SECRET),
    ];
    for (const token of forged) {
      const res = await t.http.get('/api/v1/auth/me').set('authorization', `Bearer ${token}`).expect(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    // The control: the same claims correctly signed are accepted.
    const good = sign({ alg: 'HS256', typ: 'JWT' }, claims, TEST_JWT_SECRET);
    await t.http.get('/api/v1/auth/me').set('authorization', `Bearer ${good}`).expect(200);
  });

  it('says an expired token has expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = sign(
      { alg: 'HS256', typ: 'JWT' },
      { sub: '00000000-0000-4000-8000-000000000000', role: 'student', iss: 'course-companion', exp: now - 10 },
      TEST_JWT_SECRET,
    );
    const res = await t.http.get('/api/v1/auth/me').set('authorization', `Bearer ${token}`).expect(401);
    expect(res.body.error.message).toBe('The access token has expired');
  });

  it('answers 401 for a valid token whose account is gone', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = sign(
      { alg: 'HS256', typ: 'JWT' },
      { sub: '00000000-0000-4000-8000-000000000000', role: 'student', iss: 'course-companion', exp: now + 60 },
      TEST_JWT_SECRET,
    );
    const res = await t.http.get('/api/v1/auth/me').set('authorization', `Bearer ${token}`).expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });
});

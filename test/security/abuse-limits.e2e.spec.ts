import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { createSeededTestDatabase, type TestDatabase } from '../support/test-database.js';
import { DEMO, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';
import { TEST_REDIS_URL } from '../support/test-redis.js';

/** A client address of its own per run, so parallel suites sharing Redis never share a budget. */
const clientIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

function expectThrottled(res: { status: number; headers: Record<string, string>; body: any }, maxSeconds: number): void {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('TOO_MANY_REQUESTS');
  const seconds = res.body.error.retry_after_seconds as number;
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
  expect(res.headers['retry-after']).toBe(String(seconds));
}

describe('per-address and per-student request limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true', THROTTLE_LIMIT_PER_IP: '6', THROTTLE_LIMIT_PER_USER: '3', THROTTLE_WINDOW_SECONDS: '60' });
  });
  afterAll(() => t?.close());

  it('limits one address on a public route, then on a protected one even with a forged token', async () => {
    const ip = clientIp();
    for (let i = 0; i < 6; i++) await t.http.get('/api/v1/health').set('x-forwarded-for', ip).expect(200);
    expectThrottled(await t.http.get('/api/v1/health').set('x-forwarded-for', ip), 60);
    // The address limit runs before authentication: a flood of bad tokens is not a way around it.
    expectThrottled(await t.http.get('/api/v1/chapters').set('x-forwarded-for', ip).set('authorization', 'Bearer forged'), 60);
    // Another address has its own budget.
    await t.http.get('/api/v1/health').set('x-forwarded-for', clientIp()).expect(200);
  });

  it('limits one student across addresses, and not the next student', async () => {
    const student = await t.login(DEMO.student.email, DEMO.student.password);
    const premium = await t.login(DEMO.premium.email, DEMO.premium.password);
    for (let i = 0; i < 3; i++) {
      await t.http.get('/api/v1/chapters').set('x-forwarded-for', clientIp()).set('authorization', student).expect(200);
    }
    expectThrottled(await t.http.get('/api/v1/chapters').set('x-forwarded-for', clientIp()).set('authorization', student), 60);
    await t.http.get('/api/v1/chapters').set('x-forwarded-for', clientIp()).set('authorization', premium).expect(200);
  });

  it('reports the remaining budget in headers', async () => {
    const res = await t.http.get('/api/v1/health').set('x-forwarded-for', clientIp()).expect(200);
    expect(res.headers['x-ratelimit-limit-ip']).toBe('6');
    expect(res.headers['x-ratelimit-remaining-ip']).toBe('5');
  });
});

describe('brute force on login and register', () => {
  let t: TestApp;
  let db: DataSource;
  const email = 'victim@example.com';
  const password = 'the-right-password-1';

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true', LOGIN_MAX_FAILURES: '5', REGISTER_LIMIT_PER_IP: '2', AUTH_WINDOW_SECONDS: '900' });
    db = t.app.get(DataSource);
    await t.http.post('/api/v1/auth/register').set('x-forwarded-for', clientIp()).send({ email, password, full_name: 'Victim' }).expect(201);
  });
  afterAll(() => t?.close());

  const login = (ip: string, pw: string, who = email) =>
    t.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ email: who, password: pw });

  it('refuses the sixth attempt after five failures, even with the right password', async () => {
    const ip = clientIp();
    for (let i = 0; i < 5; i++) expect((await login(ip, `wrong-${i}`)).status).toBe(401);
    expectThrottled(await login(ip, password), 900);
    // The email is case-insensitive for the limit as for the account.
    expectThrottled(await login(ip, 'wrong', email.toUpperCase()), 900);
    // The same address may still sign in to another account, and the victim from elsewhere.
    expect((await login(ip, DEMO.student.password, DEMO.student.email)).status).toBe(200);
    expect((await login(clientIp(), password)).status).toBe(200);
  });

  it('clears the count on a successful sign-in', async () => {
    const ip = clientIp();
    for (let i = 0; i < 4; i++) expect((await login(ip, 'wrong')).status).toBe(401);
    expect((await login(ip, password)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(ip, 'wrong')).status).toBe(401);
    expectThrottled(await login(ip, 'wrong'), 900);
  });

  it('lets exactly five of twenty concurrent guesses through to the password check', async () => {
    const ip = clientIp();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(ip, `guess-${i}`)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('limits accounts created from one address, and writes nothing when refusing', async () => {
    const ip = clientIp();
    const register = (n: number) =>
      t.http.post('/api/v1/auth/register').set('x-forwarded-for', ip).send({ email: `bulk-${n}@example.com`, password: 'longenough1', full_name: `Bulk ${n}` });
    expect((await register(1)).status).toBe(201);
    expect((await register(2)).status).toBe(201);
    const before = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM students`);
    expectThrottled(await register(3), 900);
    const after = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM students`);
    expect(after[0]!.n).toBe(before[0]!.n);
    await expect(db.query(`SELECT 1 FROM students WHERE email = 'bulk-3@example.com'`)).resolves.toHaveLength(0);
  });
});

describe('limits shared through Redis by several instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { TRUST_PROXY: 'true', REDIS_URL: TEST_REDIS_URL, THROTTLE_LIMIT_PER_IP: '4', LOGIN_MAX_FAILURES: '3' };
    a = await startTestApp(env);
    b = await startTestApp({ ...env, DATABASE_URL: a.database.url });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts one address once across instances', async () => {
    const ip = clientIp();
    await a.http.get('/api/v1/health').set('x-forwarded-for', ip).expect(200);
    await b.http.get('/api/v1/health').set('x-forwarded-for', ip).expect(200);
    await a.http.get('/api/v1/health').set('x-forwarded-for', ip).expect(200);
    await b.http.get('/api/v1/health').set('x-forwarded-for', ip).expect(200);
    expectThrottled(await a.http.get('/api/v1/health').set('x-forwarded-for', ip), 60);
    expectThrottled(await b.http.get('/api/v1/health').set('x-forwarded-for', ip), 60);
  });

  it('counts login failures across instances', async () => {
    const ip = clientIp();
    const body = { email: DEMO.free.email, password: 'wrong-password' };
    expect((await a.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send(body)).status).toBe(401);
    expect((await b.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send(body)).status).toBe(401);
    expect((await a.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send(body)).status).toBe(401);
    expectThrottled(await b.http.post('/api/v1/auth/login').set('x-forwarded-for', ip).send({ ...body, password: DEMO.free.password }), 900);
  });
});

describe('security headers and CORS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://app.example.com,http://localhost:5173' });
  });
  afterAll(() => t?.close());

  it('sends the security headers on API answers', async () => {
    const res = await t.http.get('/api/v1/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers a preflight from an allowed origin', async () => {
    const res = await t.http
      .options('/api/v1/chapters')
      .set('origin', 'https://app.example.com')
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'authorization');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('gives no CORS grant to any other origin', async () => {
    const res = await t.http.get('/api/v1/health').set('origin', 'https://evil.example.net').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await t.http
      .options('/api/v1/chapters')
      .set('origin', 'https://evil.example.net')
      .set('access-control-request-method', 'GET');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('grants nothing cross-origin when CORS_ORIGINS is empty', async () => {
    const plain = await startTestApp();
    try {
      const res = await plain.http.get('/api/v1/health').set('origin', 'https://app.example.com').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

describe('secrets in the logs of the running server', () => {
  let database: TestDatabase;
  let server: ChildProcess;
  const out: string[] = [];
  const secret = `jwt-${randomBytes(24).toString('hex')}`;

  beforeAll(async () => {
    database = await createSeededTestDatabase();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      JWT_SECRET_KEY: secret,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
    };
    server = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stderr!.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out.join('')}`)), 60_000);
      server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out.join('')}`)));
      createInterface({ input: server.stdout! }).on('line', (line) => {
        out.push(line);
        if (line.includes('"Course Companion is serving"')) {
          clearTimeout(timer);
          resolve(String((JSON.parse(line) as { url: string }).url));
        }
      });
    });
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    await post('/api/v1/auth/register', { email: 'logged@example.com', password: 'Sup3r-secret-pw', full_name: 'Logged' });
    const login = (await (await post('/api/v1/auth/login', { email: 'logged@example.com', password: 'Sup3r-secret-pw' })).json()) as { access_token: string };
    await post('/api/v1/auth/login', { email: 'logged@example.com', password: 'Wr0ng-secret-pw' });
    await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${login.access_token}`, cookie: 'session=cookie-secret' } });
    await post('/api/v1/quizzes/01-intro-quiz/submit', { answers: 'not an object', password: 'Body-secret-pw' }, { authorization: `Bearer ${login.access_token}` });
    out.push(login.access_token.split('.')[2]!); // sentinel: the check below must see the signature only here
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }, 90_000);

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await database?.drop();
  });

  it('logged the requests', () => {
    expect(out.filter((l) => l.includes('/api/v1/auth/login')).length).toBeGreaterThanOrEqual(2);
  });

  it('never wrote a password, token, cookie or the signing secret', () => {
    const signature = out.pop()!;
    const text = out.join('\n');
    for (const leaked of ['Sup3r-secret-pw', 'Wr0ng-secret-pw', 'Body-secret-pw', 'cookie-secret', signature, secret, TEST_JWT_SECRET]) {
      expect(text).not.toContain(leaked);
    }
  });
});

/**
 * A production install from nothing, as an operator does it: the built CLI creates the first admin
 * on an empty database (NODE_ENV=production, a real DATABASE_URL and a 32-byte secret; no demo
 * accounts exist), the built server boots, the admin signs in, upgrades a student, and the
 * dashboard loads for that admin in a browser.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { launchChromium } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const TIMEOUT = 90_000;
const ADMIN = { email: 'ops@example.com', password: 'a long operator passphrase', name: 'Ops Lead' };

let database: TestDatabase;
let env: NodeJS.ProcessEnv;
let server: ChildProcess | undefined;
let base = '';
const serverLog: string[] = [];

type Run = { code: number | null; stdout: string; stderr: string };

/** The built admin:create CLI, with no terminal (stdin is not a TTY). */
function adminCreate(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> {
  return collect(spawn(process.execPath, ['dist/src/admin/accounts/create-admin.cli.js', ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** The exit code and everything a CLI run wrote, once it has exited. */
function collect(child: ChildProcessByStdio<null, Readable, Readable>): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function login(email: string, password: string): Promise<string> {
  const res = await call('POST', '/api/v1/auth/login', undefined, { email, password });
  expect(res.status).toBe(200);
  return String(res.body.access_token);
}

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    JWT_SECRET_KEY: randomBytes(32).toString('base64url'),
    // Production requires a token for /metrics (README, Security).
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    PORT: '0',
    HOST: '127.0.0.1',
    LLM_COST_ALERT_EMAIL: '',
  };
}, TIMEOUT);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server!.once('exit', resolve));
  }
  await database?.drop();
}, TIMEOUT);

describe('admin:create on a production install', () => {
  it('refuses a bad email, and a new account without a password or with a short one, naming what is wrong', async () => {
    const badEmail = await adminCreate(['--email', 'not-an-email'], { ADMIN_PASSWORD: ADMIN.password });
    expect(badEmail).toMatchObject({ code: 2, stdout: '' });
    expect(badEmail.stderr.split('\n')[0]).toBe('admin:create: --email must be an email address');

    const noPassword = await adminCreate(['--email', ADMIN.email]);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr.split('\n')[0]).toBe('admin:create: set ADMIN_PASSWORD, or run this on a terminal to be asked for the password');

    const short = await adminCreate(['--email', ADMIN.email], { ADMIN_PASSWORD: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr.split('\n')[0]).toBe('admin:create: the password must be longer than or equal to 8 characters');

    const missing = await adminCreate([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: npm run admin:create -- --email EMAIL [--name NAME]');
    expect(await query(`SELECT email FROM students`)).toEqual([]);
  }, TIMEOUT);

  it('creates the first admin, once', async () => {
    const first = await adminCreate(['--email', ` ${ADMIN.email.toUpperCase()} `, '--name', ADMIN.name], { ADMIN_PASSWORD: ADMIN.password });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Created admin account ops@example\.com \([0-9a-f-]{36}\)\.\n$/);
    expect(first.stdout + first.stderr).not.toContain(ADMIN.password);

    const again = await adminCreate(['--email', ADMIN.email], { ADMIN_PASSWORD: 'a different password' });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is already an admin; nothing changed\.\n$/);
    const rows = await query<{ email: string; full_name: string; role: string }>(`SELECT email, full_name, role FROM students WHERE email = $1`, [ADMIN.email]);
    expect(rows).toEqual([{ email: ADMIN.email, full_name: ADMIN.name, role: 'admin' }]);
  }, TIMEOUT);
});

/**
 * The CLI on a pseudo-terminal (Python's pty module: Node has no way to open one), typing the
 * password twice; what the terminal shows is returned.
 */
function adminCreateOnTerminal(email: string, password: string): Promise<Run> {
  const driver = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], 'dist/src/admin/accounts/create-admin.cli.js', '--email', sys.argv[2]])
out = b''
def until(text, seconds=60):
    global out
    end = time.time() + seconds
    while text not in out and time.time() < end:
        if select.select([fd], [], [], 0.5)[0]:
            try: out += os.read(fd, 1024)
            except OSError: return
for prompt in (b'Password for the new admin: ', b'Same password again: '):
    until(prompt)
    os.write(fd, sys.argv[3].encode() + b'\\r')
until(b'\\n')
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode())
sys.exit(os.waitstatus_to_exitcode(status))
`;
  const { ADMIN_PASSWORD: _unset, ...rest } = env;
  return collect(spawn('python3', ['-c', driver, process.execPath, email, password], { env: rest, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('admin:create on a terminal', () => {
  it('asks for the password twice without echoing it', async () => {
    const run = await adminCreateOnTerminal('tty-admin@example.com', 'typed at the prompt');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Password for the new admin: ');
    expect(run.stdout).toContain('Same password again: ');
    expect(run.stdout).toMatch(/Created admin account tty-admin@example\.com/);
    expect(run.stdout).not.toContain('typed at the prompt');
  }, TIMEOUT);
});

describe('the production server with that admin', () => {
  beforeAll(async () => {
    server = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60_000);
      server!.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
      createInterface({ input: server!.stdout! }).on('line', (line) => {
        serverLog.push(line);
        if (line.includes('"msg":"Course Companion is serving"')) {
          clearTimeout(timer);
          resolve(String((JSON.parse(line) as { url: string }).url));
        }
      });
    });
  }, TIMEOUT);

  it('has no demo accounts; the admin signs in and sees the admin APIs', async () => {
    expect((await call('POST', '/api/v1/auth/login', undefined, { email: 'admin@example.com', password: 'admin123' })).status).toBe(401);
    const token = await login(ADMIN.email, ADMIN.password);
    expect((await call('GET', '/api/v1/auth/me', token)).body).toMatchObject({ email: ADMIN.email, full_name: ADMIN.name, role: 'admin' });
    expect((await call('GET', '/api/v2/admin/flags', token)).status).toBe(200);
  }, TIMEOUT);

  it('upgrades a registered student to premium, who then gets premium routes; the change is audited', async () => {
    const adminToken = await login(ADMIN.email, ADMIN.password);
    const reg = await call('POST', '/api/v1/auth/register', undefined, { email: 'learner@example.com', password: 'learner-pass-1', full_name: 'Lea Learner' });
    expect(reg.status).toBe(201);
    const studentToken = await login('learner@example.com', 'learner-pass-1');
    expect((await call('GET', '/api/v2/usage/quota', studentToken)).status).toBe(403);

    const until = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const put = await call('PUT', `/api/v2/admin/students/${reg.body.student_id}/subscription`, adminToken, { subscription_tier: 'premium', subscription_expires_at: until });
    expect(put.status).toBe(200);
    expect(put.body).toEqual((await call('GET', '/api/v1/auth/me', studentToken)).body);
    expect(put.body).toMatchObject({ subscription_tier: 'premium', subscription_expires_at: until });
    expect((await call('GET', '/api/v2/usage/quota', studentToken)).status).toBe(200);

    const audit = await query<{ after: unknown; changed_by: string }>(`SELECT after, changed_by FROM subscription_audit WHERE student_id = $1`, [reg.body.student_id]);
    const [adminRow] = await query<{ student_id: string }>(`SELECT student_id FROM students WHERE email = $1`, [ADMIN.email]);
    expect(audit).toEqual([{ after: { subscription_tier: 'premium', subscription_expires_at: until }, changed_by: adminRow!.student_id }]);
  }, TIMEOUT);

  it('admin:create promotes an existing account, keeping its password', async () => {
    const reg = await call('POST', '/api/v1/auth/register', undefined, { email: 'second@example.com', password: 'second-pass-1', full_name: 'Second Admin' });
    expect(reg.status).toBe(201);
    const promoted = await adminCreate(['--email', 'second@example.com']);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toBe(`Promoted second@example.com (${reg.body.student_id}) to admin; its password is unchanged.\n`);
    const token = await login('second@example.com', 'second-pass-1');
    expect((await call('GET', '/api/v2/admin/flags', token)).status).toBe(200);
  }, TIMEOUT);

  it('loads the dashboard for the new admin in a browser', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${base}/admin`);
      await page.getByTestId('login-email').fill(ADMIN.email);
      await page.getByTestId('login-password').fill(ADMIN.password);
      await page.getByTestId('login-submit').click();
      await page.locator('[data-testid="dashboard"][data-state="ready"]').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('whoami').textContent()).resolves.toContain(ADMIN.email);
      await expect(page.getByTestId('tile-requests').textContent()).resolves.toBe('0');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, TIMEOUT);

  it('never logged the passwords', () => {
    const log = serverLog.join('\n');
    for (const secret of [ADMIN.password, 'learner-pass-1', 'second-pass-1']) expect(log).not.toContain(secret);
  });
});

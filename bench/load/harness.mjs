// Shared by load.bench.mjs and soak.bench.mjs: a fresh database, the fake LLM and the production
// build of the app in child processes, students made through the API, and the measuring helpers
// (autocannon runs with exact per-response latencies, server-side timings, Prometheus, RSS).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));

export const ADMIN_URL = process.env.LOAD_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Production runs with Redis (docker-compose.yml). A database index of its own keeps the
 *  benchmark's throttle counters (`throttle:ip:127.0.0.1`) away from tests running beside it. */
export const REDIS_URL = process.env.LOAD_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
export const METRICS_TOKEN = `bench-metrics-${randomBytes(8).toString('hex')}`;
export const NO_LIMIT = '100000000';
/** The schema's ceiling for PREMIUM_ADAPTIVE_PATHS_LIMIT (int(10, 0, 100_000)); more fails config validation. */
export const PREMIUM_LIMIT = '100000';
export const QUIZ_ID = '01-intro-quiz';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function envNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

export function machine() {
  return { cores: availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}` };
}

/** A line of the report, on stdout. */
export const out = (line = '') => process.stdout.write(`${line}\n`);

/** Every report opens with its title and the machine it ran on, so runs can be compared; returns that machine. */
export function printHeader(name) {
  const info = machine();
  out(`# Course Companion ${name} benchmark — ${new Date().toISOString()}`);
  out(`machine: ${info.cores} cores (os.availableParallelism), node ${info.node}, ${info.platform}`);
  return info;
}

// --- Statistics ----------------------------------------------------------------------------------

/** Nearest-rank percentile of an unsorted list (sorted copy). */
export function percentiles(values, ps = [50, 90, 99]) {
  const sorted = Float64Array.from(values).sort();
  const out = { count: sorted.length };
  for (const p of ps) {
    out[`p${p}`] = sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }
  out.max = sorted.length === 0 ? NaN : sorted[sorted.length - 1];
  out.mean = sorted.length === 0 ? NaN : sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return out;
}

/** Least-squares slope of y over x. */
export function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

export const fmt = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

// --- Child processes -----------------------------------------------------------------------------

/** Request/response over a child's IPC channel, matched by id. */
function ipc(child) {
  let next = 0;
  const waiting = new Map();
  child.on('message', (message) => {
    const entry = message && waiting.get(message.id);
    if (entry) {
      waiting.delete(message.id);
      entry(message);
    }
  });
  return (payload, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`IPC request ${JSON.stringify(payload)} got no answer`));
      }, timeoutMs);
      waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.send({ ...payload, id });
    });
}

function waitReady(child, what) {
  return new Promise((resolve, reject) => {
    const onExit = (code, signal) => reject(new Error(`${what} exited before it was ready (${signal ?? code})`));
    child.once('exit', onExit);
    child.on('message', function onMessage(message) {
      if (message?.ready) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      }
    });
  });
}

async function stopChild(child, message) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (message && child.connected) child.send(message);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Compiles test/fakes to dist/test/fakes, the way `npm run bench:premium` does. */
export function compileFakes() {
  const swc = join(ROOT, 'node_modules', '.bin', 'swc');
  const result = spawnSync(swc, ['test/fakes', '-d', 'dist', '--config-file', '.swcrc', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`compiling test/fakes failed (${result.status ?? result.signal})`);
}

export async function startFakeLlm() {
  const child = spawn(process.execPath, [join(HERE, 'fake-llm.child.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await waitReady(child, 'the fake LLM');
  const call = ipc(child);
  return {
    url,
    pid: child.pid,
    reset: () => call({ cmd: 'reset' }),
    durations: async () => (await call({ cmd: 'get' })).durations,
    lastRequest: async () => (await call({ cmd: 'last-request' })).request,
    stop: () => stopChild(child, { cmd: 'close' }),
  };
}

export async function startBareServer(body, contentType) {
  const file = join(tmpdir(), `bench-load-chapters-${process.pid}.json`);
  writeFileSync(file, body);
  const child = spawn(process.execPath, [join(HERE, 'bare-server.child.mjs'), file, contentType], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await waitReady(child, 'the bare Fastify server');
  return {
    url,
    pid: child.pid,
    stop: async () => {
      await stopChild(child, { cmd: 'close' });
      rmSync(file, { force: true });
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh database on the local PostgreSQL; `drop()` removes it (connections and all). */
export async function createDatabase(prefix) {
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client(ADMIN_URL);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client(url.toString());
  return {
    name,
    url: url.toString(),
    /** A client on the benchmark database (connected by the caller when needed). */
    client,
    drop: async () => {
      await client.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * The production build, `node dist/src/main.js` with NODE_ENV=production, in its own process.
 * `--import server-timing.preload.mjs` (LOAD_SERVER_TIMING=0 leaves it out) adds in-process
 * request timings read over IPC; the app itself is untouched.
 */
export async function startApp({
  databaseUrl,
  llmUrl,
  extraEnv = {},
  timing = process.env.LOAD_SERVER_TIMING !== '0',
  profile = Boolean(process.env.LOAD_CPU_PROFILE),
}) {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    JWT_SECRET_KEY: `bench-load-${randomBytes(24).toString('hex')}`,
    JWT_EXPIRES_IN: '86400',
    ANTHROPIC_API_KEY: 'fake',
    ANTHROPIC_BASE_URL: llmUrl,
    METRICS_TOKEN,
    PREMIUM_ADAPTIVE_PATHS_LIMIT: PREMIUM_LIMIT,
    PREMIUM_ASSESSMENTS_LIMIT: PREMIUM_LIMIT,
    THROTTLE_LIMIT_PER_IP: NO_LIMIT,
    THROTTLE_LIMIT_PER_USER: NO_LIMIT,
    REGISTER_LIMIT_PER_IP: NO_LIMIT,
    LOGIN_MAX_FAILURES: NO_LIMIT,
    ...extraEnv,
  };
  // LOAD_NODE_ARGS: extra node flags for diagnosis (e.g. --cpu-prof); empty by default.
  const nodeArgs = (process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [
    ...nodeArgs,
    ...(timing ? ['--import', join(HERE, 'server-timing.preload.mjs')] : []),
    ...(profile ? ['--import', join(HERE, 'cpu-profile.preload.mjs')] : []),
    'dist/src/main.js',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const log = captureLog(child);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let exitedEarly;
  void exited.then((how) => {
    exitedEarly = how;
  });
  for (const deadline = Date.now() + 120_000; ; ) {
    if (exitedEarly !== undefined) throw new Error(`the app exited during start-up (${exitedEarly}):\n${log.tail()}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app did not answer /api/v1/health within 120 s:\n${log.tail()}`);
    await sleep(200);
  }
  const channel = timing || profile ? ipc(child) : undefined;
  const call = timing ? channel : undefined;
  return {
    url,
    pid: child.pid,
    env,
    log,
    exited: () => exitedEarly,
    rssKb: () => rssKb(child.pid),
    timingReset: async () => {
      if (call) await call({ timingRequest: 'reset' });
    },
    timingStop: async () => {
      if (call) await call({ timingRequest: 'stop' });
    },
    /** `METHOD /path 2xx` → in-process durations (ms), or undefined without the preload. */
    timings: async () => (call ? (await call({ timingRequest: 'get' }, 60_000)).samples : undefined),
    /** V8's sampling profiler around one run (LOAD_CPU_PROFILE set): start, then stop → the .cpuprofile object. */
    profileStart: async () => {
      if (profile) await channel({ profileRequest: 'start' });
    },
    profileStop: async () => {
      if (!profile) return undefined;
      const answer = await channel({ profileRequest: 'stop' }, 120_000);
      if (answer.error) throw new Error(`CPU profile: ${answer.error}`);
      return answer.profile;
    },
    stop: async () => {
      if (exitedEarly !== undefined) return exitedEarly;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
}

/** Counts the app's warn/error log lines by message, keeps a few of each for the report. */
function captureLog(child) {
  const byMessage = new Map();
  const lines = [];
  const onChunk = (stream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        lines.push(line);
        if (lines.length > 200) lines.shift();
        let key = line.slice(0, 160);
        try {
          const entry = JSON.parse(line);
          key = `[${entry.level}] ${entry.context ? `${entry.context}: ` : ''}${entry.msg ?? ''}${entry.err?.message ? ` — ${entry.err.message}` : entry.error ? ` — ${entry.error}` : ''}`;
        } catch {
          // not JSON (stderr text)
        }
        const seen = byMessage.get(key);
        if (seen) seen.count++;
        else byMessage.set(key, { count: 1, example: line.slice(0, 600) });
      }
    });
  };
  onChunk(child.stdout);
  onChunk(child.stderr);
  return {
    summary: () => [...byMessage].map(([message, { count, example }]) => ({ message, count, example })),
    tail: () => lines.slice(-30).join('\n'),
    reset: () => byMessage.clear(),
  };
}

/** CPU time (user + system) of a process so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the full line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Jiffies of the whole machine so far (all cores), from /proc/stat: busy and total. */
function machineJiffies() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = fields.map(Number);
    const idle = n[3] + (n[4] ?? 0);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/**
 * CPU use while `work` runs: each listed process in % of one core, this process (the load
 * generator) likewise, and the whole machine in % of all its cores (what the neighbours use shows
 * up there).
 */
export async function withCpu(pids, work) {
  const wall0 = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const self0 = process.cpuUsage();
  const m0 = machineJiffies();
  const result = await work();
  const wall = performance.now() - wall0;
  const self = process.cpuUsage(self0);
  const m1 = machineJiffies();
  const cpu = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, ((cpuMs(pid) - before[name]) / wall) * 100]));
  cpu.loadgen = ((self.user + self.system) / 1000 / wall) * 100;
  cpu.machine = ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100;
  return { result, cpu };
}

/**
 * Waits until the process has (nearly) stopped using CPU: after autocannon stops, the app may still
 * be working through requests it had accepted, which would land in the next run's figures.
 */
export async function waitIdle(pid, { windowMs = 1000, maxCpuPercent = 5, timeoutMs = 120_000 } = {}) {
  const startedAt = Date.now();
  let before = cpuMs(pid);
  for (;;) {
    await sleep(windowMs);
    const now = cpuMs(pid);
    if (!Number.isFinite(now)) return Date.now() - startedAt;
    if (((now - before) / windowMs) * 100 <= maxCpuPercent || Date.now() - startedAt > timeoutMs) return Date.now() - startedAt;
    before = now;
  }
}

export function rssKb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

// --- The app's API -------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One HTTP request on a single keep-alive socket (no pool, no fetch overhead): the timing client. */
export function call(baseUrl, method, path, { token, body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const started = process.hrtime.bigint();
    const req = httpRequest(
      `${baseUrl}${path}`,
      {
        method,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const raw = Buffer.concat(chunks);
          let json;
          try {
            json = JSON.parse(raw.toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, raw, json, ms });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function expectOk(res, what) {
  if (res.status < 200 || res.status >= 300) throw new Error(`${what} answered ${res.status}: ${res.raw.toString('utf8').slice(0, 400)}`);
  return res.json;
}

/**
 * Registers `count` students through the API and signs them in; the first `premium` of them are
 * promoted in the database (premium for a year). Returns { free: [tokens], premium: [tokens], all }.
 */
export async function makeStudents(app, db, { count, premium, tag }) {
  const students = [];
  const password = `bench-${randomBytes(6).toString('hex')}`;
  const work = Array.from({ length: count }, (_, i) => i);
  const worker = async () => {
    for (let i = work.shift(); i !== undefined; i = work.shift()) {
      const email = `${tag}-${i}@bench.example.com`;
      const registered = await expectOk(
        await fetchJson(app.url, 'POST', '/api/v1/auth/register', { body: { email, password, full_name: `Bench Student ${i}` } }),
        'register',
      );
      const login = await expectOk(await fetchJson(app.url, 'POST', '/api/v1/auth/login', { body: { email, password } }), 'login');
      students[i] = { id: registered.student_id, token: login.access_token };
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const premiumIds = students.slice(0, premium).map((s) => s.id);
  await db.query(
    `UPDATE students SET subscription_tier = 'premium', subscription_expires_at = now() + interval '1 year' WHERE student_id = ANY($1::uuid[])`,
    [premiumIds],
  );
  return {
    all: students.map((s) => s.token),
    premium: students.slice(0, premium).map((s) => s.token),
    free: students.slice(premium).map((s) => s.token),
    ids: students.map((s) => s.id),
  };
}

/** fetch() for set-up calls (not timed). */
export async function fetchJson(baseUrl, method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  let json;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), raw, json };
}

/** A valid answers body for the quiz, built from its questions (first option each). */
export async function quizAnswers(app, token) {
  const quiz = await expectOk(await fetchJson(app.url, 'GET', `/api/v1/quizzes/${QUIZ_ID}`, { token }), 'get quiz');
  return { answers: Object.fromEntries(quiz.questions.map((q) => [q.question_id, q.options[0].key])) };
}

/**
 * Samples pg_stat_activity for the benchmark database every `everyMs` while a run goes on: how
 * many of the app's connections are busy, and on what they wait (pool exhaustion, WAL, locks).
 */
export function sampleDatabase(client, database, everyMs = 250) {
  let samples = 0;
  let busyTotal = 0;
  let connectionsTotal = 0;
  let busyMax = 0;
  const waits = {};
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const { rows } = await client.query(
        `SELECT state, coalesce(wait_event_type || ':' || wait_event, 'cpu') AS wait FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [database],
      );
      samples++;
      connectionsTotal += rows.length;
      const busy = rows.filter((r) => r.state !== 'idle');
      busyTotal += busy.length;
      busyMax = Math.max(busyMax, busy.length);
      for (const r of busy) waits[r.wait] = (waits[r.wait] ?? 0) + 1;
    } catch {
      // a missed sample is fine
    } finally {
      running = false;
    }
  }, everyMs);
  return () => {
    clearInterval(timer);
    const top = Object.entries(waits)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([wait, n]) => `${wait} ${((n / Math.max(1, busyTotal)) * 100).toFixed(0)}%`);
    return {
      samples,
      connections_avg: samples ? connectionsTotal / samples : NaN,
      busy_avg: samples ? busyTotal / samples : NaN,
      busy_max: busyMax,
      waits: top,
    };
  };
}

// --- Bookkeeping ---------------------------------------------------------------------------------

/** How premium requests were served (premium_requests.source) and LLM call outcomes so far. */
export async function premiumSources(client) {
  const rows = await client.query(
    `SELECT 'path:' || source AS k, count(*)::int AS n FROM premium_requests WHERE feature = 'adaptive_paths' GROUP BY source
     UNION ALL SELECT 'llm:' || outcome, count(*)::int FROM llm_usage_logs GROUP BY outcome`,
  );
  return Object.fromEntries(rows.rows.map((r) => [r.k, r.n]));
}

export function diffCounts(after, before) {
  const out = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) !== 0) out[k] = v - (before[k] ?? 0);
  return out;
}

/** The benchmark's students' keys in Redis (cached paths, quota mirrors, per-user throttle counters). */
export async function forgetRedisKeys(ids) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const id of ids) {
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `*${id}*`, 'COUNT', 1000);
        cursor = nextCursor;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

// --- CPU profiles ----------------------------------------------------------------------------------

/**
 * The `n` functions with the most self time in a V8 .cpuprofile, in % of the non-idle samples:
 * `{ name, where, percent }`, `where` shortened to the package (node_modules/<pkg>) or the file
 * under dist/ or node: internals, with the line.
 */
export function profileTop(profile, n = 10) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const bySite = new Map();
  let total = 0;
  for (const [id, count] of counts) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === '(idle)') continue;
    total += count;
    const key = `${functionName || '(anonymous)'}\u0000${shortUrl(url)}:${lineNumber + 1}`;
    bySite.set(key, (bySite.get(key) ?? 0) + count);
  }
  return [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, count]) => {
      const [name, where] = key.split('\u0000');
      return { name, where: where === ':0' ? '' : where, percent: (count / Math.max(1, total)) * 100 };
    });
}

function shortUrl(url) {
  if (!url) return '';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pkg) return `${pkg[1]}/${pkg[2]}`;
  const dist = /\/dist\/(.*)$/.exec(url);
  return dist ? dist[1] : url.replace(/^file:\/\//, '');
}

// --- Prometheus ------------------------------------------------------------------------------------

export async function scrapeMetrics(baseUrl) {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return parsePrometheus(await res.text());
}

function parsePrometheus(text) {
  const series = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const m of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
    series.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return series;
}

export function metricValue(series, name, labels = {}) {
  const hit = series.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hit?.value ?? NaN;
}

/** The http_request_duration_seconds buckets of one route's 2xx answers: {le → cumulative count}. */
function routeBuckets(series, method, route) {
  const buckets = new Map();
  for (const s of series) {
    if (s.name !== 'http_request_duration_seconds_bucket' || s.labels.method !== method || s.labels.route !== route) continue;
    if (!/^2/.test(s.labels.status ?? '')) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
  }
  return buckets;
}

/**
 * p50/p99 of the app's own histogram between two scrapes, in ms, interpolated linearly inside a
 * bucket (the buckets are 1, 2.5, 5, 10, 25, 50… ms, so these are coarse).
 */
export function histogramPercentiles(before, after, method, route, ps = [50, 99]) {
  const a = routeBuckets(after, method, route);
  const b = routeBuckets(before, method, route);
  const les = [...a.keys()].sort((x, y) => x - y);
  const cumulative = les.map((le) => (a.get(le) ?? 0) - (b.get(le) ?? 0));
  const total = cumulative.at(-1) ?? 0;
  const out = { count: total };
  for (const p of ps) {
    if (total === 0) {
      out[`p${p}`] = NaN;
      continue;
    }
    const rank = (p / 100) * total;
    const i = cumulative.findIndex((c) => c >= rank);
    const upper = les[i];
    const lower = i === 0 ? 0 : les[i - 1];
    const below = i === 0 ? 0 : cumulative[i - 1];
    const inBucket = cumulative[i] - below;
    out[`p${p}`] = upper === Infinity ? lower * 1000 : (lower + ((rank - below) / (inBucket || 1)) * (upper - lower)) * 1000;
  }
  return out;
}

// --- Load --------------------------------------------------------------------------------------------

/**
 * One autocannon run. `tokens` are spread over the connections (connection i signs in as student
 * i mod n); or `perConnection(i)` returns `{ token, requests }` for connection i. Latencies are
 * taken from every response (exact, sub-millisecond), not from autocannon's integer-millisecond
 * histogram; `onResponse(status, ms)` sees each one as it comes.
 */
export async function runLoad({ url, connections, seconds, requests, tokens, perConnection, rate, timeoutSeconds = 10, onResponse }) {
  const latencies = [];
  const statuses = {};
  let next = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: timeoutSeconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: requests ?? perConnection(0).requests,
    setupClient: (client) => {
      const i = next++;
      const own = perConnection ? perConnection(i) : { token: tokens && tokens.length > 0 ? tokens[i % tokens.length] : undefined, requests };
      // Fresh request objects per connection: autocannon writes each one's built buffer onto it.
      client.setRequests(
        own.requests.map((r) => ({
          ...r,
          headers: { ...(r.headers ?? {}), ...(own.token ? { authorization: `Bearer ${own.token}` } : {}) },
        })),
      );
    },
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    onResponse?.(statusCode, responseTime);
  });
  const result = await instance;
  const lat = percentiles(latencies, [50, 90, 99]);
  return {
    connections,
    seconds: result.duration,
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: lat.p50,
    p90: lat.p90,
    p99: lat.p99,
    max: lat.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  };
}

export const jsonPost = (path, body) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const get = (path) => ({ method: 'GET', path });

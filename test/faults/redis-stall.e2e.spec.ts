import { startTestApp, type TestApp } from '../support/test-app.js';
import { RedisProcess, waitFor } from './support/processes.js';
import { TcpProxy } from './support/tcp-proxy.js';

/** Well above normal latency plus the Redis command timeout, far below an outage's length. */
const BOUND_MS = 1500;
/** Past this a request counts as hung (the outage lasts longer). */
const HUNG_MS = 6000;

type Timed = { what: string; status: number; ms: number };

async function timed(what: string, send: () => PromiseLike<{ status: number }>): Promise<Timed> {
  const started = Date.now();
  try {
    const res = await send();
    return { what, status: res.status, ms: Date.now() - started };
  } catch {
    return { what, status: 0, ms: Date.now() - started }; // client-side timeout: hung
  }
}

async function register(t: TestApp, email: string): Promise<string> {
  await t.http.post('/api/v1/auth/register').send({ email, password: 'longenough1', full_name: 'R' }).expect(201);
  return t.login(email, 'longenough1');
}

/** Every request of the app, with Redis configured, while Redis itself stops answering. */
describe('Redis paused with SIGSTOP under a running app', () => {
  let redis: RedisProcess | undefined;
  let t: TestApp | undefined;
  let auth = '';

  beforeAll(async () => {
    redis = await RedisProcess.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    auth = await register(t, 'paused@example.com');
  });
  afterAll(async () => {
    redis?.resume();
    await t?.close();
    await redis?.stop();
  });

  it('answers health, login and reads within the bound while Redis is paused, says degraded, and is healthy again after', async () => {
    const h = t!.http;
    expect((await h.get('/api/v1/health').expect(200)).body.status).toBe('healthy');
    redis!.pause();
    const seen: Timed[] = [];
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      seen.push(
        await timed('health', () => h.get('/api/v1/health').timeout(HUNG_MS)),
        await timed('login', () => h.post('/api/v1/auth/login').timeout(HUNG_MS).send({ email: 'paused@example.com', password: 'longenough1' })),
        await timed('chapters', () => h.get('/api/v1/chapters').timeout(HUNG_MS).set('authorization', auth)),
        await timed('quota', () => h.get('/api/v1/auth/me').timeout(HUNG_MS).set('authorization', auth)),
      );
    }
    const health = await h.get('/api/v1/health').timeout(HUNG_MS);
    redis!.resume();
    const worst = Math.max(...seen.map((s) => s.ms));
    process.stderr.write(`redis paused: ${seen.length} requests, worst ${worst} ms, hung ${seen.filter((s) => s.status === 0).length}\n`);

    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(worst).toBeLessThan(BOUND_MS);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { database: { status: 'up' }, cache: { status: 'down', store: 'redis' } } });

    await waitFor('health to be healthy again', async () => (await h.get('/api/v1/health')).body.status === 'healthy', 10_000, 100);
  }, 30_000);
});

/** Resets of the app's Redis connections (a proxy the test controls) while requests keep coming. */
describe('Redis connections reset under load', () => {
  let redis: RedisProcess | undefined;
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;
  let auth = '';

  beforeAll(async () => {
    redis = await RedisProcess.start();
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: redis.port });
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${proxy.address.port}` });
    auth = await register(t, 'reset@example.com');
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await redis?.stop();
  });

  it('keeps every request within the bound through repeated resets and a stalled link, and is healthy after', async () => {
    const h = t!.http;
    const seen: Timed[] = [];
    let running = true;
    const clients = Array.from({ length: 8 }, async (_, i) => {
      while (running) {
        seen.push(
          i % 2 === 0
            ? await timed('chapters', () => h.get('/api/v1/chapters').timeout(HUNG_MS).set('authorization', auth))
            : await timed('health', () => h.get('/api/v1/health').timeout(HUNG_MS)),
        );
      }
    });
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(500);
    for (let i = 0; i < 3; i++) {
      proxy!.reset();
      await pause(700);
    }
    // The link stops forwarding without closing: commands sent on it are never answered.
    proxy!.pause();
    await pause(2500);
    await proxy!.restore();
    await pause(500);
    running = false;
    await Promise.all(clients);
    const worst = Math.max(...seen.map((s) => s.ms));
    process.stderr.write(`redis reset/stall: ${seen.length} requests, worst ${worst} ms, hung ${seen.filter((s) => s.status === 0).length}\n`);

    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(worst).toBeLessThan(BOUND_MS);
    await waitFor('health to be healthy again', async () => (await h.get('/api/v1/health')).body.status === 'healthy', 10_000, 100);
  }, 40_000);
});

import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TcpProxy } from './support/tcp-proxy.js';

const CIRCUIT = 'anthropic:claude-sonnet-5-5';

/**
 * The model refusing connections, stalling, overloaded: through HTTP, with timing bounds. (The
 * gateway-level policies are covered in test/llm; simple 500/529 fallbacks in test/premium.)
 */
describe('adaptive paths when the LLM is down or slow', () => {
  let fake: FakeAnthropicServer | undefined;
  let proxy: TcpProxy | undefined;
  let t: TestApp | undefined;
  let s: { auth: string; id: string };

  beforeAll(async () => {
    fake = await FakeAnthropicServer.start();
    // The proxy lets the test make the model's address refuse connections outright.
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fake.url).port) });
    t = await startTestApp({
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${proxy.address.port}`,
      ANTHROPIC_TIMEOUT: '1',
      ANTHROPIC_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURES: '3',
      LLM_CIRCUIT_HALF_OPEN_SECONDS: '1',
      PREMIUM_ADAPTIVE_PATHS_LIMIT: '100',
    });
    const res = await t.http.post('/api/v1/auth/register').send({ email: 'llm-down@example.com', password: 'longenough1', full_name: 'L' }).expect(201);
    await t.app
      .get(DataSource)
      .query(`UPDATE students SET subscription_tier = 'premium', subscription_expires_at = now() + interval '30 days' WHERE student_id = $1`, [
        res.body.student_id,
      ]);
    s = { auth: await t.login('llm-down@example.com', 'longenough1'), id: res.body.student_id };
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await fake?.close();
  });
  beforeEach(() => fake!.reset());

  const used = async (): Promise<number> =>
    (await t!.app.get(DataSource).query(`SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND feature = 'adaptive_paths'`, [s.id]))[0]
      ?.used ?? 0;

  /** One forced path: its answer, how long it took, and the units it cost. */
  async function timedPath(): Promise<{ source: string; ms: number; spent: number }> {
    const before = await used();
    const started = Date.now();
    const res = await t!.http.post('/api/v2/adaptive/path').set('authorization', s.auth).send({ force_refresh: true });
    const ms = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.recommendations.length).toBeGreaterThan(0);
    return { source: res.body.decision_source, ms, spent: (await used()) - before };
  }
  const health = async () => (await t!.http.get('/api/v1/health').expect(200)).body;

  it('serves the rules path at once, free, when the model’s address refuses connections', async () => {
    await proxy!.cut();
    try {
      const path = await timedPath();
      expect(path).toMatchObject({ source: 'rules', spent: 0 });
      expect(path.ms).toBeLessThan(1000);
    } finally {
      await proxy!.restore();
    }
    expect(await timedPath()).toMatchObject({ source: 'llm', spent: 1 });
  });

  it('serves the rules path soon after ANTHROPIC_TIMEOUT, free, when the model stalls', async () => {
    fake!.setDefault({ kind: 'slow', delayMs: 20_000 });
    const path = await timedPath();
    expect(path).toMatchObject({ source: 'rules', spent: 0 });
    expect(path.ms).toBeGreaterThanOrEqual(1000);
    expect(path.ms).toBeLessThan(2500);
    expect(fake!.requests).toHaveLength(1);
    fake!.setDefault({ kind: 'ok' });
    expect(await timedPath()).toMatchObject({ source: 'llm', spent: 1 });
  });

  it('opens the circuit after 3 overloaded answers (health shows it, the model is not called), and closes it after a good probe', async () => {
    fake!.setDefault({ kind: 'overloaded' });
    for (let i = 0; i < 3; i++) {
      const path = await timedPath();
      expect(path).toMatchObject({ source: 'rules', spent: 0 });
      expect(path.ms).toBeLessThan(1000);
    }
    expect(fake!.requests).toHaveLength(3);
    const opened = Date.now();
    expect(await health()).toMatchObject({ status: 'degraded', checks: { llm: { status: 'down', open_circuits: [CIRCUIT] } } });

    for (let i = 0; i < 3; i++) {
      const path = await timedPath();
      expect(path).toMatchObject({ source: 'rules', spent: 0 });
      expect(path.ms).toBeLessThan(1000);
    }
    expect(fake!.requests).toHaveLength(3); // an open circuit keeps calls away from the model

    // cockatiel lets one probe through once the half-open period (1 s) has passed.
    await new Promise((r) => setTimeout(r, Math.max(0, opened + 1100 - Date.now())));
    fake!.setDefault({ kind: 'ok' });
    expect(await timedPath()).toMatchObject({ source: 'llm', spent: 1 });
    expect(fake!.requests).toHaveLength(4);
    expect(await health()).toMatchObject({ status: 'healthy', checks: { llm: { status: 'up', open_circuits: [] } } });
  });
});

import { seedDemoUsage, type DemoPricer, type DemoRepositories } from '../../src/admin/demo/demo-usage.js';
import { StudentsRepository } from '../../src/core/index.js';
import { PremiumRequestsRepository, UsageLogRepository } from '../../src/usage/index.js';
import { computeCost } from '../../src/llm/pricing/cost-calculator.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const micro = (usd: number) => Math.round(usd * 1_000_000);
const price: DemoPricer = (model, tokens, at) => computeCost(model, tokens, { at }).microUsd;

describe('a simulated month of usage (npm run demo:usage)', () => {
  let t: TestApp;
  let seeded: { rows: number; costMicro: number };
  let admin: string;
  let repos: DemoRepositories;
  const range = { start_date: '', end_date: '' };

  beforeAll(async () => {
    t = await startTestApp();
    repos = { students: t.app.get(StudentsRepository), usage: t.app.get(UsageLogRepository), requests: t.app.get(PremiumRequestsRepository) };
    seeded = await seedDemoUsage(repos, price);
    admin = await t.login(DEMO.admin.email, DEMO.admin.password);
    const today = new Date();
    range.end_date = today.toISOString().slice(0, 10);
    range.start_date = new Date(today.getTime() - 40 * 86_400_000).toISOString().slice(0, 10);
  });
  afterAll(() => t.close());

  it('is the same total in the cost report (every grouping), the CSV and the metrics', async () => {
    expect(seeded.rows).toBeGreaterThan(500);
    for (const group of ['feature', 'student', 'model', 'day']) {
      const body = (await t.http.get('/api/v2/admin/costs').query({ ...range, group_by: group }).set('authorization', admin).expect(200)).body;
      expect(micro(body.total_cost_usd)).toBe(seeded.costMicro);
      const rows: { total_cost_usd: number }[] = body[`breakdown_by_${group}`];
      expect(rows.reduce((s, r) => s + micro(r.total_cost_usd), 0)).toBe(seeded.costMicro);

      const csv = (await t.http.get('/api/v2/admin/costs/export').query({ ...range, group_by: group }).set('authorization', admin).expect(200)).text;
      const [header, ...lines] = csv.trim().split('\n');
      const column = header!.split(',').indexOf('total_cost_usd');
      // The CSV carries exact decimals: add them as micro-dollar integers.
      const csvMicro = lines.reduce((s, l) => s + Number(l.split(',')[column]!.replace('.', '')), 0);
      expect(csvMicro).toBe(seeded.costMicro);
    }
    const metrics = (await t.http.get('/api/v2/admin/metrics').query(range).set('authorization', admin).expect(200)).body;
    expect(metrics.features.reduce((s: number, f: { cost_usd: number }) => s + micro(f.cost_usd), 0)).toBe(seeded.costMicro);
    const adaptive = metrics.features.find((f: { feature: string; variant: string }) => f.feature === 'adaptive_paths' && f.variant === 'adaptive');
    const statics = metrics.features.find((f: { feature: string; variant: string }) => f.feature === 'adaptive_paths' && f.variant === 'static');
    expect(adaptive.cache_hit_rate).toBeGreaterThan(0);
    expect(statics.llm_calls).toBe(0);
  });

  it('is idempotent: running it again replaces its own rows', async () => {
    const again = await seedDemoUsage(repos, price);
    expect(again.costMicro).toBe(seeded.costMicro);
    const body = (await t.http.get('/api/v2/admin/costs').query(range).set('authorization', admin).expect(200)).body;
    expect(micro(body.total_cost_usd)).toBe(seeded.costMicro);
  });
});

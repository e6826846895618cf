/**
 * The admin cost dashboard (GET /admin) in a real browser against the real app.
 *
 * The admin data APIs may not be wired yet: when GET /api/v2/admin/costs (or /metrics) answers
 * 404 NOT_FOUND, the browser gets their answers from fixture data of the agreed shapes through
 * page.route(); otherwise the real API answers, over usage rows this test writes to the database.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { DataSource } from 'typeorm';
import { launchChromium } from '../support/browser.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const SCREENSHOT = join(process.cwd(), 'test', 'artifacts', 'dashboard.png');
const SCRIPT_NAME = '<script>window.__pwned=1</script>';
const TIMEOUT = 60_000;
const DAY_MS = 86_400_000;
const GROUPS = ['day', 'feature', 'model', 'student'] as const;
type Group = (typeof GROUPS)[number];
type Json = Record<string, any>;

// ------------------------------------------------------------------ dates (UTC, as the API reads them)

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
const today = (): string => isoDay(new Date());
const addDays = (day: string, n: number): string => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
const lastDays = (n: number): { start: string; end: string } => ({ start: addDays(today(), -(n - 1)), end: today() });

/** The page's dollar format: cents from a dollar up, more digits below. */
function usd(n: number): string {
  const abs = Math.abs(n);
  const digits = abs >= 1 || abs === 0 ? 2 : abs >= 0.0001 ? 4 : 6;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: digits }).format(n);
}
/** The page's format for totals: cents, unless under a cent. */
const money = (n: number): string =>
  Math.abs(n) >= 0.01 || n === 0 ? new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n) : usd(n);
const int = (n: number): string => new Intl.NumberFormat('en-US').format(n);

// ------------------------------------------------------------------ fixture data (mock mode)

type UsageRecord = {
  day: string;
  feature: string;
  model: string;
  student: string;
  requests: number;
  failed: number;
  micro: number;
  tokensIn: number;
  tokensOut: number;
};

const THRESHOLD_MICRO = 500_000;
const SCRIPT_STUDENT_ID = '00000000-0000-4000-8000-00000000bad0';
const FIXTURE_STUDENTS = [
  'Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth',
  'Margaret Hamilton', 'Ken Thompson', 'Frances Allen', 'John McCarthy', 'Radia Perlman', 'Niklaus Wirth',
].map((name, i) => ({ id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, name }));
const NAMES = new Map<string, string>([...FIXTURE_STUDENTS.map((s) => [s.id, s.name] as const), [SCRIPT_STUDENT_ID, SCRIPT_NAME]]);

/** A year of daily usage for two features and two models, and a script-named student over the threshold lately. */
function buildRecords(): UsageRecord[] {
  const records: UsageRecord[] = [];
  const first = addDays(today(), -364);
  for (let d = 0; d < 365; d++) {
    const day = addDays(first, d);
    ['adaptive_paths', 'assessments'].forEach((feature, f) => {
      const requests = 20 + ((d * 7 + f * 13) % 17);
      records.push({
        day,
        feature,
        model: (d + f) % 3 === 0 ? 'claude-haiku-4-5' : 'claude-sonnet-4-5',
        student: FIXTURE_STUDENTS[(d + f * 5) % FIXTURE_STUDENTS.length]!.id,
        requests,
        failed: d % 9 === f ? 2 : 0,
        micro: requests * (f ? 1_800 : 3_200) + ((d * 37) % 5_000) + Math.round(2_000 * Math.sin(d / 20) + 2_000),
        tokensIn: requests * 1_200,
        tokensOut: requests * 300,
      });
    });
    if (d >= 365 - 30) {
      records.push({ day, feature: 'adaptive_paths', model: 'claude-sonnet-4-5', student: SCRIPT_STUDENT_ID, requests: 3, failed: 0, micro: 60_000, tokensIn: 4_000, tokensOut: 900 });
    }
  }
  return records;
}

/** micro ÷ n, rounded half-up to a whole micro-dollar (as the API does). */
const perUnit = (micro: number, n: number): number => (n === 0 ? 0 : Math.floor((micro * 2 + n) / (2 * n)));

function fixtureReport(records: UsageRecord[], start: string, end: string, group: Group): Json {
  const inRange = records.filter((r) => r.day >= start && r.day <= end);
  const rows = new Map<string, { requests: number; failed: number; micro: number; tokensIn: number; tokensOut: number }>();
  for (const r of inRange) {
    const key = group === 'day' ? r.day : group === 'feature' ? r.feature : group === 'model' ? r.model : r.student;
    const row = rows.get(key) ?? { requests: 0, failed: 0, micro: 0, tokensIn: 0, tokensOut: 0 };
    row.requests += r.requests;
    row.failed += r.failed;
    row.micro += r.micro;
    row.tokensIn += r.tokensIn;
    row.tokensOut += r.tokensOut;
    rows.set(key, row);
  }
  const sorted = [...rows.entries()].sort(([ka, a], [kb, b]) =>
    group === 'day' ? ka.localeCompare(kb) : b.micro - a.micro || ka.localeCompare(kb),
  );
  const total = inRange.reduce(
    (t, r) => ({ requests: t.requests + r.requests, failed: t.failed + r.failed, micro: t.micro + r.micro, tokensIn: t.tokensIn + r.tokensIn, tokensOut: t.tokensOut + r.tokensOut }),
    { requests: 0, failed: 0, micro: 0, tokensIn: 0, tokensOut: 0 },
  );
  const students = new Set(inRange.map((r) => r.student)).size;
  const alertAt = new Date(Date.now() - 3_600_000).toISOString();
  const alerts = alertAt.slice(0, 10) >= start && alertAt.slice(0, 10) <= end
    ? [{
        type: 'COST_THRESHOLD_EXCEEDED', level: 'alert', student_id: SCRIPT_STUDENT_ID, subject: SCRIPT_STUDENT_ID,
        period: today().slice(0, 7), cost_usd: 0.67, threshold_usd: 0.5, observed: 0.67, threshold: 0.5, created_at: alertAt,
      }]
    : [];
  return {
    period: { start_date: start, end_date: end },
    total_cost_usd: total.micro / 1e6,
    total_requests: total.requests,
    failed_requests: total.failed,
    average_cost_per_student: perUnit(total.micro, students) / 1e6,
    average_cost_per_request: perUnit(total.micro, total.requests) / 1e6,
    tokens_input: total.tokensIn,
    tokens_output: total.tokensOut,
    threshold_usd: THRESHOLD_MICRO / 1e6,
    [`breakdown_by_${group}`]: sorted.map(([key, r]) => ({
      [group]: key,
      ...(group === 'student' && { full_name: NAMES.get(key) ?? null }),
      total_requests: r.requests,
      failed_requests: r.failed,
      total_cost_usd: r.micro / 1e6,
      average_cost_per_request: perUnit(r.micro, r.requests) / 1e6,
      tokens_input: r.tokensIn,
      tokens_output: r.tokensOut,
    })),
    alerts,
  };
}

function fixtureCsv(report: Json, group: Group): string {
  const cell = (v: string | number | null | undefined): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const header = [group, ...(group === 'student' ? ['full_name'] : []), 'total_requests', 'failed_requests', 'total_cost_usd', 'average_cost_per_request', 'tokens_input', 'tokens_output'];
  const lines = (report[`breakdown_by_${group}`] as Json[]).map((r) =>
    [r[group], ...(group === 'student' ? [r.full_name] : []), r.total_requests, r.failed_requests, r.total_cost_usd.toFixed(6), r.average_cost_per_request.toFixed(6), r.tokens_input, r.tokens_output].map(cell).join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

function fixtureMetrics(start: string, end: string): Json {
  const row = (feature: string, variant: string, requests: number, cache: number | null, fallback: number, completion: number | null, costPerRequest: number, p50: number, p95: number) => ({
    feature, variant, requests, llm_calls: Math.round(requests * (1 - (cache ?? 0))), cache_hit_rate: cache, fallback_rate: fallback,
    latency_ms: { p50, p95 }, error_rate: 0.012, cost_usd: Number((requests * costPerRequest).toFixed(6)), cost_per_request: costPerRequest, completion_rate: completion,
  });
  return {
    period: { start_date: start, end_date: end },
    features: [
      row('adaptive_paths', 'static', 4120, 0.31, 0.02, 0.64, 0.0214, 820, 2310),
      row('adaptive_paths', 'adaptive', 4033, 0.44, 0.015, 0.71, 0.0188, 760, 2050),
      row('assessments', 'rules', 2210, null, 0.04, 0.88, 0.0097, 1210, 3900),
      row('assessments', 'llm', 2188, 0.12, 0.05, null, 0.0102, 1150, 3620),
    ],
  };
}

// ------------------------------------------------------------------ real-API mode: usage rows in the database

async function seedUsage(t: TestApp): Promise<void> {
  const res = await t.http.post('/api/v1/auth/register').send({ email: 'pwn@example.com', password: 'longenough1', full_name: SCRIPT_NAME }).expect(201);
  const scriptId = (res.body as { student_id: string }).student_id;
  const db = t.app.get(DataSource);
  const [demo] = await db.query<{ student_id: string }[]>(`SELECT student_id FROM students WHERE email = $1`, [DEMO.student.email]);
  await db.query(
    `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, variant, provider, model, outcome, success,
                                 tokens_input, tokens_output, cost_usd, latency_ms, created_at)
     SELECT gen_random_uuid(), 0, $1, f.feature, CASE WHEN d % 2 = 0 THEN (CASE f.n WHEN 0 THEN 'static' ELSE 'rules' END) ELSE (CASE f.n WHEN 0 THEN 'adaptive' ELSE 'llm' END) END, 'anthropic',
            CASE WHEN (d + f.n) % 3 = 0 THEN 'claude-haiku-4-5' ELSE 'claude-sonnet-4-5' END,
            CASE WHEN d % 9 = f.n THEN 'error' ELSE 'success' END, d % 9 <> f.n,
            1200, 300, 0.004000 + (d % 7) * 0.0005, 900, now() - make_interval(days => d) - interval '1 minute'
       FROM generate_series(0, 364) AS d
      CROSS JOIN (VALUES ('adaptive_paths', 0), ('assessments', 1)) AS f(feature, n)`,
    [demo!.student_id],
  );
  await db.query(
    `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, variant, provider, model, outcome, success,
                                 tokens_input, tokens_output, cost_usd, latency_ms, created_at)
     SELECT gen_random_uuid(), 0, $1, 'adaptive_paths', 'adaptive', 'anthropic', 'claude-sonnet-4-5', 'success', true,
            4000, 900, 0.060000, 1100, now() - make_interval(days => d) - interval '1 minute'
       FROM generate_series(0, 29) AS d`,
    [scriptId],
  );
  // What the students asked for, one row per request: the variant table's requests, cache and fallback rates.
  await db.query(
    `INSERT INTO premium_requests (request_id, feature, variant, student_id, source, latency_ms, created_at)
     SELECT gen_random_uuid(), f.feature, CASE WHEN d % 2 = 0 THEN f.control ELSE f.treatment END, $1,
            CASE WHEN d % 4 = 1 THEN 'cache' WHEN d % 9 = f.n THEN 'fallback' WHEN d % 2 = 0 THEN 'rules' ELSE 'llm' END,
            CASE WHEN d % 4 = 1 THEN 3 ELSE 700 + (d % 11) * 90 END, now() - make_interval(days => d) - interval '2 minutes'
       FROM generate_series(0, 364) AS d
      CROSS JOIN (VALUES ('adaptive_paths', 0, 'static', 'adaptive'), ('assessments', 1, 'rules', 'llm')) AS f(feature, n, control, treatment)`,
    [demo!.student_id],
  );
  await db.query(
    `INSERT INTO llm_alerts (type, level, subject, student_id, period, observed, threshold, created_at)
     VALUES ('COST_THRESHOLD_EXCEEDED', 'alert', $1::text, $1::uuid, to_char(now(), 'YYYY-MM'), 0.67, 0.5, now() - interval '1 hour')`,
    [scriptId],
  );
}

// ------------------------------------------------------------------ the run

let t: TestApp | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let downloadsDir = '';
let mockCosts = false;
let mockMetrics = false;
const records = buildRecords();
const adminRequests: string[] = [];
const problems: string[] = [];
const roles = new Map<string, string | null>();

async function getJson(path: string, auth: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(baseUrl + path, { headers: { authorization: auth } });
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

/** The role of the bearer token's account, from the real app: what the mocked admin APIs authorise with. */
async function roleOf(auth: string | undefined): Promise<string | null> {
  if (!auth) return null;
  if (!roles.has(auth)) {
    const me = await getJson('/api/v1/auth/me', auth);
    roles.set(auth, me.status === 200 ? (me.body.role as string) : null);
  }
  return roles.get(auth) ?? null;
}

/** What the page gets for one cost query: from the fixture, or from the real API as admin. */
async function expectedReport(start: string, end: string, group: Group): Promise<Json> {
  if (mockCosts) return fixtureReport(records, start, end, group);
  const auth = await t!.login(DEMO.admin.email, DEMO.admin.password);
  const res = await getJson(`/api/v2/admin/costs?start_date=${start}&end_date=${end}&group_by=${group}`, auth);
  expect(res.status).toBe(200);
  return res.body;
}

async function mockAdminApi(route: Route): Promise<void> {
  const request = route.request();
  const url = new URL(request.url());
  const isCosts = url.pathname === '/api/v2/admin/costs' || url.pathname === '/api/v2/admin/costs/export';
  const isMetrics = url.pathname === '/api/v2/admin/metrics';
  if (!(isCosts && mockCosts) && !(isMetrics && mockMetrics)) return route.continue();
  const envelope = (code: string, message: string) => ({ error: { code, message, request_id: 'mock' } });
  const role = await roleOf(request.headers()['authorization']);
  if (role === null) return route.fulfill({ status: 401, json: envelope('UNAUTHORIZED', 'A valid bearer token is required') });
  if (role !== 'admin') return route.fulfill({ status: 403, json: envelope('FORBIDDEN', 'This route is for administrators') });
  const start = url.searchParams.get('start_date') ?? '';
  const end = url.searchParams.get('end_date') ?? '';
  if (isMetrics) return route.fulfill({ status: 200, json: fixtureMetrics(start, end) });
  const group = (url.searchParams.get('group_by') ?? 'feature') as Group;
  if (!GROUPS.includes(group)) return route.fulfill({ status: 400, json: envelope('VALIDATION_ERROR', 'The request is not valid') });
  const report = fixtureReport(records, start, end, group);
  if (url.pathname.endsWith('/export')) {
    return route.fulfill({ status: 200, contentType: 'text/csv; charset=utf-8', body: fixtureCsv(report, group) });
  }
  return route.fulfill({ status: 200, json: report });
}

async function signIn(email: string, password: string): Promise<void> {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function waitReady(): Promise<void> {
  await page.locator('[data-testid="dashboard"][data-state="ready"]').waitFor({ state: 'visible', timeout: 20_000 });
}

async function tile(id: string): Promise<{ text: string; value: number }> {
  const locator = page.getByTestId(id);
  return { text: (await locator.textContent()) ?? '', value: Number(await locator.getAttribute('data-value')) };
}

/** Per canvas: its size, whether Chart.js drew a chart on it, its point count, and whether any pixel is painted. */
async function chartState(): Promise<Record<string, { width: number; height: number; chart: boolean; points: number; painted: boolean }>> {
  return page.evaluate(() => {
    const out: Record<string, { width: number; height: number; chart: boolean; points: number; painted: boolean }> = {};
    // The test compiles without the DOM types: the browser's globals are reached through globalThis.
    const g = globalThis as any;
    const Chart = g.Chart;
    g.document.querySelectorAll('canvas').forEach((canvas: any) => {
      const chart = Chart?.getChart(canvas);
      const pixels: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = false;
      for (let i = 3; i < pixels.length; i += 4) {
        if (pixels[i]! > 0) {
          painted = true;
          break;
        }
      }
      out[canvas.id] = {
        width: canvas.width,
        height: canvas.height,
        chart: Boolean(chart),
        points: chart ? chart.data.datasets[0].data.length : 0,
        painted,
      };
    });
    return out;
  });
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');

  const probe = await fetch(`${baseUrl}/admin`);
  if (probe.status === 404) {
    throw new Error('GET /admin answered 404: DashboardModule (src/admin/dashboard/dashboard.module.ts) is not wired in; import it in AdminModule or AppModule');
  }

  const admin = await t.login(DEMO.admin.email, DEMO.admin.password);
  const range = lastDays(30);
  const costs = await getJson(`/api/v2/admin/costs?start_date=${range.start}&end_date=${range.end}&group_by=day`, admin);
  mockCosts = costs.status === 404 && costs.body.error?.code === 'NOT_FOUND';
  const metrics = await getJson(`/api/v2/admin/metrics?start_date=${range.start}&end_date=${range.end}`, admin);
  mockMetrics = metrics.status === 404 && metrics.body.error?.code === 'NOT_FOUND';
  if (!mockCosts) await seedUsage(t);
  process.stdout.write(`dashboard test: costs API ${mockCosts ? 'mocked (404)' : 'real'}, metrics API ${mockMetrics ? 'mocked (404)' : 'real'}\n`);

  browser = await launchChromium();
  downloadsDir = await mkdtemp(join(tmpdir(), 'cc-dashboard-dl-'));
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC', acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // A refused API call (401/403) is logged by the browser as "Failed to load resource": expected here.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/v2/admin/')) adminRequests.push(url.pathname + url.search);
  });
  await page.route('**/api/v2/admin/**', mockAdminApi);
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  if (downloadsDir) await rm(downloadsDir, { recursive: true, force: true });
  await t?.close();
}, TIMEOUT);

describe('the dashboard routes', () => {
  it('serve the page with a strict CSP and no caching', async () => {
    const res = await fetch(`${baseUrl}/admin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'", "connect-src 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/<style|\sstyle=/); // no inline style
  });

  it('serve the static files and Chart.js with their content types', async () => {
    const js = await fetch(`${baseUrl}/admin/assets/dashboard.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = await fetch(`${baseUrl}/admin/assets/dashboard.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const chart = await fetch(`${baseUrl}/admin/vendor/chart.js`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await chart.text()).toContain('Chart.js v4');
  });

  it.each([
    '/admin/assets/..%2F..%2Fpackage.json',
    '/admin/assets/..%2Fpackage.json',
    '/admin/assets/..',
    '/admin/assets/%2Fetc%2Fpasswd',
    '/admin/assets/.hidden',
    '/admin/assets/missing.js',
  ])('answer 404 NOT_FOUND for %s', async (path) => {
    const res = await fetch(baseUrl + path);
    expect(res.status).toBe(404);
    expect(((await res.json()) as Json).error).toMatchObject({ code: 'NOT_FOUND', request_id: expect.any(String) });
  });

  it('are left out of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${baseUrl}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin'))).toEqual([]);
  });
});

describe('the dashboard in a browser', () => {
  it('shows the API error message for a wrong password', async () => {
    await page.goto(`${baseUrl}/admin`);
    await page.getByTestId('login-form').waitFor();
    const expected = await t!.http.post('/api/v1/auth/login').send({ email: DEMO.admin.email, password: 'wrong-password' });
    await signIn(DEMO.admin.email, 'wrong-password');
    await page.getByTestId('login-error').waitFor({ state: 'visible' });
    await expect(page.getByTestId('login-error').textContent()).resolves.toBe((expected.body as Json).error.message);
    expect(await page.getByTestId('dashboard').isHidden()).toBe(true);
  }, TIMEOUT);

  it('signs the admin in and loads every grouping once, with no per-row requests', async () => {
    adminRequests.length = 0;
    await signIn(DEMO.admin.email, DEMO.admin.password);
    await waitReady();
    expect(await page.evaluate(() => Object.keys((globalThis as any).sessionStorage).length)).toBe(1);
    const costs = adminRequests.filter((r) => r.startsWith('/api/v2/admin/costs?'));
    expect(costs.map((r) => new URL(r, baseUrl).searchParams.get('group_by')).sort()).toEqual([...GROUPS].sort());
    const range = lastDays(30);
    for (const r of costs) expect(r).toContain(`start_date=${range.start}&end_date=${range.end}`);
    expect(adminRequests.filter((r) => r.startsWith('/api/v2/admin/metrics?'))).toHaveLength(1);
    expect(adminRequests).toHaveLength(5);
  }, TIMEOUT);

  it('shows the totals in the tiles', async () => {
    const range = lastDays(30);
    const report = await expectedReport(range.start, range.end, 'day');
    expect(report.total_cost_usd).toBeGreaterThan(0);
    const checks: [string, number, (n: number) => string][] = [
      ['tile-total-cost', report.total_cost_usd, money],
      ['tile-requests', report.total_requests, int],
      ['tile-failed', report.failed_requests, int],
      ['tile-avg-student', report.average_cost_per_student, usd],
      ['tile-avg-request', report.average_cost_per_request, usd],
    ];
    for (const [id, value, format] of checks) {
      await expect(tile(id)).resolves.toEqual({ text: format(value), value });
    }
  }, TIMEOUT);

  it('draws every chart with Chart.js', async () => {
    const charts = await chartState();
    expect(Object.keys(charts).sort()).toEqual(['chart-daily', 'chart-feature', 'chart-model', 'chart-students']);
    for (const [id, c] of Object.entries(charts)) {
      expect({ id, ...c }).toEqual({ id, width: expect.any(Number), height: expect.any(Number), chart: true, points: expect.any(Number), painted: true });
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
      expect(c.points).toBeGreaterThan(0);
    }
    expect(charts['chart-daily']!.points).toBe(30); // every day of the range, zero-filled
    expect(charts['chart-feature']!.points).toBe(2);
    expect(charts['chart-students']!.points).toBeLessThanOrEqual(10);
  }, TIMEOUT);

  it('lists the alert with its level', async () => {
    const alerts = page.getByTestId('alerts-list').locator('li');
    await expect(alerts.count()).resolves.toBeGreaterThanOrEqual(1);
    const first = alerts.first();
    await expect(first.getAttribute('data-level')).resolves.toBe('alert');
    await expect(first.locator('.badge').textContent()).resolves.toBe('alert');
    await expect(first.locator('.alert-title').textContent()).resolves.toContain(SCRIPT_NAME);
    await expect(first.locator('.alert-meta').textContent()).resolves.toContain('$0.67 of $0.50 limit');
  }, TIMEOUT);

  it('shows the script-named student as text, over the threshold, and runs nothing', async () => {
    const top = page.getByTestId('students-table').locator('tbody tr').first();
    await expect(top.locator('.student-name').textContent()).resolves.toBe(SCRIPT_NAME);
    await expect(top.getAttribute('class')).resolves.toBe('over');
    await expect(top.locator('.badge').textContent()).resolves.toBe('over threshold');
    expect(await page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => (globalThis as any).document.querySelectorAll('main script, #dashboard script').length)).toBe(0);
    // The bar of an over-threshold student is drawn in the warning colour, the others not.
    const colours = await page.evaluate(() => {
      const g = globalThis as any;
      const chart = g.Chart.getChart(g.document.getElementById('chart-students'));
      return { labels: chart.data.labels, colours: chart.data.datasets[0].backgroundColor };
    });
    expect(colours.labels[0]).toBe(SCRIPT_NAME.slice(0, 25) + '…');
    expect(new Set(colours.colours).size).toBeGreaterThan(1);
  }, TIMEOUT);

  it('compares the variants per feature', async () => {
    const metrics = mockMetrics ? fixtureMetrics('', '') : null;
    const rows = page.getByTestId('variants-table').locator('tbody tr');
    if (metrics) {
      await expect(rows.count()).resolves.toBe(metrics.features.length);
      const adaptive = page.locator('[data-testid="variants-table"] tr[data-feature="adaptive_paths"][data-variant="adaptive"] td');
      await expect(adaptive.allTextContents()).resolves.toEqual(['', 'adaptive', '4,033', '2,258', '44.0%', '1.5%', '1.2%', '71.0%', '$0.0188', '760 ms', '2.05 s']);
      // A null rate is shown as a dash, not as 0%.
      const staticRow = page.locator('[data-testid="variants-table"] tr[data-feature="assessments"][data-variant="rules"] td');
      await expect(staticRow.nth(4).textContent()).resolves.toBe('–');
    } else {
      const count = await rows.count();
      const note = await page.getByTestId('variants-note').textContent();
      expect(count > 0 || /No premium requests/.test(note ?? '')).toBe(true);
    }
  }, TIMEOUT);

  it('switches to the last 365 days', async () => {
    adminRequests.length = 0;
    await page.getByTestId('preset-365').click();
    await page.locator('[data-testid="status"]', { hasText: '365 days' }).waitFor({ timeout: 20_000 });
    await waitReady();
    expect(adminRequests).toHaveLength(5);
    const range = lastDays(365);
    const report = await expectedReport(range.start, range.end, 'day');
    await expect(tile('tile-total-cost')).resolves.toEqual({ text: money(report.total_cost_usd), value: report.total_cost_usd });
    await expect(tile('tile-requests')).resolves.toEqual({ text: int(report.total_requests), value: report.total_requests });
    const charts = await chartState();
    expect(charts['chart-daily']!.points).toBe(365);
    await expect(page.getByTestId('preset-365').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByTestId('start-date').inputValue()).resolves.toBe(range.start);
  }, TIMEOUT);

  it('saves a full-page screenshot', async () => {
    await mkdir(join(process.cwd(), 'test', 'artifacts'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  }, TIMEOUT);

  it('downloads the CSV for the selected grouping with the bearer token', async () => {
    await page.getByTestId('export-group').selectOption('student');
    const exportRequest = page.waitForRequest((req) => req.url().includes('/api/v2/admin/costs/export?'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    const request = await exportRequest;
    expect(request.headers()['authorization']).toMatch(/^Bearer \S+$/);
    expect(new URL(request.url()).searchParams.get('group_by')).toBe('student');
    const range = lastDays(365);
    expect(download.suggestedFilename()).toBe(`llm-costs-by-student-${range.start}-to-${range.end}.csv`);
    const file = join(downloadsDir, download.suggestedFilename());
    await download.saveAs(file);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('student,full_name,total_requests,failed_requests,total_cost_usd,average_cost_per_request,tokens_input,tokens_output');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('\n')).toContain(SCRIPT_NAME);
  }, TIMEOUT);

  it('stays signed in across a reload, and signs out', async () => {
    await page.reload();
    await waitReady();
    await expect(page.getByTestId('login').isHidden()).resolves.toBe(true);
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.evaluate(() => Object.keys((globalThis as any).sessionStorage).length)).toBe(0);
    expect(await page.getByTestId('dashboard').isHidden()).toBe(true);
  }, TIMEOUT);

  it('tells a student the page is for admins only', async () => {
    await signIn(DEMO.student.email, DEMO.student.password);
    const forbidden = page.getByTestId('forbidden');
    await forbidden.waitFor({ state: 'visible', timeout: 20_000 });
    await expect(forbidden.textContent()).resolves.toMatch(/admins only/i);
    expect(await page.getByTestId('dashboard').isHidden()).toBe(true);
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
  }, TIMEOUT);

  it('logged no errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

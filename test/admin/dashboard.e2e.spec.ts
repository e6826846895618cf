/**
 * The admin cost dashboard (GET /admin) in a real browser against the real app: the real admin
 * APIs answer, over usage rows this test writes to the database. Nothing is mocked.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { COLORS } from '../../public/admin/js/charts.js';
import { addDays, lastDays as lastDaysTo, today } from '../../public/admin/js/dates.js';
import { int, money, usd } from '../../public/admin/js/format.js';
import { launchChromium } from '../support/browser.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const SCREENSHOT = join(process.cwd(), 'test', 'artifacts', 'dashboard.png');
const SCRIPT_NAME = '<script>window.__pwned=1</script>';
const TIMEOUT = 60_000;
const GROUPS = ['day', 'feature', 'model', 'student'] as const;
type Group = (typeof GROUPS)[number];
type Json = Record<string, any>;

// The page's own modules: the dates and formats it writes with, unit-tested in test/admin/dashboard/.
const lastDays = (n: number): { start: string; end: string } => lastDaysTo(n, today());

// ------------------------------------------------------------------ usage rows in the database

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
     VALUES ('COST_THRESHOLD_EXCEEDED', 'alert', $1::text, $1::uuid, to_char(now(), 'YYYY-MM'), 0.67, 0.5, now() - interval '1 hour'),
            ('ERROR_RATE_HIGH', 'alert', 'global', NULL, to_char(now() - interval '2 hours', 'YYYY-MM-DD"T"HH24'), 12.5, 5, now() - interval '2 hours')`,
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
const adminRequests: string[] = [];
const problems: string[] = [];

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

/** What the page gets for one cost query: the real API's answer to the admin. */
async function expectedReport(start: string, end: string, group: Group): Promise<Json> {
  const auth = await t!.login(DEMO.admin.email, DEMO.admin.password);
  const res = await getJson(`/api/v2/admin/costs?start_date=${start}&end_date=${end}&group_by=${group}`, auth);
  expect(res.status).toBe(200);
  return res.body;
}

async function signIn(email: string, password: string): Promise<void> {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function waitReady(): Promise<void> {
  await page.locator('[data-testid="dashboard"][data-state="ready"]').waitFor({ state: 'visible', timeout: 20_000 });
}

/** The value the students chart's threshold line is drawn at, or null for no line. */
function thresholdLineValue(): Promise<number | null> {
  return page.evaluate(() => {
    const g = globalThis as any;
    return g.Chart.getChart(g.document.getElementById('chart-students')).options.plugins.thresholdLine.value as number | null;
  });
}

/** The feature of each row group of the variant table, in order. */
function featureGroups(): Promise<string[]> {
  return page.getByTestId('variants-table').locator('tbody').evaluateAll((bodies) => bodies.map((b: any) => b.dataset.feature as string));
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

type Region = { name: string; x: number; y: number; width: number; height: number };
type RegionPixels = { pixels: number; ink: number; colours: Record<string, number> };

/**
 * Decodes the screenshot in a page of its own (Chromium's PNG decoder, no CSP) and, per region:
 * its pixels, those far from the region's most common colour (ink), and how many match each
 * colour (to within antialiasing).
 */
async function inspectScreenshot(png: Buffer, regions: Region[], colours: string[]): Promise<Record<string, RegionPixels>> {
  const viewer = await browser!.newPage();
  try {
    return await viewer.evaluate(
      async ({ data, regions, colours }) => {
        const g = globalThis as any;
        const image = new g.Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = g.document.createElement('canvas');
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(image, 0, 0);
        const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        const targets = colours.map((hex) => ({ hex, rgb: rgb(hex) }));
        const out: Record<string, { pixels: number; ink: number; colours: Record<string, number> }> = {};
        for (const r of regions) {
          const px: Uint8ClampedArray = ctx.getImageData(r.x, r.y, r.width, r.height).data;
          const counts = new Map<number, number>();
          for (let i = 0; i < px.length; i += 4) {
            const key = (px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          const bgKey = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
          const bg = [(bgKey >> 16) & 255, (bgKey >> 8) & 255, bgKey & 255];
          const found: Record<string, number> = Object.fromEntries(colours.map((c) => [c, 0]));
          let ink = 0;
          for (let i = 0; i < px.length; i += 4) {
            const p = [px[i]!, px[i + 1]!, px[i + 2]!];
            if (p.some((v, c) => Math.abs(v - bg[c]!) > 48)) ink++;
            for (const t of targets) if (p.every((v, c) => Math.abs(v - t.rgb[c]!) <= 12)) found[t.hex]!++;
          }
          out[r.name] = { pixels: px.length / 4, ink, colours: found };
        }
        return out;
      },
      { data: png.toString('base64'), regions, colours },
    );
  } finally {
    await viewer.close();
  }
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
  // The admin APIs must answer: a 404 here is a failure, not a reason to draw made-up numbers.
  expect(costs.status).toBe(200);
  const metrics = await getJson(`/api/v2/admin/metrics?start_date=${range.start}&end_date=${range.end}`, admin);
  expect(metrics.status).toBe(200);
  await seedUsage(t);

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

  it('serve the static files, every ES module the page imports, and Chart.js with their content types', async () => {
    const html = await (await fetch(`${baseUrl}/admin`)).text();
    expect(html).toContain('<script type="module" src="/admin/assets/js/main.js"></script>');
    // Every module reachable from main.js by its static imports, fetched as the browser would.
    const seen = new Set<string>();
    const queue = ['/admin/assets/js/main.js'];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await fetch(baseUrl + path);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 200, type: 'text/javascript; charset=utf-8' });
      for (const [, spec] of (await res.text()).matchAll(/^import [^;]*? from '(\.\/[\w.-]+\.js)';$/gm)) queue.push(new URL(spec!, baseUrl + path).pathname);
    }
    expect([...seen].sort()).toEqual(
      ['alerts', 'api', 'charts', 'dates', 'dom', 'format', 'main', 'panels', 'report', 'state', 'tables'].map((m) => `/admin/assets/js/${m}.js`),
    );
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
    '/admin/assets/dashboard.js',
    '/admin/assets/js/..%2F..%2F..%2Fpackage.json',
    '/admin/assets/js/..',
    '/admin/assets/js/.hidden',
    '/admin/assets/js/missing.js',
    '/admin/assets/js',
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

  it('signs the admin in and loads every grouping, the metrics and the feature flags once, with no per-row requests', async () => {
    adminRequests.length = 0;
    await signIn(DEMO.admin.email, DEMO.admin.password);
    await waitReady();
    expect(await page.evaluate(() => Object.keys((globalThis as any).sessionStorage).length)).toBe(1);
    const costs = adminRequests.filter((r) => r.startsWith('/api/v2/admin/costs?'));
    expect(costs.map((r) => new URL(r, baseUrl).searchParams.get('group_by')).sort()).toEqual([...GROUPS].sort());
    const range = lastDays(30);
    for (const r of costs) expect(r).toContain(`start_date=${range.start}&end_date=${range.end}`);
    expect(adminRequests.filter((r) => r.startsWith('/api/v2/admin/metrics?'))).toHaveLength(1);
    expect(adminRequests.filter((r) => r === '/api/v2/admin/flags')).toHaveLength(1);
    expect(adminRequests).toHaveLength(6);
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
    // The failed tile warns from the API's error-rate percentage: about one call in nine fails here.
    const attempts = report.total_requests + report.failed_requests;
    expect(report.error_rate_threshold_percent).toBe(5);
    expect(report.failed_requests * 100 >= 5 * attempts).toBe(true);
    await expect(page.getByTestId('tile-failed').locator('xpath=..').getAttribute('class')).resolves.toContain('tile-warn');
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
    // An error-rate alert's numbers are percentages (error_rate_percent), not dollars.
    const rate = page.getByTestId('alerts-list').locator('li', { hasText: 'High error rate' });
    await expect(rate.locator('.alert-meta').textContent()).resolves.toMatch(/^12\.5% of 5\.0% limit · period \d{4}-\d{2}-\d{2}T\d{2} · /);
  }, TIMEOUT);

  it("marks exactly the students the API counts over the threshold, and states the API's threshold", async () => {
    const range = lastDays(30);
    const students = (await expectedReport(range.start, range.end, 'student')).breakdown_by_student as Json[];
    const shown = await page.getByTestId('students-table').locator('tbody tr').evaluateAll((rows) =>
      rows.map((r: any) => ({ student: r.dataset.student, over: r.classList.contains('over') })),
    );
    expect(shown.length).toBe(Math.min(10, students.length));
    const months = new Map(students.map((r) => [r.student, r.over_threshold_months as string[]]));
    for (const row of shown) expect(row).toEqual({ student: row.student, over: months.get(row.student)!.length > 0 });
    expect(shown.filter((r) => r.over).length).toBeGreaterThan(0);
    expect(shown.filter((r) => !r.over).length).toBeGreaterThan(0);
    const over = students.filter((r) => r.over_threshold_months.length > 0).length;
    await expect(page.getByTestId('threshold-note').textContent()).resolves.toBe(
      `alert threshold $0.50 per student per calendar month (UTC) · ${over} over in a month of this range`,
    );
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

  it('compares the variants of every feature the flags API lists, from the metrics API', async () => {
    const range = lastDays(30);
    const admin = await t!.login(DEMO.admin.email, DEMO.admin.password);
    const metrics = await getJson(`/api/v2/admin/metrics?start_date=${range.start}&end_date=${range.end}`, admin);
    const features = metrics.body.features as Json[];
    expect(features.length).toBeGreaterThan(0);
    const flags = (await getJson('/api/v2/admin/flags', admin)).body.flags as Json[];
    await expect(featureGroups()).resolves.toEqual(flags.map((f) => f.feature));
    const rows = page.getByTestId('variants-table').locator('tbody tr');
    // A feature nobody used in the range still gets its group, with one row that says so.
    const unused = flags.map((f) => f.feature as string).filter((name) => !features.some((m) => m.feature === name));
    await expect(rows.count()).resolves.toBe(features.length + unused.length);
    for (const name of unused) {
      const cells = page.locator(`[data-testid="variants-table"] tr[data-feature="${name}"][data-variant=""] td`);
      await expect(cells.nth(1).textContent()).resolves.toMatch(/^No requests in this period/);
    }
    for (const f of features) {
      const cells = page.locator(`[data-testid="variants-table"] tr[data-feature="${f.feature}"][data-variant="${f.variant}"] td`);
      await expect(cells.nth(1).textContent()).resolves.toBe(f.variant);
      await expect(cells.nth(2).textContent()).resolves.toBe(int(f.requests));
      await expect(cells.nth(3).textContent()).resolves.toBe(int(f.llm_calls));
    }
  }, TIMEOUT);

  it('switches to the last 365 days', async () => {
    adminRequests.length = 0;
    await page.getByTestId('preset-365').click();
    await page.locator('[data-testid="status"]', { hasText: '365 days' }).waitFor({ timeout: 20_000 });
    await waitReady();
    expect(adminRequests).toHaveLength(6);
    const range = lastDays(365);
    const report = await expectedReport(range.start, range.end, 'day');
    await expect(tile('tile-total-cost')).resolves.toEqual({ text: money(report.total_cost_usd), value: report.total_cost_usd });
    await expect(tile('tile-requests')).resolves.toEqual({ text: int(report.total_requests), value: report.total_requests });
    const charts = await chartState();
    expect(charts['chart-daily']!.points).toBe(365);
    await expect(page.getByTestId('preset-365').getAttribute('aria-pressed')).resolves.toBe('true');
    // Over several months a bar is no monthly amount: no threshold line; the bars' colours say who is over.
    await expect(thresholdLineValue()).resolves.toBeNull();
    await expect(page.getByTestId('start-date').inputValue()).resolves.toBe(range.start);
  }, TIMEOUT);

  it('saves a full-page screenshot that shows the tiles, the four charts in their colours and the tables', async () => {
    await mkdir(join(process.cwd(), 'test', 'artifacts'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // A PNG of the page's full width and height (IHDR: width and height at bytes 16 and 20).
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const height = await page.evaluate(() => (globalThis as any).document.documentElement.scrollHeight as number);
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width: 1440, height });
    expect(height).toBeGreaterThan(900);

    // What the picture holds where each panel is: ink on its background, and the colours it is drawn in.
    const panels = ['tiles', 'chart-daily', 'chart-feature', 'chart-model', 'chart-students', 'students-table', 'variants-table', 'alerts-list'];
    const regions = await page.evaluate((ids) => {
      const g = globalThis as any;
      return ids.map((id) => {
        const r = g.document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
        return { name: id, x: Math.round(r.left + g.scrollX), y: Math.round(r.top + g.scrollY), width: Math.round(r.width), height: Math.round(r.height) };
      });
    }, panels);
    const seen = await inspectScreenshot(png, regions, [COLORS.accent, COLORS.warn, COLORS.palette[1]!, COLORS.palette[2]!]);
    for (const name of panels) {
      const region = seen[name]!;
      expect({ name, blank: region.ink / region.pixels < 0.01 }).toEqual({ name, blank: false });
    }
    const hits = (name: string, colour: string) => seen[name]!.colours[colour]!;
    expect(hits('chart-daily', COLORS.accent)).toBeGreaterThan(200); // the cost line
    expect(hits('chart-feature', COLORS.accent)).toBeGreaterThan(500); // the two features' slices
    expect(hits('chart-feature', COLORS.palette[1]!)).toBeGreaterThan(500);
    expect(hits('chart-model', COLORS.palette[1]!)).toBeGreaterThan(500); // the two models' bars
    expect(hits('chart-model', COLORS.palette[2]!)).toBeGreaterThan(500);
    expect(hits('chart-students', COLORS.warn)).toBeGreaterThan(200); // over the threshold
    expect(hits('chart-students', COLORS.accent)).toBeGreaterThan(200); // under it
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

describe('the dashboard does not contradict itself', () => {
  const OLD = { start: addDays(today(), -60), end: addDays(today(), -31) };
  /** The day Big Spender spent $2.50, inside OLD. */
  const SPENT_AT = addDays(today(), -45);

  const EMPTY = { start: '2020-01-01', end: '2020-01-31' };

  async function setDates(start: string, end: string): Promise<void> {
    // Start first when moving back in time (the end must never be before the start in between).
    await page.getByTestId('start-date').fill(start);
    await page.getByTestId('start-date').dispatchEvent('change');
    await page.getByTestId('end-date').fill(end);
    await page.getByTestId('end-date').dispatchEvent('change');
  }

  async function waitRange(start: string, end: string): Promise<void> {
    await page.locator('[data-testid="status"]', { hasText: `Showing ${start} to ${end}` }).waitFor({ timeout: 20_000 });
    await waitReady();
  }

  beforeAll(async () => {
    // A student far over the threshold 45 days ago, for whom the scheduled check stored no alert.
    const res = await t!.http.post('/api/v1/auth/register').send({ email: 'spender@example.com', password: 'longenough1', full_name: 'Big Spender' }).expect(201);
    await t!.app.get(DataSource).query(
      `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, variant, provider, model, outcome, success,
                                   tokens_input, tokens_output, cost_usd, latency_ms, created_at)
       VALUES (gen_random_uuid(), 0, $1, 'adaptive_paths', 'adaptive', 'anthropic', 'claude-sonnet-4-5', 'success', true,
               9000, 2000, 2.500000, 900, $2::timestamptz)`,
      [(res.body as { student_id: string }).student_id, `${SPENT_AT}T12:00:00Z`],
    );
    await signIn(DEMO.admin.email, DEMO.admin.password);
    await waitReady();
  }, TIMEOUT);

  it('lists a student the report shows over the threshold in Alerts, even with no stored alert', async () => {
    await setDates(OLD.start, OLD.end);
    await waitRange(OLD.start, OLD.end);
    const over = page.getByTestId('students-table').locator('tbody tr.over');
    await expect(over.count()).resolves.toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('students-table').locator('tbody tr.over .student-name').allTextContents()).resolves.toContain('Big Spender');
    const report = await expectedReport(OLD.start, OLD.end, 'day');
    expect(report.alerts).toEqual([]); // the API has no stored alert in this range: the contradiction's setup
    await expect(page.getByTestId('alerts-empty').isVisible()).resolves.toBe(false);
    const item = page.locator('[data-testid="alerts-list"] li[data-level="over"]', { hasText: 'Big Spender' });
    await expect(item.count()).resolves.toBe(1);
    const spender = ((await expectedReport(OLD.start, OLD.end, 'student')).breakdown_by_student as Json[]).find((r) => r.full_name === 'Big Spender')!;
    expect(spender.over_threshold_months).toEqual([SPENT_AT.slice(0, 7)]);
    await expect(item.locator('.alert-meta').textContent()).resolves.toContain(`$2.50 in this period · over in ${SPENT_AT.slice(0, 7)} · `);
    await expect(page.getByTestId('alerts-count').textContent()).resolves.toBe(String(await over.count()));
  }, TIMEOUT);

  it("draws the API's threshold as a line when the range lies within one month, where a bar past it is over", async () => {
    const month = { start: `${SPENT_AT.slice(0, 7)}-01`, end: SPENT_AT };
    await setDates(month.start, month.end);
    await waitRange(month.start, month.end);
    const report = await expectedReport(month.start, month.end, 'day');
    await expect(thresholdLineValue()).resolves.toBe(report.threshold_usd);
    await expect(page.locator('[data-testid="students-table"] tbody tr.over .student-name').allTextContents()).resolves.toContain('Big Spender');
  }, TIMEOUT);

  it('shows an empty state, not a blank box, for cost by feature and by model in a range with no usage', async () => {
    await setDates(EMPTY.start, EMPTY.end);
    await waitRange(EMPTY.start, EMPTY.end);
    for (const key of ['feature', 'model']) {
      await expect(page.getByTestId(`${key}-empty`).isVisible()).resolves.toBe(true);
      await expect(page.getByTestId(`${key}-empty`).textContent()).resolves.toBe('No LLM cost in this period.');
      await expect(page.getByTestId(`chart-${key}`).isVisible()).resolves.toBe(false);
    }
    await expect(page.getByTestId('alerts-empty').isVisible()).resolves.toBe(true);
    await expect(tile('tile-total-cost')).resolves.toEqual({ text: '$0.00', value: 0 });
    // The variant table still lists every feature the flags API knows, each without requests.
    const flags = (await getJson('/api/v2/admin/flags', await t!.login(DEMO.admin.email, DEMO.admin.password))).body.flags as Json[];
    await expect(featureGroups()).resolves.toEqual(flags.map((f) => f.feature));
    const notes = await page.getByTestId('variants-table').locator('tbody td.empty').allTextContents();
    expect(notes).toEqual(flags.map(() => 'No requests in this period'));
  }, TIMEOUT);

  it('marks the previous numbers stale under an error banner, and clears that on the next load', async () => {
    await setDates(OLD.start, OLD.end);
    await waitRange(OLD.start, OLD.end);
    // Over the API's three-year limit: the real API refuses it with 400.
    await page.getByTestId('start-date').fill('2019-01-01');
    await page.getByTestId('start-date').dispatchEvent('change');
    await page.locator('[data-testid="dashboard"][data-state="error"]').waitFor({ timeout: 20_000 });
    const banner = (await page.getByTestId('error').textContent()) ?? '';
    expect(banner).toContain(`Could not load the cost report for 2019-01-01 to ${OLD.end}`);
    expect(banner).toContain('the range may span at most');
    expect(banner).toContain(`The numbers below are still those of ${OLD.start} to ${OLD.end}.`);
    await expect(page.getByTestId('dashboard').getAttribute('data-stale')).resolves.toBe('true');
    const opacity = await page.getByTestId('tiles').evaluate((e) => Number((globalThis as any).getComputedStyle(e).opacity));
    expect(opacity).toBeLessThan(1);

    await page.getByTestId('preset-30').click();
    await waitRange(lastDays(30).start, lastDays(30).end);
    await expect(page.getByTestId('dashboard').getAttribute('data-stale')).resolves.toBeNull();
    await expect(page.getByTestId('error').isVisible()).resolves.toBe(false);
  }, TIMEOUT);

  it('at 390 px: the feature legend fits, tables say they scroll, and the page itself does not overflow', async () => {
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US', timezoneId: 'UTC' });
    try {
      const p = await phone.newPage();
      await p.goto(`${baseUrl}/admin`);
      await p.getByTestId('login-email').fill(DEMO.admin.email);
      await p.getByTestId('login-password').fill(DEMO.admin.password);
      await p.getByTestId('login-submit').click();
      await p.locator('[data-testid="dashboard"][data-state="ready"]').waitFor({ state: 'visible', timeout: 20_000 });
      const legend = await p.evaluate(() => {
        const g = globalThis as any;
        const c = g.Chart.getChart(g.document.getElementById('chart-feature'));
        return { position: c.options.plugins.legend.position, width: c.width, boxes: c.legend.legendHitBoxes.map((b: any) => ({ left: b.left, right: b.left + b.width })) };
      });
      expect(legend.position).toBe('bottom');
      expect(legend.boxes.length).toBe(2);
      for (const box of legend.boxes) expect(box.left >= 0 && box.right <= legend.width).toBe(true);
      // Every table wider than its card says so under it; the variant table (11 columns) is one.
      const tables = await p.evaluate(() =>
        [...(globalThis as any).document.querySelectorAll('.table-wrap')].map((w: any) => ({
          scrolls: w.scrollWidth > w.clientWidth + 1,
          hint: !w.parentElement.querySelector('.scroll-hint').hidden,
        })),
      );
      expect(tables.length).toBe(2);
      for (const table of tables) expect(table.hint).toBe(table.scrolls);
      await expect(p.getByTestId('variants-scroll-hint').isVisible()).resolves.toBe(true);
      expect(await p.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(390);
    } finally {
      await phone.close();
    }
  }, TIMEOUT);
});

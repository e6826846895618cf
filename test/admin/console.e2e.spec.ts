/**
 * The console (Swagger UI at /docs, the dashboard at /admin) in a real browser, reached as an
 * operator reaches a server: by a name other than localhost, over plain HTTP on another address
 * (127.0.0.2), and over https through a TLS-terminating proxy that sends x-forwarded-proto.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generate } from 'selfsigned';
import { findChromium, launchChromium } from '../support/browser.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const HOST = 'console.test';
const ADDRESS = '127.0.0.2';
const TIMEOUT = 60_000;

let t: TestApp;
let proxy: HttpsServer;
let browser: Browser;
let httpOrigin = '';
let httpsOrigin = '';

/**
 * TLS in front of the app, as a load balancer would put it: the request goes on unchanged over
 * HTTP with x-forwarded-proto/-for added. A few lines of node:https; a proxy library would add
 * nothing the test needs.
 */
async function startTlsProxy(target: AddressInfo): Promise<HttpsServer> {
  const pems = await generate([{ name: 'commonName', value: HOST }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 86_400_000),
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: HOST }] }],
  });
  const server = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const upstream = httpRequest(
      {
        host: target.address,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, ADDRESS, resolve));
  return server;
}

beforeAll(async () => {
  // One proxy hop is trusted: x-forwarded-proto from it tells the app the client used https.
  t = await startTestApp({ TRUST_PROXY: '1' });
  await t.app.listen({ port: 0, host: ADDRESS });
  const appAddress = t.app.getHttpServer().address() as AddressInfo;
  proxy = await startTlsProxy(appAddress);
  httpOrigin = `http://${HOST}:${appAddress.port}`;
  httpsOrigin = `https://${HOST}:${(proxy.address() as AddressInfo).port}`;
  // The name resolves to the second loopback address, so the browser sends Host: console.test.
  browser = await launchChromium({ args: [`--host-resolver-rules=MAP ${HOST} ${ADDRESS}`] });
  process.stdout.write(`console test: Chromium ${browser.version()} from ${(await findChromium()).source}\n`);
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await t?.close();
}, TIMEOUT);

type Visit = { page: Page; context: BrowserContext; problems: string[]; headers: IncomingHttpHeaders };

/** Opens a page and records everything that went wrong loading it. */
async function visit(url: string, mobile = false): Promise<Visit> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    ...(mobile ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } }),
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A CSP violation or a blocked upgrade is logged as an error.
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return { page, context, problems, headers: response!.headers() };
}

/** Swagger UI drew the document, with its stylesheet applied. */
async function expectSwaggerRendered(page: Page): Promise<void> {
  await page.locator('.swagger-ui .info .title').filter({ hasText: 'Course Companion API' }).waitFor({ timeout: 20_000 });
  expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
  // swagger-ui.css lays the page out in a 1460 px wrapper; without the stylesheet it has none.
  expect(await page.locator('.swagger-ui .wrapper').first().evaluate((e) => (globalThis as any).getComputedStyle(e).maxWidth)).toBe('1460px');
  await expect(page.title()).resolves.toBe('Course Companion API · docs');
}

/** The dashboard's script ran and its stylesheet applied; an admin gets to the loaded dashboard. */
async function expectDashboardWorks(page: Page): Promise<void> {
  await page.getByTestId('login-form').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('login-form').evaluate((e) => (globalThis as any).getComputedStyle(e).display)).not.toBe('inline');
  await page.getByTestId('login-email').fill(DEMO.admin.email);
  await page.getByTestId('login-password').fill(DEMO.admin.password);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="dashboard"][data-state="ready"]').waitFor({ timeout: 20_000 });
}

describe.each([
  ['plain HTTP on 127.0.0.2', () => httpOrigin, false],
  ['https behind a TLS proxy', () => httpsOrigin, true],
])('the console over %s, reached as console.test', (_name, origin, tls) => {
  it('renders Swagger UI at /docs, under a strict policy', async () => {
    const { page, context, problems, headers } = await visit(`${origin()}/docs`);
    try {
      const csp = headers['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp.includes('upgrade-insecure-requests')).toBe(tls);
      expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
      await expectSwaggerRendered(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, TIMEOUT);

  it('renders the dashboard at /admin and signs an admin in', async () => {
    const { page, context, problems, headers } = await visit(`${origin()}/admin`);
    try {
      const csp = headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp.includes('upgrade-insecure-requests')).toBe(tls);
      await expectDashboardWorks(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, TIMEOUT);
});

describe('Swagger UI on a phone (390 px)', () => {
  it('lays out at the device width: the page has a viewport tag', async () => {
    const { page, context, problems } = await visit(`${httpOrigin}/docs`, true);
    try {
      await expectSwaggerRendered(page);
      // Without <meta name="viewport"> a mobile browser lays the page out 980 px wide and shrinks it.
      expect(await page.evaluate(() => (globalThis as any).innerWidth as number)).toBe(390);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, TIMEOUT);
});

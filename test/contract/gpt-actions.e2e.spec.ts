import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The served document imports as GPT Actions as it stands. The importer's published rules
 * (OpenAI, "Actions" getting started and production notes): OpenAPI 3.0 or 3.1; a server with an
 * absolute URL; every operation an operationId (function-name characters, at most 64, unique);
 * an operation's description (and summary) at most 300 characters, a parameter's at most 700;
 * authentication an API key or OAuth (our bearer token is an API key of type Bearer).
 */
let t: TestApp;
let doc: any;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.http.get('/docs/json').set('host', 'course.example.com').set('x-forwarded-proto', 'https').expect(200)).body;
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
      .map(([method, operation]: [string, any]) => ({ where: `${method.toUpperCase()} ${path}`, operation })),
  );

it('is OpenAPI 3.0 or 3.1 with the absolute URL of the server it was asked at', () => {
  expect(doc.openapi).toMatch(/^3\.(0|1)\.\d+$/);
  expect(doc.servers).toHaveLength(1);
  // Without TRUST_PROXY the forwarded scheme is not believed: the connection's own scheme is used.
  expect(doc.servers[0].url).toBe('http://course.example.com');
});

it('gives every operation a unique operationId a function may be named', () => {
  const ids = operations().map(({ operation }) => operation.operationId as string);
  expect(ids.length).toBeGreaterThan(20);
  for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  expect(new Set(ids).size).toBe(ids.length);
});

it('keeps every operation description and summary within 300 characters, and parameter descriptions within 700', () => {
  const tooLong = operations().flatMap(({ where, operation }) => [
    ...(String(operation.description ?? '').length > 300 ? [`${where} description: ${String(operation.description).length}`] : []),
    ...(String(operation.summary ?? '').length > 300 ? [`${where} summary: ${String(operation.summary).length}`] : []),
    ...((operation.parameters ?? []) as any[]).filter((p) => String(p.description ?? '').length > 700).map((p) => `${where} parameter ${p.name}`),
  ]);
  expect(tooLong).toEqual([]);
  for (const { operation } of operations()) expect(String(operation.description ?? operation.summary ?? '').length).toBeGreaterThan(0);
});

it('authenticates with a bearer API key on every operation that needs one', () => {
  const schemes = doc.components.securitySchemes;
  expect(Object.values(schemes)).toEqual([expect.objectContaining({ type: 'http', scheme: 'bearer' })]);
  const [name] = Object.keys(schemes);
  const bearer = operations().filter(({ operation }) => (operation.security ?? []).length > 0);
  expect(bearer.length).toBeGreaterThan(15);
  for (const { operation } of bearer) expect(operation.security).toEqual([{ [name!]: [] }]);
});

it('names an absolute https server when a trusted proxy says the request came over https', async () => {
  const proxied = await startTestApp({ TRUST_PROXY: 'true' });
  try {
    const res = await proxied.http.get('/docs/json').set('host', 'course.example.com').set('x-forwarded-proto', 'https').expect(200);
    expect(res.body.servers).toEqual([{ url: 'https://course.example.com', description: 'The server that serves this document' }]);
  } finally {
    await proxied.close();
  }
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ERROR_STATUS, type ErrorCode } from '../../src/common/errors/error-codes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** What API.md says of the document that the linters and the contract test cannot see. */
let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.http.get('/docs/json').expect(200)).body;
});
afterAll(() => t.close());

const operations = (): { id: string; method: string; path: string; op: any }[] =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ id: op.operationId as string, method, path, op })),
  );

it('is the document that npm run lint:openapi checks (dumped without a database)', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/src/openapi.cli.js']);
  // The same document, but with no request to take an address from: its server is `/`.
  expect(JSON.parse(stdout)).toEqual({ ...doc, servers: [{ url: '/', description: 'The server that serves this document' }] });
});

it('declares one optional Idempotency-Key header on the assessment submission', () => {
  const headers = doc.paths['/api/v2/assessments/submit'].post.parameters.filter((p: any) => p.in === 'header');
  expect(headers).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: false })]);
});

it('gives each error status the schema and an example of each of its codes, with their extra fields', () => {
  const extras: Partial<Record<ErrorCode, string>> = {
    VALIDATION_ERROR: 'details',
    PREMIUM_REQUIRED: 'upgrade_url',
    FEATURE_DISABLED: 'feature',
    RATE_LIMIT_EXCEEDED: 'quota',
    TOO_MANY_REQUESTS: 'retry_after_seconds',
    SERVICE_BUSY: 'retry_after_seconds',
    SERVICE_UNAVAILABLE: 'retry_after_seconds',
  };
  let checked = 0;
  for (const { id, op } of operations()) {
    for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
      if (Number(status) < 400 || (id === 'getHealth' && status === '503')) continue;
      const media = response.content['application/json'];
      const examples = Object.values<{ value: { error: { code: ErrorCode } & Record<string, unknown> } }>(media.examples);
      expect(examples.length).toBeGreaterThan(0);
      for (const { value } of examples) {
        const { code } = value.error;
        expect([id, code, ERROR_STATUS[code]]).toEqual([id, code, Number(status)]);
        const extra = extras[code];
        if (extra) expect([id, code, value.error[extra]]).toEqual([id, code, expect.anything()]);
        const error = media.schema.properties.error;
        const refs = (error.oneOf ?? [error]).map((r: any) => r.$ref.split('/').pop());
        const schema = refs.map((name: string) => doc.components.schemas[name]).find((s: any) => s.properties.code.enum[0] === code);
        expect([id, code, schema?.required]).toEqual([id, code, expect.arrayContaining(['code', 'message', 'request_id', ...(extra ? [extra] : [])])]);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(100);
});

it('declares 503 SERVICE_UNAVAILABLE (with Retry-After) on every operation but health, which answers its own body', () => {
  for (const { id, op } of operations()) {
    const unavailable = op.responses['503'];
    if (id === 'getHealth') {
      expect(unavailable.content['application/json'].schema.$ref).toBe('#/components/schemas/HealthDto');
      continue;
    }
    expect([id, Object.keys(unavailable.content['application/json'].examples)]).toEqual([id, expect.arrayContaining(['SERVICE_UNAVAILABLE'])]);
    expect([id, unavailable.headers['Retry-After']]).toEqual([id, expect.objectContaining({ schema: expect.anything() })]);
  }
});

it('documents the x-request-id header on every response, and security [] on the public operations', () => {
  for (const { id, op } of operations()) {
    for (const response of Object.values(op.responses as Record<string, any>)) {
      expect([id, response.headers['x-request-id']]).toEqual([id, { $ref: '#/components/headers/x-request-id' }]);
    }
    expect([id, op.security]).toEqual([id, ['getHealth', 'register', 'login'].includes(id) ? [] : [{ bearer: [] }]]);
  }
  expect(doc.components.headers['x-request-id'].required).toBe(true);
  expect(doc.servers).toEqual([expect.objectContaining({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) })]);
  expect(doc.info.license.name).toEqual(expect.any(String));
});

it('declares every breakdown of the cost report with its key field, CSV only for the export’s success, and the metrics dates as required', () => {
  const report = doc.components.schemas.CostReportDto.properties;
  const row = (key: string) => doc.components.schemas[report[`breakdown_by_${key}`].items.$ref.split('/').pop()];
  for (const group of ['feature', 'student', 'model', 'day']) {
    expect([group, row(group).required]).toEqual([group, expect.arrayContaining([group, 'failed_requests', 'total_requests', 'total_cost_usd'])]);
  }
  expect(row('student').properties.full_name).toEqual(expect.objectContaining({ nullable: true }));

  const exportOp = doc.paths['/api/v2/admin/costs/export'].get;
  for (const [status, response] of Object.entries(exportOp.responses as Record<string, any>)) {
    expect([status, Object.keys(response.content)]).toEqual([status, [status === '200' ? 'text/csv' : 'application/json']]);
  }
  const metrics = doc.paths['/api/v2/admin/metrics'].get.parameters;
  expect(metrics.map((p: any) => [p.name, p.required])).toEqual([
    ['start_date', true],
    ['end_date', true],
  ]);
});

import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { callTool, connectMcp, mcpUrl, postMcp, toolCallMessage, toolError } from '../support/mcp-client.js';
import { newStudent, quotaCounters, type Account } from '../support/security/accounts.js';
import { GOOD_ANSWER } from '../support/security/api-routes.js';
import { expectNothingWritten } from '../support/security/db-snapshot.js';
import { expectNoLeaks } from '../support/security/envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** What /mcp answers in the REST envelope: status, code, the request id, nothing internal. */
function expectEnvelope(res: Awaited<ReturnType<typeof postMcp>>, status: number, code: string): { details?: { field: string; issue: string }[] } {
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status, code });
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(res.json.error.request_id).toBe(res.headers.get('x-request-id'));
  expectNoLeaks(res.text);
  return res.json.error;
}

/** What the transport answers for a message it cannot take: a JSON-RPC error, nothing internal. */
function expectRpcError(res: Awaited<ReturnType<typeof postMcp>>, status: number, code: number): void {
  expect({ status: res.status, jsonrpc: res.json?.jsonrpc, code: res.json?.error?.code }).toEqual({ status, jsonrpc: '2.0', code });
  expectNoLeaks(res.text);
}

describe('hostile input on /mcp', () => {
  let t: TestApp;
  let url: URL;
  let db: DataSource;
  let student: Account;
  let premium: Account;
  const BODY_LIMIT = 16_384;

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT: String(BODY_LIMIT) });
    url = await mcpUrl(t);
    db = t.app.get(DataSource);
    [student, premium] = await Promise.all([newStudent(t, 'free'), newStudent(t, 'premium')]);
  });
  afterAll(() => t.close());

  const post = (body: string | object, headers: Record<string, string> = {}) => postMcp(url, body, { authorization: student.auth, ...headers });

  it('refuses what REST refuses of any body, in the REST envelope, and writes nothing', async () => {
    const deep = (levels: number) => Array.from({ length: levels }).reduce<object>((inner) => ({ a: inner }), {});
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      // A JSON-RPC batch: one message per request, so each passes the request limits.
      expect(expectEnvelope(await post([toolCallMessage('get_progress', {}, 1), toolCallMessage('get_progress', {}, 2)]), 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'body', issue: 'must be a JSON object' },
      ]);
      const over = toolCallMessage('submit_assessment', { question_id: '04-rag-q1', answer_text: 'a'.repeat(BODY_LIMIT) });
      expectEnvelope(await postMcp(url, over, { authorization: premium.auth }), 413, 'PAYLOAD_TOO_LARGE');
      expectEnvelope(await post('{"jsonrpc": "2.0", "id": 1, "method": '), 400, 'VALIDATION_ERROR');
      expectEnvelope(await post(JSON.stringify(toolCallMessage('get_progress', {})), { 'content-type': 'text/plain' }), 400, 'VALIDATION_ERROR');
      const keys = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`q${i}`, 'a']));
      expectEnvelope(await post(toolCallMessage('submit_quiz', { quiz_id: '01-intro-quiz', answers: keys })), 400, 'VALIDATION_ERROR');
      expect(expectEnvelope(await post(toolCallMessage('submit_quiz', { quiz_id: '01-intro-quiz', answers: deep(40) })), 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'body', issue: 'nests deeper than 32 levels' },
      ]);
      const proto = JSON.stringify(toolCallMessage('submit_quiz', { quiz_id: '01-intro-quiz', answers: { q1: 'a' } })).replace('"answers":', '"__proto__":{"role":"admin"},"answers":');
      expect(expectEnvelope(await post(proto), 400, 'VALIDATION_ERROR').details).toEqual([{ field: 'params.arguments.__proto__', issue: 'is not allowed' }]);
      const nul = toolCallMessage('submit_assessment', { question_id: '04-rag-q1', answer_text: `${GOOD_ANSWER} a\u0000b` });
      expect(expectEnvelope(await postMcp(url, nul, { authorization: premium.auth }), 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'params.arguments.answer_text', issue: 'contains a NUL byte or invalid Unicode' },
      ]);
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });

  it('answers what is not an MCP message as the protocol does, never with a stack trace', async () => {
    await expectNothingWritten(db, async () => {
      expectRpcError(await post({ hello: 'world' }), 400, -32700);
      expectRpcError(await post(toolCallMessage('get_progress', {}), { accept: 'application/json' }), 406, -32000);
      // The SDK parses a request against the protocol's schema before any handler of ours runs, and
      // answers a malformed one -32603 with zod's list of issues.
      const malformed = await post(toolCallMessage('get_progress', 'all of it'));
      expectRpcError(malformed, 200, -32603);
      expect(malformed.json.error.message).toContain('expected record, received string');
      expectRpcError(await post(toolCallMessage('../../etc/passwd', {})), 200, -32602);
      expectRpcError(await post({ jsonrpc: '2.0', id: 1, method: 'sampling/createMessage', params: {} }), 200, -32601);
    });
  });

  it('keeps field validation a tool error the model can correct, and hostile text is data', async () => {
    const client = await connectMcp(url, student.auth);
    try {
      await expectNothingWritten(db, async () => {
        for (const chapter_id of ["01-intro'; DROP TABLE students; --", '..%2F..%2Fetc', '<script>alert(1)</script>', 'a'.repeat(5000), 42, null, { $ne: '' }]) {
          const error = toolError(await callTool(client, 'read_chapter', { chapter_id }));
          expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'chapter_id', issue: 'must be a chapter id such as 01-intro' }] });
          expectNoLeaks(JSON.stringify(error));
        }
      });
    } finally {
      await client.close();
    }
  });
});

describe('request limits on /mcp: the same budgets as REST', () => {
  let t: TestApp;
  let url: URL;
  const clientIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true', THROTTLE_LIMIT_PER_IP: '6', THROTTLE_LIMIT_PER_USER: '4', THROTTLE_WINDOW_SECONDS: '60' });
    url = await mcpUrl(t);
  });
  afterAll(() => t.close());

  const expectThrottled = (res: Awaited<ReturnType<typeof postMcp>>) => {
    const error = expectEnvelope(res, 429, 'TOO_MANY_REQUESTS') as { retry_after_seconds?: number };
    expect(error.retry_after_seconds).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('retry-after')).toBe(String(error.retry_after_seconds));
  };

  it('counts every MCP request against the student, together with their REST requests, across addresses', async () => {
    const student = await newStudent(t, 'free');
    const other = await newStudent(t, 'free');
    const call = (who: Account) => postMcp(url, toolCallMessage('list_chapters', {}), { authorization: who.auth, 'x-forwarded-for': clientIp() });
    // Signing in (newStudent) was not a student request; two REST and two MCP requests are the budget.
    await t.http.get('/api/v1/chapters').set('authorization', student.auth).set('x-forwarded-for', clientIp()).expect(200);
    await t.http.get('/api/v1/progress').set('authorization', student.auth).set('x-forwarded-for', clientIp()).expect(200);
    for (let i = 0; i < 2; i++) expect((await call(student)).json.result.structuredContent.chapters.length).toBeGreaterThan(0);
    expectThrottled(await call(student));
    expect((await t.http.get('/api/v1/chapters').set('authorization', student.auth).set('x-forwarded-for', clientIp())).status).toBe(429);
    expect((await call(other)).status).toBe(200);
  });

  it('limits one address before authentication, so a flood of bad tokens is limited too', async () => {
    const ip = clientIp();
    for (let i = 0; i < 6; i++) {
      expect((await postMcp(url, toolCallMessage('list_chapters', {}), { authorization: 'Bearer forged', 'x-forwarded-for': ip })).status).toBe(401);
    }
    expectThrottled(await postMcp(url, toolCallMessage('list_chapters', {}), { authorization: 'Bearer forged', 'x-forwarded-for': ip }));
  });
});

// One quiz submission through MCP (`tools/call submit_quiz` on /mcp) against the same submission
// through REST (`POST /api/v1/quizzes/:quiz_id/submit`), one request at a time, on the production
// build with every protection on. Both go through the same guards, validation and QuizzesService;
// the difference is the protocol: JSON-RPC framing, the tool's DTO validation and result shaping.
// `npm run bench:mcp` (BENCH_MCP_CALLS, default 400 of each, interleaved; 40 of each to warm up).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createDatabase, envNumber, fmt, out, percentiles, printHeader, QUIZ_ID, startApp } from './load/harness.mjs';

const CALLS = envNumber('BENCH_MCP_CALLS', 400);
const WARMUP = 40;
const ANSWERS = { q1: 'a', q2: 'b', q3: 'c', q4: 'd', q5: 'a' };

printHeader('MCP vs REST submit_quiz');
const db = await createDatabase('cc_bench_mcp');
// No model is called by a quiz: an unroutable address stands in for the provider.
const app = await startApp({ databaseUrl: db.url, llmUrl: 'http://127.0.0.1:9', timing: false, extraEnv: { ANTHROPIC_API_KEY: '' } });
try {
  const email = `bench-mcp-${Date.now()}@example.com`;
  const post = (path, body, headers = {}) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!(await post('/api/v1/auth/register', { email, password: 'longenough1', full_name: 'Bench' })).ok) throw new Error('register failed');
  const { access_token: token } = await (await post('/api/v1/auth/login', { email, password: 'longenough1' })).json();
  const auth = { authorization: `Bearer ${token}` };

  const rest = async () => {
    const res = await post(`/api/v1/quizzes/${QUIZ_ID}/submit`, { answers: ANSWERS }, auth);
    const body = await res.json();
    if (!res.ok || typeof body.score !== 'number') throw new Error(`REST answered ${res.status}`);
  };
  let id = 0;
  const rawMcp = async () => {
    const res = await post(
      '/mcp',
      { jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'submit_quiz', arguments: { quiz_id: QUIZ_ID, answers: ANSWERS } } },
      { ...auth, accept: 'application/json, text/event-stream' },
    );
    const body = await res.json();
    if (!res.ok || body.result?.isError || typeof body.result?.structuredContent?.score !== 'number') throw new Error(`MCP answered ${res.status}`);
  };
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', app.url), { requestInit: { headers: auth } }));
  const sdkMcp = async () => {
    const result = await client.callTool({ name: 'submit_quiz', arguments: { quiz_id: QUIZ_ID, answers: ANSWERS } });
    if (result.isError) throw new Error('MCP tool error');
  };

  const kinds = { 'REST POST /api/v1/quizzes/:id/submit': rest, 'MCP tools/call submit_quiz (raw JSON-RPC POST)': rawMcp, 'MCP tools/call submit_quiz (SDK client)': sdkMcp };
  const samples = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  for (let i = 0; i < WARMUP + CALLS; i++) {
    // Interleaved, so the three see the same machine and the same table sizes.
    for (const [name, run] of Object.entries(kinds)) {
      const started = performance.now();
      await run();
      if (i >= WARMUP) samples[name].push(performance.now() - started);
    }
  }
  await client.close();

  out(`app: node dist/src/main.js, NODE_ENV=production, LOG_LEVEL=warn; ${CALLS} calls of each after ${WARMUP} of each to warm up, one at a time, interleaved`);
  out('');
  out('| call | p50 ms | p90 ms | p99 ms | mean ms | mean vs REST |');
  out('|---|---|---|---|---|---|');
  const restMean = percentiles(samples[Object.keys(kinds)[0]]).mean;
  const summary = {};
  for (const [name, values] of Object.entries(samples)) {
    const p = percentiles(values);
    summary[name] = { p50: p.p50, p90: p.p90, p99: p.p99, mean: p.mean };
    out(`| ${name} | ${fmt(p.p50)} | ${fmt(p.p90)} | ${fmt(p.p99)} | ${fmt(p.mean)} | ${fmt(p.mean / restMean)}× |`);
  }
  out('');
  out(JSON.stringify({ bench: 'mcp-vs-rest', calls: CALLS, summary }));
} finally {
  await app.stop();
  await db.drop();
}

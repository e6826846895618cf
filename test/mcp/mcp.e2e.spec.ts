import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { DataSource } from 'typeorm';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { retryingFakeModelEnv } from '../support/fake-model.js';
import { callTool, connectMcp, mcpUrl, postMcp, toolCallMessage, toolError } from '../support/mcp-client.js';
import { newStudent, quotaCounters, type Account } from '../support/security/accounts.js';
import { GOOD_ANSWER } from '../support/security/api-routes.js';
import { expectNothingWritten } from '../support/security/db-snapshot.js';
import { validToken } from '../support/security/tokens.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * /mcp through the MCP SDK's own client over Streamable HTTP, against the real app with the
 * (fake) Anthropic model behind the premium tools. Every answer is compared with what the REST
 * route gives the same student.
 */
let fake: FakeAnthropicServer;
let t: TestApp;
let url: URL;
let db: DataSource;
let free: Account;
let freeClient: Client;
const clients: Client[] = [];

const connect = async (auth: string): Promise<Client> => {
  const client = await connectMcp(url, auth);
  clients.push(client);
  return client;
};
const rest = (auth: string) => ({
  get: (path: string) => t.http.get(path).set('authorization', auth),
  post: (path: string, body: object) => t.http.post(path).set('authorization', auth).send(body),
});
/** A REST error without its request id (each request has its own). */
const withoutId = ({ request_id: _id, ...error }: Record<string, unknown>) => error;

const PATH_PLAN = {
  recommendations: [
    { chapter_id: '01-intro', action: 'start', priority: 1, reason: 'Begin with the foundations.' },
    { chapter_id: '02-prompting', action: 'start', priority: 2, reason: 'Then prompting.' },
  ],
  reasoning: 'No history yet, so the course order is the best guide.',
};

beforeAll(async () => {
  fake = await FakeAnthropicServer.start();
  t = await startTestApp({ ...retryingFakeModelEnv(fake.url), PREMIUM_ADAPTIVE_PATHS_LIMIT: '3' });
  url = await mcpUrl(t);
  db = t.app.get(DataSource);
  free = await newStudent(t, 'free');
  freeClient = await connect(free.auth);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await t.close();
  await fake.close();
});

describe('authentication: the bearer token of the REST API', () => {
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

  it('answers a request without a token 401 UNAUTHORIZED with a Bearer challenge, in the REST envelope', async () => {
    const res = await postMcp(url, initialize);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="course-companion"');
    expect(res.json).toEqual({ error: { code: 'UNAUTHORIZED', message: 'A valid bearer token is required', request_id: res.headers.get('x-request-id') } });
  });

  it('answers an expired, forged or dangling token 401 with error="invalid_token"', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const auth of [
      validToken(free.id, { iat: now - 7200, exp: now - 3600 }),
      `${free.auth.slice(0, -4)}AAAA`,
      validToken(randomUUID()),
      'Bearer not-a-token',
    ]) {
      const res = await postMcp(url, initialize, { authorization: auth });
      expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status: 401, code: 'UNAUTHORIZED' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="course-companion", error="invalid_token"');
    }
  });

  it('lets the SDK client fail to connect without a token, with the 401', async () => {
    const error: unknown = await connectMcp(url, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(401);
  });

  it('is stateless: no session id is handed out, so none can be replayed by another student', async () => {
    const res = await postMcp(url, initialize, { authorization: free.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(res.json.result.serverInfo).toMatchObject({ name: 'course-companion' });
    // Each request is its own caller: a session id another client made up changes nothing.
    const other = await newStudent(t, 'free');
    await rest(other.auth).post('/api/v1/quizzes/01-intro-quiz/submit', { answers: { q1: 'c' } }).expect(200);
    const mine = await postMcp(url, toolCallMessage('get_progress', {}), { authorization: free.auth, 'mcp-session-id': randomUUID() });
    expect(mine.json.result.structuredContent).toEqual((await rest(free.auth).get('/api/v1/progress').expect(200)).body);
    expect(mine.json.result.structuredContent.chapters[0].attempts).toBe(0);
  });

  it('refuses a request from a web page of another origin (DNS rebinding), 403 FORBIDDEN', async () => {
    const res = await postMcp(url, initialize, { authorization: free.auth, origin: 'http://evil.example' });
    expect({ status: res.status, code: res.json.error.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    // The control: without an Origin header (as assistants call), the same request is served.
    expect((await postMcp(url, initialize, { authorization: free.auth })).status).toBe(200);
  });

  it('answers GET and DELETE 405: there is no stream to open and no session to end', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(url, { method, headers: { authorization: free.auth, accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });
});

describe('the tools', () => {
  it('lists every tool with a title, a description, the read-only hint where it reads only, and object schemas', async () => {
    const { tools } = await freeClient.listTools();
    expect(tools.map((tool) => [tool.name, tool.annotations?.readOnlyHint])).toEqual([
      ['list_chapters', true],
      ['read_chapter', true],
      ['get_quiz', true],
      ['submit_quiz', false],
      ['get_progress', true],
      ['lookup_term', true],
      ['get_learning_path', false],
      ['ask_tutor', false],
      ['submit_assessment', false],
      ['get_assessment_feedback', true],
    ]);
    for (const tool of tools) {
      expect(tool.title).toEqual(expect.any(String));
      expect(tool.description!.length).toBeGreaterThan(60);
      expect(tool.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(tool.outputSchema).toMatchObject({ type: 'object', anyOf: [expect.any(Object), expect.any(Object)] });
    }
  });

  it("takes as input the REST route's parameters and body fields, with the route's constraints", async () => {
    const { tools } = await freeClient.listTools();
    const submit = tools.find((tool) => tool.name === 'submit_quiz')!;
    expect(submit.inputSchema).toEqual({
      type: 'object',
      properties: {
        quiz_id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,79}$', examples: ['01-intro-quiz'] },
        answers: {
          type: 'object',
          description: 'The chosen option key for each answered question; unanswered questions count as wrong',
          additionalProperties: { type: 'string' },
          examples: [{ q1: 'a', q2: 'c', q3: 'b', q4: 'd', q5: 'a' }],
        },
      },
      required: ['quiz_id', 'answers'],
      additionalProperties: false,
    });
    // Every tool: the fields are the route's, as the served OpenAPI document lists them.
    const doc = (await t.http.get('/docs/json').expect(200)).body;
    const operations = Object.values(doc.paths).flatMap((item: any) => Object.values(item)) as any[];
    const routeOf: Record<string, string> = {
      list_chapters: 'listChapters',
      read_chapter: 'getChapter',
      get_quiz: 'getQuiz',
      submit_quiz: 'submitQuiz',
      get_progress: 'getProgress',
      lookup_term: 'searchGlossary',
      get_learning_path: 'createAdaptivePath',
      ask_tutor: 'askTutor',
      submit_assessment: 'submitAssessment',
      get_assessment_feedback: 'getAssessmentFeedback',
    };
    for (const tool of tools) {
      const operation = operations.find((o) => o.operationId === routeOf[tool.name]);
      const ref: string | undefined = operation.requestBody?.content['application/json'].schema.$ref;
      const bodyFields = ref ? Object.keys(doc.components.schemas[ref.split('/').pop()!].properties) : [];
      const params = (operation.parameters ?? []).filter((p: any) => p.in !== 'header').map((p: any) => p.name);
      expect([tool.name, Object.keys(tool.inputSchema.properties ?? {}).sort()]).toEqual([tool.name, [...params, ...bodyFields].sort()]);
    }
  });

  it('list_chapters, read_chapter, get_quiz and get_progress answer what the REST routes answer, with a text rendering', async () => {
    const api = rest(free.auth);
    const chapters = await callTool(freeClient, 'list_chapters');
    expect(chapters.structuredContent).toEqual((await api.get('/api/v1/chapters').expect(200)).body);
    expect((chapters.content[0] as { text: string }).text).toMatch(/^1\. 01-intro: .+ \(\d+ min, quiz 01-intro-quiz\)$/m);

    const chapter = await callTool(freeClient, 'read_chapter', { chapter_id: '02-prompting' });
    const restChapter = (await api.get('/api/v1/chapters/02-prompting').expect(200)).body;
    expect(chapter.structuredContent).toEqual(restChapter);
    expect((chapter.content[0] as { text: string }).text).toContain(`# ${restChapter.title}\n\n${restChapter.content_markdown}`);

    const quiz = await callTool(freeClient, 'get_quiz', { quiz_id: '01-intro-quiz' });
    expect(quiz.structuredContent).toEqual((await api.get('/api/v1/quizzes/01-intro-quiz').expect(200)).body);
    expect(quiz.structuredContent!.questions).toHaveLength(5);
    // Never the answers, in either rendering.
    expect(JSON.stringify(quiz.structuredContent)).not.toMatch(/"(?:correct|correct_answer|answer|explanation)"/);
    expect((quiz.content[0] as { text: string }).text).not.toMatch(/correct|explanation/i);

    const progress = await callTool(freeClient, 'get_progress');
    expect(progress.structuredContent).toEqual((await api.get('/api/v1/progress').expect(200)).body);
    expect(progress.isError).toBeUndefined();
  });

  it('lookup_term answers what the glossary route answers, by prefix and abbreviation, and all terms without q', async () => {
    const api = rest(free.auth);
    for (const q of ['emb', 'RAG', 'nearest neigh', 'no-such-thing-at-all']) {
      const found = await callTool(freeClient, 'lookup_term', { q });
      expect([q, found.structuredContent]).toEqual([q, (await api.get(`/api/v1/glossary?q=${encodeURIComponent(q)}`).expect(200)).body]);
    }
    const rag = (await callTool(freeClient, 'lookup_term', { q: 'RAG' })).structuredContent as { terms: { term: string; chapter_id: string }[] };
    expect(rag.terms[0]).toMatchObject({ chapter_id: '04-rag' });
    const none = await callTool(freeClient, 'lookup_term', { q: 'no-such-thing-at-all' });
    expect((none.content[0] as { text: string }).text).toBe('No term of the course glossary matches.');
    const all = await callTool(freeClient, 'lookup_term');
    expect(all.structuredContent).toEqual((await api.get('/api/v1/glossary').expect(200)).body);
    expect((all.structuredContent as { terms: unknown[] }).terms.length).toBeGreaterThan(20);
    const refused = toolError(await callTool(freeClient, 'lookup_term', { q: "'; DROP TABLE glossary_terms; --" }));
    expect(withoutId(refused)).toEqual(withoutId((await api.get(`/api/v1/glossary?q=${encodeURIComponent("'; DROP TABLE glossary_terms; --")}`).expect(400)).body.error));
  });

  it('submit_quiz grades on the server and records the attempt where REST sees it', async () => {
    const student = await newStudent(t, 'free');
    const client = await connect(student.auth);
    const result = await callTool(client, 'submit_quiz', { quiz_id: '01-intro-quiz', answers: { q1: 'c', q2: 'a', q3: 'a' } });
    const graded = result.structuredContent as any;
    expect(graded).toMatchObject({ quiz_id: '01-intro-quiz', score: 2, max_score: 5, percentage: 40, passed: false });
    expect(graded.results.map((r: any) => [r.question_id, r.correct])).toEqual([
      ['q1', true],
      ['q2', true],
      ['q3', false],
      ['q4', false],
      ['q5', false],
    ]);
    expect((result.content[0] as { text: string }).text).toMatch(/^Score 2\/5 \(40%\): not passed\.\nq1: correct\./);
    const history = (await rest(student.auth).get('/api/v1/progress/quiz-history').expect(200)).body;
    expect(history.attempts).toEqual([expect.objectContaining({ result_id: graded.result_id, quiz_id: '01-intro-quiz', percentage: 40 })]);
  });

  it('refuses what the REST route refuses, with the same VALIDATION_ERROR details, as a tool error', async () => {
    const api = rest(free.auth);
    const cases: [string, Record<string, unknown>, () => ReturnType<ReturnType<typeof rest>['get']>][] = [
      ['read_chapter', { chapter_id: '../etc/passwd' }, () => api.get(`/api/v1/chapters/${encodeURIComponent('../etc/passwd')}`)],
      ['get_quiz', { quiz_id: "1' OR '1'='1" }, () => api.get(`/api/v1/quizzes/${encodeURIComponent("1' OR '1'='1")}`)],
      ['submit_quiz', { quiz_id: '01-intro-quiz', answers: 'a', role: 'admin' }, () => api.post('/api/v1/quizzes/01-intro-quiz/submit', { answers: 'a', role: 'admin' })],
      ['submit_quiz', { quiz_id: '01-intro-quiz', answers: { q1: 'z', q9: 'a' } }, () => api.post('/api/v1/quizzes/01-intro-quiz/submit', { answers: { q1: 'z', q9: 'a' } })],
      ['submit_quiz', { quiz_id: '01-intro-quiz' }, () => api.post('/api/v1/quizzes/01-intro-quiz/submit', {})],
    ];
    await expectNothingWritten(db, async () => {
      for (const [tool, args, restCall] of cases) {
        const error = toolError(await callTool(freeClient, tool, args));
        const restError = (await restCall().expect(400)).body.error;
        expect([tool, withoutId(error)]).toEqual([tool, withoutId(restError)]);
        expect(error.code).toBe('VALIDATION_ERROR');
      }
      // Tools that take nothing refuse arguments the same way.
      expect(toolError(await callTool(freeClient, 'get_progress', { student_id: randomUUID() }))).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'student_id', issue: 'property student_id should not exist' }],
      });
    });
  });

  it('answers NOT_FOUND as the REST route does', async () => {
    for (const [tool, args, path] of [
      ['read_chapter', { chapter_id: '99-nothing' }, '/api/v1/chapters/99-nothing'],
      ['get_quiz', { quiz_id: '99-nothing-quiz' }, '/api/v1/quizzes/99-nothing-quiz'],
    ] as const) {
      const error = toolError(await callTool(freeClient, tool, args));
      expect(withoutId(error)).toEqual(withoutId((await rest(free.auth).get(path).expect(404)).body.error));
    }
  });

  it('answers an unknown tool with a JSON-RPC error, not a tool result', async () => {
    const error: any = await freeClient.callTool({ name: 'drop_tables', arguments: {} }).catch((e: unknown) => e);
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('Unknown tool: drop_tables');
  });
});

describe('the premium tools: gated, flagged, metered and logged as their REST routes', () => {
  const premiumCalls = (submissionId: string): [string, Record<string, unknown>][] => [
    ['get_learning_path', {}],
    ['ask_tutor', { question: 'What is chunking in retrieval-augmented generation?' }],
    ['submit_assessment', { question_id: '04-rag-q1', answer_text: GOOD_ANSWER }],
    ['get_assessment_feedback', { submission_id: submissionId }],
  ];
  beforeEach(() => fake.reset());

  it('refuses free and lapsed students with PREMIUM_REQUIRED and the upgrade URL, before validation, spending nothing', async () => {
    const lapsed = await newStudent(t, 'lapsed');
    const lapsedClient = await connect(lapsed.auth);
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      for (const [client, message] of [
        [freeClient, 'This feature is part of the premium plan'],
        [lapsedClient, 'Your premium subscription has expired'],
      ] as const) {
        for (const [tool, args] of [...premiumCalls(randomUUID()), ['submit_assessment', { question_id: 42 }] as [string, Record<string, unknown>]]) {
          const error = toolError(await callTool(client, tool, args));
          expect([tool, withoutId(error)]).toEqual([tool, { code: 'PREMIUM_REQUIRED', message, upgrade_url: t.config.UPGRADE_URL }]);
        }
      }
    });
    expect(await quotaCounters(t)).toEqual(quotas);
    expect(fake.requests).toHaveLength(0);
    // The same refusal as REST, field for field.
    const restError = (await rest(free.auth).post('/api/v2/adaptive/path', {}).expect(403)).body.error;
    expect(withoutId(toolError(await callTool(freeClient, 'get_learning_path')))).toEqual(withoutId(restError));
  });

  it('refuses a feature switched off with FEATURE_DISABLED naming the feature, as REST does', async () => {
    const admin = await t.login(DEMO.admin.email, DEMO.admin.password);
    const premium = await newStudent(t, 'premium');
    const client = await connect(premium.auth);
    await rest(admin).get('/api/v2/admin/flags/assessments').expect(200);
    await t.http.put('/api/v2/admin/flags/assessments').set('authorization', admin).send({ enabled: false }).expect(200);
    try {
      const error = toolError(await callTool(client, 'submit_assessment', { question_id: '04-rag-q1', answer_text: GOOD_ANSWER }));
      expect(withoutId(error)).toEqual({ code: 'FEATURE_DISABLED', message: 'This feature is not available for your account yet', feature: 'assessments' });
      const restError = (await rest(premium.auth).post('/api/v2/assessments/submit', { question_id: '04-rag-q1', answer_text: GOOD_ANSWER }).expect(404)).body.error;
      expect(withoutId(error)).toEqual(withoutId(restError));
    } finally {
      await t.http.put('/api/v2/admin/flags/assessments').set('authorization', admin).send({ enabled: true }).expect(200);
    }
  });

  it('get_learning_path calls the model, is logged, and spends the monthly quota REST reports and shares', async () => {
    fake.respondWith(() => PATH_PLAN);
    const premium = await newStudent(t, 'premium');
    const client = await connect(premium.auth);
    const quota = async () => (await rest(premium.auth).get('/api/v2/usage/quota').expect(200)).body.features.adaptive_paths;

    const first = await callTool(client, 'get_learning_path', { force_refresh: true, include_reasoning: true });
    const path = first.structuredContent as any;
    expect(path).toMatchObject({ student_id: premium.id, decision_source: 'llm', variant: 'adaptive', reasoning: PATH_PLAN.reasoning });
    expect(path.recommendations.map((r: any) => r.chapter_id)).toEqual(['01-intro', '02-prompting']);
    expect((first.content[0] as { text: string }).text).toBe(
      'Learning path (llm):\n1. start 01-intro: Begin with the foundations.\n2. start 02-prompting: Then prompting.\n\n' + PATH_PLAN.reasoning,
    );
    expect(await quota()).toEqual({ used: 1, limit: 3 });
    const [log] = await db.query(`SELECT * FROM llm_usage_logs WHERE reference_id = $1 AND feature = 'adaptive_paths'`, [path.path_id]);
    expect(log).toMatchObject({ student_id: premium.id, success: true, outcome: 'success', provider: 'anthropic', variant: 'adaptive' });
    expect(Number(log.cost_usd)).toBeGreaterThan(0);

    // A fresh path is served from cache: no model call, no unit.
    const cached = await callTool(client, 'get_learning_path');
    expect(cached.structuredContent).toMatchObject({ path_id: path.path_id, decision_source: 'cache' });
    expect(await quota()).toEqual({ used: 1, limit: 3 });

    await rest(premium.auth).post('/api/v2/adaptive/path', { force_refresh: true }).expect(200);
    await callTool(client, 'get_learning_path', { force_refresh: true });
    expect(await quota()).toEqual({ used: 3, limit: 3 });
    expect(fake.requests).toHaveLength(3);

    const refused = toolError(await callTool(client, 'get_learning_path', { force_refresh: true }));
    const restRefused = (await rest(premium.auth).post('/api/v2/adaptive/path', { force_refresh: true }).expect(429)).body.error;
    expect(withoutId(refused)).toEqual(withoutId(restRefused));
    expect(refused).toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      quota: { feature: 'adaptive_paths', used: 3, limit: 3, period: new Date().toISOString().slice(0, 7), resets_at: expect.any(String) },
    });
    expect(fake.requests).toHaveLength(3);
    const [{ calls }] = await db.query(`SELECT count(*)::int AS calls FROM llm_usage_logs WHERE student_id = $1 AND feature = 'adaptive_paths'`, [premium.id]);
    expect(calls).toBe(3);
  });

  it('ask_tutor answers from the course with citations, metered and logged as POST /api/v2/tutor/ask, and keeps the conversation', async () => {
    const premium = await newStudent(t, 'premium');
    const client = await connect(premium.auth);
    const quota = async () => (await rest(premium.auth).get('/api/v2/usage/quota').expect(200)).body.features.tutor_questions;
    const first = await callTool(client, 'ask_tutor', { question: 'Why should neighbouring chunks overlap?' });
    const answer = first.structuredContent as any;
    expect(answer).toMatchObject({ off_course: false, decision_source: 'llm', conversation_id: expect.any(String) });
    expect(answer.citations.length).toBeGreaterThan(0);
    expect((first.content[0] as { text: string }).text).toContain(`Sources: ${answer.citations[0].chapter_id} › ${answer.citations[0].section}`);
    expect(await quota()).toEqual({ used: 1, limit: 30 });
    const [log] = await db.query(`SELECT * FROM llm_usage_logs WHERE reference_id = $1 AND feature = 'tutor_questions'`, [answer.answer_id]);
    expect(log).toMatchObject({ student_id: premium.id, outcome: 'success', provider: 'anthropic', variant: 'grounded' });

    const followUp = await callTool(client, 'ask_tutor', { question: 'How big should they be?', conversation_id: answer.conversation_id });
    expect((followUp.structuredContent as any).conversation_id).toBe(answer.conversation_id);
    expect(fake.requests.at(-1)!.body.messages[0].content).toContain('<student_data label="earlier_question">\nWhy should neighbouring chunks overlap?');

    // Off course: no model call and no unit, as on REST.
    const calls = fake.requests.length;
    const off = await callTool(client, 'ask_tutor', { question: 'Who won the 1998 football world cup final in Paris?' });
    expect(off.structuredContent).toMatchObject({ off_course: true, citations: [] });
    expect(fake.requests).toHaveLength(calls);
    expect(await quota()).toEqual({ used: 2, limit: 30 });

    const other = await connect((await newStudent(t, 'premium')).auth);
    const stolen = toolError(await callTool(other, 'ask_tutor', { question: 'How big should they be?', conversation_id: answer.conversation_id }));
    expect(stolen.code).toBe('NOT_FOUND');
    expect(toolError(await callTool(client, 'ask_tutor', { question: '' })).code).toBe('VALIDATION_ERROR');
  });

  it('submit_assessment queues a graded answer for one quota unit; get_assessment_feedback shows it to its author only', async () => {
    const premium = await newStudent(t, 'premium');
    const client = await connect(premium.auth);
    const submitted = await callTool(client, 'submit_assessment', { question_id: '04-rag-q1', answer_text: GOOD_ANSWER });
    const { submission_id } = submitted.structuredContent as { submission_id: string };
    expect(submitted.structuredContent).toEqual({ submission_id, status: 'pending', poll_url: `/api/v2/assessments/feedback/${submission_id}` });
    expect((submitted.content[0] as { text: string }).text).toContain('get_assessment_feedback');
    expect((await rest(premium.auth).get('/api/v2/usage/quota').expect(200)).body.features.assessments.used).toBe(1);

    let feedback: any;
    for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      feedback = (await callTool(client, 'get_assessment_feedback', { submission_id })).structuredContent;
      if (feedback.status !== 'pending') break;
    }
    expect(feedback).toMatchObject({ submission_id, question_id: '04-rag-q1', status: 'graded', max_score: 10 });
    expect(feedback).toEqual((await rest(premium.auth).get(`/api/v2/assessments/feedback/${submission_id}`).expect(200)).body);

    const other = await connect((await newStudent(t, 'premium')).auth);
    expect(toolError(await callTool(other, 'get_assessment_feedback', { submission_id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(toolError(await callTool(other, 'get_assessment_feedback', { submission_id: 'not-a-uuid' }))).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'submission_id', issue: 'must be a submission id (UUID)' }],
    });
    // The DTO's checks and the route's own pipe (the configured ASSESSMENT_MAX_CHARS), as on REST.
    for (const body of [{ question_id: '04-rag-q1' }, { question_id: '04-rag-q1', answer_text: 'x'.repeat(t.config.ASSESSMENT_MAX_CHARS + 1) }]) {
      const refused = toolError(await callTool(other, 'submit_assessment', body));
      const restRefused = (await rest(premium.auth).post('/api/v2/assessments/submit', body).expect(400)).body.error;
      expect(withoutId(refused)).toEqual(withoutId(restRefused));
    }
    expect((await rest(premium.auth).get('/api/v2/usage/quota').expect(200)).body.features.assessments.used).toBe(1);
  });
});

describe('the chapters as resources', () => {
  it('lists one Markdown resource per chapter, and the template', async () => {
    const { resources } = await freeClient.listResources();
    const chapters = (await rest(free.auth).get('/api/v1/chapters').expect(200)).body.chapters;
    expect(resources).toEqual(
      chapters.map((c: any) => ({ uri: `course://chapters/${c.chapter_id}`, name: c.chapter_id, title: c.title, description: c.summary, mimeType: 'text/markdown' })),
    );
    const { resourceTemplates } = await freeClient.listResourceTemplates();
    expect(resourceTemplates).toEqual([expect.objectContaining({ uriTemplate: 'course://chapters/{chapter_id}', mimeType: 'text/markdown' })]);
  });

  it('reads a chapter as Markdown', async () => {
    const chapter = (await rest(free.auth).get('/api/v1/chapters/04-rag').expect(200)).body;
    const { contents } = await freeClient.readResource({ uri: 'course://chapters/04-rag' });
    expect(contents).toEqual([{ uri: 'course://chapters/04-rag', mimeType: 'text/markdown', text: `# ${chapter.title}\n\n${chapter.content_markdown}` }]);
  });

  it('answers an unknown or malformed resource with a JSON-RPC error carrying the REST error', async () => {
    const read = (uri: string) => freeClient.readResource({ uri }).then(() => undefined, (e: any) => ({ code: e.code, data: e.data }));
    expect(await read('course://chapters/99-nothing')).toEqual({
      code: -32002,
      data: { code: 'NOT_FOUND', message: 'Chapter 99-nothing was not found', request_id: expect.any(String) },
    });
    expect(await read('file:///etc/passwd')).toMatchObject({ code: -32002, data: { code: 'NOT_FOUND' } });
    expect(await read('course://chapters/..%2F..%2Fetc')).toMatchObject({
      code: -32602,
      data: { code: 'VALIDATION_ERROR', details: [{ field: 'chapter_id', issue: 'must be a chapter id such as 01-intro' }] },
    });
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { callTool, connectMcp } from '../support/mcp-client.js';

/**
 * The README's promise, end to end: the built server started with no configuration at all
 * (no DATABASE_URL, no secret) brings up its own PostgreSQL, migrates, seeds, and serves the
 * quickstart's v1 flows; SIGTERM stops it cleanly.
 */
describe('npm start on a bare machine', () => {
  let dir: string;
  let server: ChildProcess;
  let base: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-quickstart-'));
    await chmod(dir, 0o755);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: join(dir, 'data'), PORT: '0', HOST: '127.0.0.1' };
    server = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60_000);
      server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
      createInterface({ input: server.stdout! }).on('line', (line) => {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          lines.push(entry);
          if (entry.msg === 'Course Companion is serving') {
            clearTimeout(timer);
            resolve(String(entry.url));
          }
        } catch {
          // not a log line
        }
      });
    });
  }, 90_000);

  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('logs that it generated a secret and started the embedded database', () => {
    expect(lines.some((l) => String(l.msg).startsWith('JWT_SECRET_KEY is not set'))).toBe(true);
    expect(lines.some((l) => l.msg === 'DATABASE_URL is not set: started the embedded PostgreSQL')).toBe(true);
    const ready = lines.find((l) => l.msg === 'Database ready') as { migrationsApplied: string[]; seeded: { demoUsersCreated: number } };
    expect(ready.migrationsApplied.length).toBeGreaterThan(0);
    expect(ready.seeded.demoUsersCreated).toBe(4);
    expect(JSON.stringify(lines)).not.toMatch(/password123|premium123|admin123/);
  });

  it('serves the quickstart v1 flow', async () => {
    expect((await call('GET', '/api/v1/health')).body).toMatchObject({ status: 'healthy', llm_provider: 'rules' });
    const login = await call('POST', '/api/v1/auth/login', undefined, { email: 'test@example.com', password: 'password123' });
    expect(login.status).toBe(200);
    const token = String(login.body.access_token);

    const chapters = await call('GET', '/api/v1/chapters', token);
    expect(chapters.body.chapters).toHaveLength(6);
    expect((await call('GET', '/api/v1/chapters/01-intro', token)).status).toBe(200);
    const quiz = await call('GET', '/api/v1/quizzes/01-intro-quiz', token);
    expect(quiz.body.questions).toHaveLength(5);
    const submit = await call('POST', '/api/v1/quizzes/01-intro-quiz/submit', token, { answers: { q1: 'a', q2: 'b' } });
    expect(submit.status).toBe(200);
    expect(submit.body.max_score).toBe(5);
    const progress = await call('GET', '/api/v1/progress', token);
    expect(progress.body.chapters[0]).toMatchObject({ chapter_id: '01-intro', attempts: 1 });
    const history = await call('GET', '/api/v1/progress/quiz-history', token);
    expect(history.body.attempts[0].result_id).toBe(submit.body.result_id);

    // Structured request logs carry the request id and never the bearer token or a password.
    const traced = await fetch(`${base}/api/v1/chapters`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'trace-me-1' } });
    expect(traced.headers.get('x-request-id')).toBe('trace-me-1');
    await new Promise((r) => setTimeout(r, 200));
    expect(lines.find((l) => l.request_id === 'trace-me-1')).toMatchObject({
      msg: 'request completed',
      req: { method: 'GET', url: '/api/v1/chapters' },
      res: { statusCode: 200 },
    });
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('password123');
  });

  it('gives useful rules answers from the glossary, the tutor and every study tool with no key', async () => {
    const login = await call('POST', '/api/v1/auth/login', undefined, { email: 'premium@test.com', password: 'premium123' });
    const token = String(login.body.access_token);
    const term = await call('GET', '/api/v1/glossary/embedding', token);
    expect(term.status).toBe(200);
    expect(String(term.body.definition).length).toBeGreaterThan(20);

    const tutor = await call('POST', '/api/v2/tutor/ask', token, { question: 'Why should neighbouring chunks overlap?' });
    expect(tutor.body).toMatchObject({ off_course: false, decision_source: 'rules' });
    expect(tutor.body.answer_markdown).toMatch(/^The course covers this in /);
    expect(tutor.body.citations.length).toBeGreaterThan(0);

    const cards = await call('POST', '/api/v2/study/flashcards', token, { chapter_id: '03-embeddings', count: 5 });
    expect(cards.status).toBe(200);
    expect(cards.body.cards).toHaveLength(5);
    for (const card of cards.body.cards) expect(card.front && card.back && card.section).toBeTruthy();
    const summary = await call('POST', '/api/v2/study/summary', token, { chapter_id: '03-embeddings' });
    expect(summary.status).toBe(200);
    expect(summary.body.key_points.length).toBeGreaterThan(0);
    const practice = await call('POST', '/api/v2/study/practice-quiz', token, { chapter_id: '03-embeddings', count: 3 });
    expect(practice.body.questions).toHaveLength(3);
    const answers = Object.fromEntries(practice.body.questions.map((q: { question_id: string }) => [q.question_id, 'a']));
    const graded = await call('POST', `/api/v2/study/practice-quiz/${String(practice.body.practice_id)}/submit`, token, { answers });
    expect(graded.body).toMatchObject({ max_score: 3, results: expect.any(Array) });
    for (const r of graded.body.results) expect(String(r.explanation).length).toBeGreaterThan(10);
  });

  it('lets an MCP client list and call every tool, the premium ones on the rules provider', async () => {
    const login = await call('POST', '/api/v1/auth/login', undefined, { email: 'premium@test.com', password: 'premium123' });
    const client = await connectMcp(new URL('/mcp', base), `Bearer ${String(login.body.access_token)}`);
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(10);
      const submitted = await callTool(client, 'submit_assessment', { question_id: '04-rag-q1', answer_text: 'RAG retrieves current documents at query time.' });
      const calls: [string, Record<string, unknown>][] = [
        ['list_chapters', {}],
        ['read_chapter', { chapter_id: '01-intro' }],
        ['get_quiz', { quiz_id: '01-intro-quiz' }],
        ['submit_quiz', { quiz_id: '01-intro-quiz', answers: { q1: 'c' } }],
        ['get_progress', {}],
        ['lookup_term', { q: 'token' }],
        ['get_learning_path', {}],
        ['ask_tutor', { question: 'What is the difference between pretraining and post-training?' }],
        ['get_assessment_feedback', { submission_id: (submitted.structuredContent as { submission_id: string }).submission_id }],
      ];
      const results = [['submit_assessment', submitted.isError], ...(await Promise.all(calls.map(async ([name, args]) => [name, (await callTool(client, name, args)).isError])))];
      expect(results.map(([name]) => name).sort()).toEqual(tools.map((t) => t.name).sort());
      expect(results).toEqual(results.map(([name]) => [name, undefined]));
      expect((await callTool(client, 'get_learning_path')).structuredContent).toMatchObject({ decision_source: expect.stringMatching(/^(rules|cache)$/) });
    } finally {
      await client.close();
    }
  });

  it('exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 15_000);
});

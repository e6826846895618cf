import { DataSource } from 'typeorm';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let auth: string;
beforeAll(async () => {
  t = await startTestApp();
  auth = await t.login(DEMO.student.email, DEMO.student.password);
});
afterAll(() => t.close());

const CHAPTERS = ['01-intro', '02-prompting', '03-embeddings', '04-rag', '05-fine-tuning', '06-ai-apps'];

async function answerKey(quizId: string): Promise<Record<string, string>> {
  const rows: { question_id: string; correct_answer: string }[] = await t.app
    .get(DataSource)
    .query('SELECT question_id, correct_answer FROM quiz_questions WHERE quiz_id = $1', [quizId]);
  return Object.fromEntries(rows.map((r) => [r.question_id, r.correct_answer]));
}

async function resultCount(): Promise<number> {
  const rows: { n: number }[] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM quiz_results');
  return rows[0]!.n;
}

describe('chapters', () => {
  it('lists the six chapters in order, each with its quiz', async () => {
    const res = await t.http.get('/api/v1/chapters').set('authorization', auth).expect(200);
    expect(res.body.chapters.map((c: { chapter_id: string }) => c.chapter_id)).toEqual(CHAPTERS);
    res.body.chapters.forEach((c: Record<string, unknown>, i: number) => {
      expect(c).toEqual({
        chapter_id: CHAPTERS[i],
        title: expect.any(String),
        order: i + 1,
        summary: expect.any(String),
        estimated_minutes: expect.any(Number),
        quiz_id: `${CHAPTERS[i]}-quiz`,
      });
    });
  });

  it('serves a chapter with at least 600 words of content, key terms and prerequisites', async () => {
    for (const id of CHAPTERS) {
      const res = await t.http.get(`/api/v1/chapters/${id}`).set('authorization', auth).expect(200);
      expect(res.body).toMatchObject({ chapter_id: id, quiz_id: `${id}-quiz` });
      expect(res.body.content_markdown.split(/\s+/).filter(Boolean).length).toBeGreaterThanOrEqual(600);
      expect(res.body.key_terms.length).toBeGreaterThan(0);
      expect(Array.isArray(res.body.prerequisites)).toBe(true);
    }
    const intro = await t.http.get('/api/v1/chapters/01-intro').set('authorization', auth).expect(200);
    expect(intro.body.prerequisites).toEqual([]);
  });

  it('answers 404 NOT_FOUND for an unknown chapter and 400 for a malformed id', async () => {
    const missing = await t.http.get('/api/v1/chapters/99-nothing').set('authorization', auth).expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const bad = await t.http.get(`/api/v1/chapters/${encodeURIComponent("1' OR '1'='1")}`).set('authorization', auth).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'chapter_id', issue: expect.any(String) }] });
  });

  it('requires a token', async () => {
    expect((await t.http.get('/api/v1/chapters').expect(401)).body.error.code).toBe('UNAUTHORIZED');
    expect((await t.http.get('/api/v1/chapters/01-intro').expect(401)).body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('quizzes', () => {
  it('serves the questions and options but never the answers', async () => {
    const res = await t.http.get('/api/v1/quizzes/01-intro-quiz').set('authorization', auth).expect(200);
    expect(res.body).toMatchObject({ quiz_id: '01-intro-quiz', chapter_id: '01-intro' });
    expect(res.body.questions).toHaveLength(5);
    for (const q of res.body.questions) {
      expect(Object.keys(q).sort()).toEqual(['options', 'prompt', 'question_id']);
      expect(q.options.map((o: { key: string }) => o.key)).toEqual(['a', 'b', 'c', 'd']);
    }
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/correct|explanation/);
  });

  it('answers 404 for an unknown quiz', async () => {
    expect((await t.http.get('/api/v1/quizzes/nope-quiz').set('authorization', auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    const submit = await t.http.post('/api/v1/quizzes/nope-quiz/submit').set('authorization', auth).send({ answers: { q1: 'a' } }).expect(404);
    expect(submit.body.error.code).toBe('NOT_FOUND');
  });

  it('grades a submission on the server and records it', async () => {
    const key = await answerKey('02-prompting-quiz');
    const wrong = (k: string) => (k === 'a' ? 'b' : 'a');
    const answers = { q1: key.q1!, q2: key.q2!, q3: key.q3!, q4: wrong(key.q4!), q5: wrong(key.q5!) };
    const before = await resultCount();
    const res = await t.http.post('/api/v1/quizzes/02-prompting-quiz/submit').set('authorization', auth).send({ answers }).expect(200);
    expect(res.body).toMatchObject({
      result_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      score: 3,
      max_score: 5,
      percentage: 60,
      passed: true,
    });
    expect(res.body.results).toHaveLength(5);
    expect(res.body.results[3]).toEqual({
      question_id: 'q4',
      your_answer: wrong(key.q4!),
      correct: false,
      correct_answer: key.q4,
      explanation: expect.any(String),
    });
    expect(await resultCount()).toBe(before + 1);
  });

  it('accepts a partial submission, counting unanswered questions as wrong', async () => {
    const res = await t.http
      .post('/api/v1/quizzes/01-intro-quiz/submit')
      .set('authorization', auth)
      .send({ answers: { q1: 'a', q2: 'b' } })
      .expect(200);
    expect(res.body.max_score).toBe(5);
    expect(res.body.results.filter((r: { your_answer: string | null }) => r.your_answer === null)).toHaveLength(3);
  });

  it.each([
    [{ answers: { q1: 'z' } }, 'answers.q1'],
    [{ answers: { q42: 'a' } }, 'answers.q42'],
    [{ answers: {} }, 'answers'],
    [{ answers: 'a,b,c' }, 'answers'],
    [{}, 'answers'],
    [{ answers: { q1: 'a' }, score: 5 }, 'score'],
    [['q1', 'a'], 'body'],
  ])('refuses %j with VALIDATION_ERROR on %s and records nothing', async (body, field) => {
    const before = await resultCount();
    const res = await t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', auth).send(body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await resultCount()).toBe(before);
  });
});

describe('progress and quiz history', () => {
  let fresh: string;
  beforeAll(async () => {
    await t.http.post('/api/v1/auth/register').send({ email: 'progress@example.com', password: 'longenough1', full_name: 'P' }).expect(201);
    fresh = await t.login('progress@example.com', 'longenough1');
  });

  it('starts with every chapter not started', async () => {
    const res = await t.http.get('/api/v1/progress').set('authorization', fresh).expect(200);
    expect(res.body.overall_percentage).toBe(0);
    expect(res.body.chapters).toEqual(
      CHAPTERS.map((chapter_id) => ({ chapter_id, status: 'not_started', best_percentage: null, attempts: 0 })),
    );
    expect((await t.http.get('/api/v1/progress/quiz-history').set('authorization', fresh).expect(200)).body).toEqual({
      attempts: [],
      next_cursor: null,
    });
  });

  it('follows quiz results: in progress after a failed attempt, completed after a pass', async () => {
    const key = await answerKey('01-intro-quiz');
    const wrongAll = Object.fromEntries(Object.entries(key).map(([q, k]) => [q, k === 'a' ? 'b' : 'a']));
    await t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', fresh).send({ answers: wrongAll }).expect(200);
    let res = await t.http.get('/api/v1/progress').set('authorization', fresh).expect(200);
    expect(res.body.chapters[0]).toEqual({ chapter_id: '01-intro', status: 'in_progress', best_percentage: 0, attempts: 1 });

    await t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', fresh).send({ answers: key }).expect(200);
    res = await t.http.get('/api/v1/progress').set('authorization', fresh).expect(200);
    expect(res.body.chapters[0]).toEqual({ chapter_id: '01-intro', status: 'completed', best_percentage: 100, attempts: 2 });
    expect(res.body.overall_percentage).toBe(16.67);
  });

  it('pages through history newest first with an opaque cursor, and only ever shows the caller’s own', async () => {
    const key = await answerKey('03-embeddings-quiz');
    for (let i = 0; i < 5; i++) {
      await t.http.post('/api/v1/quizzes/03-embeddings-quiz/submit').set('authorization', fresh).send({ answers: { q1: key.q1 } }).expect(200);
    }
    const all: { result_id: string; completed_at: string; quiz_id: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { limit: 3, ...(cursor ? { cursor } : {}) };
      const res = await t.http.get('/api/v1/progress/quiz-history').query(query).set('authorization', fresh).expect(200);
      expect(res.body.attempts.length).toBeLessThanOrEqual(3);
      all.push(...res.body.attempts);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(all).toHaveLength(7);
    expect(pages).toBe(3);
    expect(new Set(all.map((a) => a.result_id)).size).toBe(7);
    const times = all.map((a) => a.completed_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all[0]).toMatchObject({ quiz_id: '03-embeddings-quiz', chapter_id: '03-embeddings', score: 1, max_score: 5, percentage: 20 });

    const other = await t.http.get('/api/v1/progress/quiz-history').set('authorization', auth).expect(200);
    const mine = new Set(all.map((a) => a.result_id));
    expect(other.body.attempts.some((a: { result_id: string }) => mine.has(a.result_id))).toBe(false);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 101 }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ cursor: Buffer.from(JSON.stringify(["2026-01-01' OR 1=1", 'x'])).toString('base64url') }, 'cursor'],
    [{ sort: 'asc' }, 'sort'],
  ])('refuses the query %j with VALIDATION_ERROR on %s', async (query, field) => {
    const res = await t.http.get('/api/v1/progress/quiz-history').query(query).set('authorization', fresh).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details[0].field).toBe(field);
  });

  it('requires a token', async () => {
    await t.http.get('/api/v1/progress').expect(401);
    await t.http.get('/api/v1/progress/quiz-history').expect(401);
  });
});

import { DataSource } from 'typeorm';
import { FeatureFlagsService } from '../../src/flags/feature-flags.service.js';
import { FakeAnthropicServer } from '../fakes/anthropic/index.js';
import { appOnFakeModel, retryingFakeModelEnv } from '../support/fake-model.js';
import { premiumStudentAs } from '../support/security/accounts.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const today = () => new Date().toISOString().slice(0, 10);
const period = () => new Date().toISOString().slice(0, 7);

type Student = { auth: string; id: string };

/** Units of study_tools this month, as the quota route reports them. */
const studyUnits = async (t: TestApp, s: Student): Promise<number> =>
  (await t.http.get('/api/v2/usage/quota').set('authorization', s.auth).expect(200)).body.features.study_tools.used;

/** The chapter's section ids, straight from the course index. */
const sectionIds = async (t: TestApp, chapterId: string): Promise<string[]> =>
  (await t.app.get(DataSource).query(`SELECT section_id FROM course_sections WHERE chapter_id = $1 ORDER BY position`, [chapterId])).map(
    (r: { section_id: string }) => r.section_id,
  );

/** The stored keys of a practice quiz, read from the table (the API never sends them before a submit). */
const storedKeys = async (t: TestApp, practiceId: string): Promise<Record<string, string>> => {
  const [row] = await t.app
    .get(DataSource)
    .query(`SELECT m.content FROM study_practice_sessions s JOIN study_materials m USING (material_id) WHERE s.practice_id = $1`, [practiceId]);
  return Object.fromEntries(row.content.questions.map((q: { question_id: string; correct_answer: string }) => [q.question_id, q.correct_answer]));
};

const post = (t: TestApp, s: Student, path: string, body: object) => t.http.post(`/api/v2/study/${path}`).set('authorization', s.auth).send(body);

describe('study tools with no LLM configured (rules provider)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('makes flashcards from the glossary, each citing a section of the chapter, and shares them with the next student for no unit', async () => {
    const a = await premiumStudentAs(t, 'cards-a@example.com');
    const b = await premiumStudentAs(t, 'cards-b@example.com');
    const first = await post(t, a, 'flashcards', { chapter_id: '03-embeddings' }).expect(200);
    expect(first.body).toMatchObject({ set_id: expect.stringMatching(UUID), chapter_id: '03-embeddings', decision_source: 'rules' });
    expect(first.body.cards).toHaveLength(10);
    const sections = await sectionIds(t, '03-embeddings');
    for (const card of first.body.cards) expect(sections).toContain(card.section);
    // The glossary's own definition of a term of the chapter, as the seed authored it.
    const [term] = await t.app.get(DataSource).query(`SELECT term, definition FROM glossary_terms WHERE chapter_id = '03-embeddings' ORDER BY term LIMIT 1`);
    expect(first.body.cards).toContainEqual(expect.objectContaining({ front: term.term, back: term.definition }));
    expect(await studyUnits(t, a)).toBe(1);

    const second = await post(t, b, 'flashcards', { chapter_id: '03-embeddings', count: 10 }).expect(200);
    expect(second.body).toEqual({ ...first.body, decision_source: 'cache' });
    expect(await studyUnits(t, b)).toBe(0);
    // Another count is other material.
    const twelve = await post(t, b, 'flashcards', { chapter_id: '03-embeddings', count: 12 }).expect(200);
    expect(twelve.body.cards).toHaveLength(12);
    expect(twelve.body.set_id).not.toBe(first.body.set_id);
    expect(await studyUnits(t, b)).toBe(1);
  });

  it('summarises a chapter from its sections’ opening sentences, key points from its terms', async () => {
    const s = await premiumStudentAs(t, 'summary@example.com');
    const res = await post(t, s, 'summary', { chapter_id: '01-intro' }).expect(200);
    expect(res.body).toMatchObject({ chapter_id: '01-intro', decision_source: 'rules', generated_at: expect.any(String) });
    expect(res.body.summary_markdown).toContain('### What a large language model actually does');
    expect(res.body.summary_markdown).toContain('A large language model (LLM) is a neural network trained to predict the next token in a sequence.');
    expect(res.body.key_points.length).toBeGreaterThanOrEqual(3);
    expect(res.body.key_points.some((p: string) => p.startsWith('Hallucination: '))).toBe(true);
  });

  it('serves a practice quiz without its keys, grades it on the server, lets it be retaken, and leaves v1 progress alone', async () => {
    const s = await premiumStudentAs(t, 'practice@example.com');
    const progressBefore = (await t.http.get('/api/v1/progress').set('authorization', s.auth).expect(200)).body;
    const quiz = await post(t, s, 'practice-quiz', { chapter_id: '02-prompting' }).expect(200);
    expect(quiz.body).toMatchObject({ practice_id: expect.stringMatching(UUID), chapter_id: '02-prompting', decision_source: 'rules' });
    expect(quiz.body.questions).toHaveLength(5);
    for (const q of quiz.body.questions) {
      expect(Object.keys(q).sort()).toEqual(['options', 'prompt', 'question_id']);
      expect(q.options.map((o: { key: string }) => o.key)).toEqual(['a', 'b', 'c', 'd']);
      for (const o of q.options) expect(Object.keys(o).sort()).toEqual(['key', 'text']);
      expect(new Set(q.options.map((o: { text: string }) => o.text)).size).toBe(4);
    }
    expect(JSON.stringify(quiz.body)).not.toMatch(/correct|explanation|section/);
    // Never one of the graded quiz's questions.
    const graded: { prompt: string }[] = await t.app.get(DataSource).query(`SELECT prompt FROM quiz_questions WHERE quiz_id = '02-prompting-quiz'`);
    for (const q of quiz.body.questions) expect(graded.map((g) => g.prompt)).not.toContain(q.prompt);

    const keys = await storedKeys(t, quiz.body.practice_id);
    const wrong = (key: string) => ({ a: 'b', b: 'c', c: 'd', d: 'a' })[key]!;
    const answers = { ...keys, p1: wrong(keys.p1!) };
    const graded1 = await post(t, s, `practice-quiz/${quiz.body.practice_id}/submit`, { answers }).expect(200);
    expect(graded1.body).toMatchObject({ score: 4, max_score: 5 });
    expect(graded1.body.results[0]).toEqual({ question_id: 'p1', correct: false, correct_answer: keys.p1, explanation: expect.any(String), section: expect.any(String) });
    const sections = await sectionIds(t, '02-prompting');
    for (const r of graded1.body.results) expect(sections).toContain(r.section);

    // Submitting again is allowed: each submission is graded and kept.
    const graded2 = await post(t, s, `practice-quiz/${quiz.body.practice_id}/submit`, { answers: { p2: keys.p2 } }).expect(200);
    expect(graded2.body).toMatchObject({ score: 1, max_score: 5 });
    const attempts = await t.app.get(DataSource).query(`SELECT score FROM study_practice_attempts WHERE practice_id = $1 ORDER BY submitted_at`, [quiz.body.practice_id]);
    expect(attempts).toEqual([{ score: 4 }, { score: 1 }]);

    expect((await t.http.get('/api/v1/progress').set('authorization', s.auth).expect(200)).body).toEqual(progressBefore);
    expect((await t.http.get('/api/v1/progress/quiz-history').set('authorization', s.auth).expect(200)).body.attempts).toEqual([]);
    expect(await t.app.get(DataSource).query(`SELECT 1 FROM quiz_results WHERE student_id = $1`, [s.id])).toEqual([]);

    const bad = await post(t, s, `practice-quiz/${quiz.body.practice_id}/submit`, { answers: { p1: 'z', q9: 'a' } }).expect(400);
    expect(bad.body.error.details).toEqual([
      { field: 'answers.p1', issue: 'must be one of a, b, c, d' },
      { field: 'answers.q9', issue: 'is not a question of this practice quiz' },
    ]);
  });

  it('gives every student a practice quiz of their own over the shared questions; another student’s is 404', async () => {
    const a = await premiumStudentAs(t, 'owner-a@example.com');
    const b = await premiumStudentAs(t, 'owner-b@example.com');
    const mine = await post(t, a, 'practice-quiz', { chapter_id: '04-rag', count: 3 }).expect(200);
    const theirs = await post(t, b, 'practice-quiz', { chapter_id: '04-rag', count: 3 }).expect(200);
    expect(theirs.body).toEqual({ ...mine.body, practice_id: expect.stringMatching(UUID), decision_source: 'cache' });
    expect(theirs.body.practice_id).not.toBe(mine.body.practice_id);
    expect([await studyUnits(t, a), await studyUnits(t, b)]).toEqual([1, 0]);

    const stolen = await post(t, b, `practice-quiz/${mine.body.practice_id}/submit`, { answers: { p1: 'a' } }).expect(404);
    expect(stolen.body.error.code).toBe('NOT_FOUND');
    await post(t, a, 'practice-quiz/00000000-0000-4000-8000-000000000000/submit', { answers: { p1: 'a' } }).expect(404);
    expect((await post(t, a, 'practice-quiz/not-a-uuid/submit', { answers: { p1: 'a' } }).expect(400)).body.error.code).toBe('VALIDATION_ERROR');
    expect(await t.app.get(DataSource).query(`SELECT 1 FROM study_practice_attempts WHERE practice_id = $1`, [mine.body.practice_id])).toEqual([]);
  });

  it.each([
    ['flashcards', { chapter_id: '01-intro', count: 4 }],
    ['flashcards', { chapter_id: '01-intro', count: 31 }],
    ['flashcards', { chapter_id: '01-intro', count: 7.5 }],
    ['flashcards', { chapter_id: '01-intro', count: '10' }],
    ['practice-quiz', { chapter_id: '01-intro', count: 2 }],
    ['practice-quiz', { chapter_id: '01-intro', count: 11 }],
    ['summary', { chapter_id: '01-intro', count: 5 }],
    ['summary', { chapter_id: '01-intro', student_id: 'x' }],
    ['flashcards', { chapter_id: 'Not A Slug' }],
    ['practice-quiz', {}],
  ])('refuses %s %j with 400 VALIDATION_ERROR and no unit', async (path, body) => {
    const s = await premiumStudentAs(t, `invalid-${Math.random()}@example.com`);
    const res = await post(t, s, path, body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(await studyUnits(t, s)).toBe(0);
  });

  it('answers 404 NOT_FOUND for an unknown chapter, without a unit', async () => {
    const s = await premiumStudentAs(t, 'unknown-chapter@example.com');
    for (const path of ['flashcards', 'practice-quiz', 'summary']) {
      expect((await post(t, s, path, { chapter_id: '99-nowhere' }).expect(404)).body.error.code).toBe('NOT_FOUND');
    }
    expect(await studyUnits(t, s)).toBe(0);
  });

  it('answers 429 with the quota once the month’s units are spent, and still serves stored material for free', async () => {
    const s = await premiumStudentAs(t, 'study-quota@example.com');
    await t.app.get(DataSource).query(`INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, 'study_tools', 19)`, [s.id, period()]);
    await post(t, s, 'summary', { chapter_id: '05-fine-tuning' }).expect(200);
    expect(await studyUnits(t, s)).toBe(20);
    const res = await post(t, s, 'flashcards', { chapter_id: '05-fine-tuning', count: 6 }).expect(429);
    expect(res.body.error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', quota: { feature: 'study_tools', used: 20, limit: 20, period: period() } });
    expect((await t.http.get('/api/v2/usage/quota').set('authorization', s.auth).expect(200)).body.features.study_tools).toEqual({ used: 20, limit: 20 });
    expect((await post(t, s, 'summary', { chapter_id: '05-fine-tuning' }).expect(200)).body.decision_source).toBe('cache');
  });

  it('answers 404 FEATURE_DISABLED when the flag is off, and 403 to a free student', async () => {
    const s = await premiumStudentAs(t, 'study-flag@example.com');
    const db = t.app.get(DataSource);
    await db.query(`INSERT INTO feature_flags (feature, enabled, rollout_percentage, variants) VALUES ('study_tools', false, 100, '[]')`);
    t.app.get(FeatureFlagsService).invalidate();
    try {
      const res = await post(t, s, 'summary', { chapter_id: '01-intro' }).expect(404);
      expect(res.body.error).toMatchObject({ code: 'FEATURE_DISABLED', feature: 'study_tools' });
    } finally {
      await db.query(`DELETE FROM feature_flags`);
      t.app.get(FeatureFlagsService).invalidate();
    }
    const free = await t.login(DEMO.free.email, DEMO.free.password);
    expect((await t.http.post('/api/v2/study/summary').set('authorization', free).send({ chapter_id: '01-intro' }).expect(403)).body.error.code).toBe(
      'PREMIUM_REQUIRED',
    );
  });

  it('shows study_tools in the admin metrics after requests: one generated, one from the store', async () => {
    const a = await premiumStudentAs(t, 'metrics-a@example.com');
    const b = await premiumStudentAs(t, 'metrics-b@example.com');
    await post(t, a, 'flashcards', { chapter_id: '06-ai-apps', count: 5 }).expect(200);
    await post(t, b, 'flashcards', { chapter_id: '06-ai-apps', count: 5 }).expect(200);
    const admin = await t.login(DEMO.admin.email, DEMO.admin.password);
    const res = await t.http.get('/api/v2/admin/metrics').query({ start_date: today(), end_date: today() }).set('authorization', admin).expect(200);
    const row = res.body.features.find((f: { feature: string; variant: string }) => f.feature === 'study_tools' && f.variant === 'llm');
    expect(row).toBeDefined();
    const rows: { source: string }[] = await t.app
      .get(DataSource)
      .query(`SELECT source FROM premium_requests WHERE feature = 'study_tools' AND student_id = ANY($1) ORDER BY created_at`, [[a.id, b.id]]);
    expect(rows.map((r) => r.source)).toEqual(['rules', 'cache']);
    expect(row.requests).toBeGreaterThanOrEqual(2);
    expect(row.cache_hit_rate).toBeGreaterThan(0);
  });
});

/** What the fake model answers, by the schema of the request (the section enum comes from the request itself). */
type Script = { flashcards?: (sections: string[], count: number) => unknown; practice?: (sections: string[], count: number) => unknown; summary?: () => unknown };

/** The section enum of a request's schema (the SDK's zod helper moves item schemas into $defs). */
const sectionsOf = (schema: any): string[] => Object.values<any>(schema.$defs ?? {}).map((d) => d.properties?.section?.enum).find(Boolean);
/** An array's minItems (the SDK's zod helper writes it into the description). */
const minItemsOf = (property: any): number => Number(/minItems: (\d+)/.exec(property.description ?? '')?.[1] ?? property.minItems);

function scripted(script: Script) {
  return (body: any): unknown => {
    const schema = body.output_config?.format?.schema;
    const props = schema?.properties;
    if (props?.cards && script.flashcards) return script.flashcards(sectionsOf(schema), minItemsOf(props.cards));
    if (props?.questions && script.practice) return script.practice(sectionsOf(schema), minItemsOf(props.questions));
    if (props?.summary_markdown && script.summary) return script.summary();
    return undefined;
  };
}

const goodCards = (sections: string[], count: number) => ({
  cards: Array.from({ length: count }, (_, i) => ({ front: `Model card ${i + 1}`, back: `Answer ${i + 1}.`, section: sections[i % sections.length] })),
});

const goodQuestion = (i: number, section: string) => ({
  prompt: `Model question ${i + 1}: which one is right?`,
  options: [
    { text: `Right answer ${i + 1}`, correct: true },
    { text: `Wrong one ${i + 1}`, correct: false },
    { text: `Wrong two ${i + 1}`, correct: false },
    { text: `Wrong three ${i + 1}`, correct: false },
  ],
  explanation: `Because the chapter says so (${i + 1}).`,
  section,
});

const goodPractice = (sections: string[], count: number) => ({ questions: Array.from({ length: count }, (_, i) => goodQuestion(i, sections[0]!)) });

describe('study tools with the (fake) Anthropic model', () => {
  // The breaker stays closed: the failing-model tests must not turn the later ones away.
  const env = appOnFakeModel(
    () => FakeAnthropicServer.start(),
    (url) => ({ ...retryingFakeModelEnv(url), PREMIUM_STUDY_LIMIT: '50', LLM_CIRCUIT_FAILURES: '1000' }),
  );
  let n = 0;
  const student = () => premiumStudentAs(env.t, `model-${++n}@example.com`);
  beforeEach(() => env.fake.reset());

  it('has the model write flashcards once, logs the call against the set, keeps students out of the prompt, then serves the store', async () => {
    const { t, fake } = env;
    fake.respondWith(scripted({ flashcards: goodCards }));
    const a = await student();
    const b = await student();
    const first = await post(t, a, 'flashcards', { chapter_id: '04-rag', count: 8 }).expect(200);
    expect(first.body).toMatchObject({ decision_source: 'llm', cards: goodCards(await sectionIds(t, '04-rag'), 8).cards });
    expect(fake.requests).toHaveLength(1);
    const schema = JSON.stringify(fake.requests[0]!.body.output_config.format.schema);
    expect(schema).toContain(`"enum":${JSON.stringify(await sectionIds(t, '04-rag'))}`);
    const prompt = JSON.stringify(fake.requests[0]!.body);
    expect(prompt).not.toContain(a.id);
    expect(prompt).not.toContain('model-');
    expect(prompt).not.toContain('Premium Student');
    expect(fake.requests[0]!.body.model).toBe('claude-sonnet-5-5');

    const [log] = await t.app.get(DataSource).query(`SELECT * FROM llm_usage_logs WHERE feature = 'study_tools' AND reference_id = $1`, [first.body.set_id]);
    expect(log).toMatchObject({ student_id: a.id, success: true, outcome: 'success', variant: 'llm' });
    expect(Number(log.cost_usd)).toBeGreaterThan(0);
    expect(await studyUnits(t, a)).toBe(1);

    const again = await post(t, b, 'flashcards', { chapter_id: '04-rag', count: 8 }).expect(200);
    expect(again.body).toEqual({ ...first.body, decision_source: 'cache' });
    expect(fake.requests).toHaveLength(1);
    expect(await studyUnits(t, b)).toBe(0);
  });

  it('generates once for concurrent first requests: one unit, one model call, the others served from the store', async () => {
    const { t, fake } = env;
    fake.respondWith(scripted({ summary: () => ({ summary_markdown: '### Fine-tuning\n\nWhen and how.', key_points: ['One.', 'Two.', 'Three.'] }) }));
    // A slow answer keeps the first generation in flight while the others arrive.
    fake.enqueue({ kind: 'slow', delayMs: 400 });
    const students = await Promise.all(Array.from({ length: 6 }, () => student()));
    const started = Date.now();
    const responses = await Promise.all(students.map((s) => post(t, s, 'summary', { chapter_id: '05-fine-tuning' })));
    const ms = Date.now() - started;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.body.decision_source).sort()).toEqual(['cache', 'cache', 'cache', 'cache', 'cache', 'llm']);
    expect(fake.requests).toHaveLength(1);
    const units = await Promise.all(students.map((s) => studyUnits(t, s)));
    expect(units.reduce((x, y) => x + y, 0)).toBe(1);
    expect(new Set(responses.map((r) => r.body.summary_markdown))).toEqual(new Set(['### Fine-tuning\n\nWhen and how.']));
    expect(ms).toBeGreaterThanOrEqual(400);
  });

  it('serves the rules when the model fails and gives the unit back; that fallback is not shared, so the model is asked again', async () => {
    const { t, fake } = env;
    const s = await student();
    fake.setDefault({ kind: 'server_error' });
    const down = await post(t, s, 'flashcards', { chapter_id: '02-prompting', count: 5 }).expect(200);
    expect(down.body.decision_source).toBe('rules');
    expect(down.body.cards).toHaveLength(5);
    expect(await studyUnits(t, s)).toBe(0);
    const [fallback] = await t.app.get(DataSource).query(`SELECT outcome FROM llm_usage_logs WHERE reference_id = $1 AND outcome = 'fallback'`, [down.body.set_id]);
    expect(fallback).toEqual({ outcome: 'fallback' });

    fake.setDefault({ kind: 'ok' });
    fake.respondWith(scripted({ flashcards: goodCards }));
    const calls = fake.requests.length;
    const up = await post(t, s, 'flashcards', { chapter_id: '02-prompting', count: 5 }).expect(200);
    expect(up.body.decision_source).toBe('llm');
    expect(fake.requests.length).toBe(calls + 1);
    expect(await studyUnits(t, s)).toBe(1);
  });

  it('answers every tool from the rules, for no unit, while every model call fails', async () => {
    const { t, fake } = env;
    const s = await student();
    fake.setDefault({ kind: 'overloaded' });
    const cards = await post(t, s, 'flashcards', { chapter_id: '05-fine-tuning', count: 9 }).expect(200);
    const quiz = await post(t, s, 'practice-quiz', { chapter_id: '05-fine-tuning', count: 6 }).expect(200);
    const summary = await post(t, s, 'summary', { chapter_id: '06-ai-apps' }).expect(200);
    expect([cards.body.decision_source, quiz.body.decision_source, summary.body.decision_source]).toEqual(['rules', 'rules', 'rules']);
    expect(cards.body.cards).toHaveLength(9);
    expect(quiz.body.questions).toHaveLength(6);
    expect(summary.body.key_points.length).toBeGreaterThanOrEqual(3);
    expect(fake.requests.length).toBeGreaterThanOrEqual(3);
    expect(await studyUnits(t, s)).toBe(0);
    // The fallback quiz is still the student's own and gradable.
    const keys = await storedKeys(t, quiz.body.practice_id);
    expect((await post(t, s, `practice-quiz/${quiz.body.practice_id}/submit`, { answers: keys }).expect(200)).body).toMatchObject({ score: 6, max_score: 6 });
  });

  it('has the model write a practice quiz whose keys only the grade reveals', async () => {
    const { t, fake } = env;
    fake.respondWith(scripted({ practice: goodPractice }));
    const s = await student();
    const quiz = await post(t, s, 'practice-quiz', { chapter_id: '03-embeddings', count: 4 }).expect(200);
    expect(quiz.body.decision_source).toBe('llm');
    expect(quiz.body.questions.map((q: { prompt: string }) => q.prompt)).toEqual([1, 2, 3, 4].map((i) => `Model question ${i}: which one is right?`));
    expect(JSON.stringify(quiz.body)).not.toMatch(/correct|explanation|Because the chapter/);
    // The model's input names the graded quiz so it can avoid it; no student data.
    expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain('share almost no words');

    const answers = Object.fromEntries(
      quiz.body.questions.map((q: { question_id: string; options: { key: string; text: string }[] }, i: number) => [
        q.question_id,
        q.options.find((o) => o.text === `Right answer ${i + 1}`)!.key,
      ]),
    );
    const grade = await post(t, s, `practice-quiz/${quiz.body.practice_id}/submit`, { answers }).expect(200);
    expect(grade.body).toMatchObject({ score: 4, max_score: 4 });
    expect(grade.body.results.map((r: { correct_answer: string }) => r.correct_answer)).toEqual(Object.values(answers));
    expect(grade.body.results[0]).toMatchObject({ explanation: 'Because the chapter says so (1).', section: (await sectionIds(t, '03-embeddings'))[0] });
  });

  it('drops a question that copies the graded quiz and keeps the model’s others when enough remain', async () => {
    const { t, fake } = env;
    const [graded] = await t.app.get(DataSource).query(`SELECT prompt FROM quiz_questions WHERE quiz_id = '06-ai-apps-quiz' ORDER BY position LIMIT 1`);
    fake.respondWith(
      scripted({ practice: (sections, count) => ({ questions: [{ ...goodQuestion(99, sections[0]!), prompt: graded.prompt.toUpperCase() }, ...goodPractice(sections, count).questions] }) }),
    );
    const s = await student();
    const quiz = await post(t, s, 'practice-quiz', { chapter_id: '06-ai-apps', count: 3 }).expect(200);
    expect(quiz.body.decision_source).toBe('llm');
    expect(quiz.body.questions.map((q: { prompt: string }) => q.prompt)).toEqual([1, 2, 3].map((i) => `Model question ${i}: which one is right?`));
    expect(await studyUnits(t, s)).toBe(1);
  });

  const invalid: [string, string, Script][] = [
    ['a card citing a section the chapter does not have', 'flashcards', { flashcards: (s, c) => ({ cards: goodCards(s, c).cards.map((card, i) => (i === 2 ? { ...card, section: 'how-to-bake-bread' } : card)) }) }],
    ['repeated cards', 'flashcards', { flashcards: (s, c) => ({ cards: goodCards(s, c).cards.map((card) => ({ ...card, front: 'Same front' })) }) }],
    ['duplicated options', 'practice-quiz', { practice: (s, c) => ({ questions: goodPractice(s, c).questions.map((q) => ({ ...q, options: q.options.map((o, i) => ({ ...o, text: i === 3 ? q.options[1]!.text : o.text })) })) }) }],
    ['two correct options', 'practice-quiz', { practice: (s, c) => ({ questions: goodPractice(s, c).questions.map((q) => ({ ...q, options: q.options.map((o, i) => ({ ...o, correct: i < 2 })) })) }) }],
    ['no correct option', 'practice-quiz', { practice: (s, c) => ({ questions: goodPractice(s, c).questions.map((q) => ({ ...q, options: q.options.map((o) => ({ ...o, correct: false })) })) }) }],
    ['an explanation citing a section the chapter does not have', 'practice-quiz', { practice: (s, c) => ({ questions: goodPractice(s, c).questions.map((q) => ({ ...q, section: 'appendix-z' })) }) }],
  ];

  it.each(invalid)('rejects %s: the rules answer, the unit goes back', async (_name, path, script) => {
    const { t, fake } = env;
    fake.respondWith(scripted(script));
    const s = await student();
    const res = await post(t, s, path, { chapter_id: '01-intro', count: 5 }).expect(200);
    expect(res.body.decision_source).toBe('rules');
    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    expect(await studyUnits(t, s)).toBe(0);
    if (path === 'flashcards') expect(res.body.cards.map((c: { front: string }) => c.front)).not.toContain('Same front');
  });

  it('falls back when every question copies the graded quiz', async () => {
    const { t, fake } = env;
    const graded: { prompt: string }[] = await t.app.get(DataSource).query(`SELECT prompt FROM quiz_questions WHERE quiz_id = '01-intro-quiz' ORDER BY position`);
    fake.respondWith(scripted({ practice: (s, c) => ({ questions: goodPractice(s, c).questions.map((q, i) => ({ ...q, prompt: `${graded[i % graded.length]!.prompt}` })) }) }));
    const s = await student();
    const res = await post(t, s, 'practice-quiz', { chapter_id: '01-intro', count: 4 }).expect(200);
    expect(res.body.decision_source).toBe('rules');
    for (const q of res.body.questions) expect(graded.map((g) => g.prompt)).not.toContain(q.prompt);
    expect(await studyUnits(t, s)).toBe(0);
  });

  it('keeps the rules variant on the rules, never calling the model', async () => {
    const { t, fake } = env;
    const db = t.app.get(DataSource);
    await db.query(`INSERT INTO feature_flags (feature, enabled, rollout_percentage, variants) VALUES ('study_tools', true, 100, '[{"name":"rules","weight":100}]')`);
    t.app.get(FeatureFlagsService).invalidate();
    try {
      const s = await student();
      for (const path of ['flashcards', 'practice-quiz', 'summary']) {
        const res = await post(t, s, path, { chapter_id: '06-ai-apps' }).expect(200);
        expect(res.body.decision_source).toBe('rules');
      }
      expect(fake.requests).toHaveLength(0);
      expect(await studyUnits(t, s)).toBe(3);
    } finally {
      await db.query(`DELETE FROM feature_flags`);
      t.app.get(FeatureFlagsService).invalidate();
    }
  });
});

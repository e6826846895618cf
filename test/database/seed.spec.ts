import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/core/index.js';
import { prepareDatabase, seedDatabase } from '../../src/database/database-setup.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { DEFAULT_SEEDS_DIR, loadCourse } from '../../src/database/seeding/content.loader.js';
import { seed } from '../../src/database/seeding/seeder.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let db: DataSource;
beforeAll(async () => {
  database = await createTestDatabase();
  await prepareDatabase(database.url, { NODE_ENV: 'test', DATABASE_MIGRATE_ON_START: true, SEED_ON_START: false });
  db = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

const snapshot = async () => ({
  chapters: await db.query('SELECT chapter_id, title, "order", summary, content_markdown, key_terms, prerequisites FROM chapters ORDER BY 1'),
  quizzes: await db.query('SELECT quiz_id, chapter_id, title, pass_percentage FROM quizzes ORDER BY 1'),
  questions: await db.query('SELECT * FROM quiz_questions ORDER BY quiz_id, position'),
  students: await db.query('SELECT student_id, email, password_hash, role, subscription_tier FROM students ORDER BY email'),
  assessments: await db.query('SELECT * FROM assessment_questions ORDER BY question_id'),
  // xmin changes whenever a row is rewritten, even to the same values.
  sections: await db.query('SELECT chapter_id, section_id, heading, content_hash, xmin::text FROM course_sections ORDER BY 1, position'),
  glossary: await db.query('SELECT term, definition, related, xmin::text FROM glossary_terms ORDER BY 1'),
});

describe('the course content in seeds/', () => {
  it('is a six-chapter course with 5-question quizzes and 18 rubric-scored assessment questions', async () => {
    const course = await loadCourse();
    expect(course.map((c) => c.chapter_id)).toEqual(['01-intro', '02-prompting', '03-embeddings', '04-rag', '05-fine-tuning', '06-ai-apps']);
    for (const chapter of course) {
      expect(chapter.quiz.quiz_id).toBe(`${chapter.chapter_id}-quiz`);
      expect(chapter.quiz.questions).toHaveLength(5);
      expect(chapter.content_markdown.split(/\s+/).filter(Boolean).length).toBeGreaterThanOrEqual(600);
      expect(chapter.assessment_questions.map((q) => q.question_id)).toEqual([1, 2, 3].map((n) => `${chapter.chapter_id}-q${n}`));
      for (const term of chapter.key_terms) expect(chapter.content_markdown.toLowerCase()).toContain(term.toLowerCase());
    }
    expect(course.flatMap((c) => c.assessment_questions)).toHaveLength(18);
  });
});

describe('the glossary in seeds/content', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-seeds-'));
    await cp(DEFAULT_SEEDS_DIR(), dir, { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const edit = async (chapter: string, change: (json: { key_terms: string[]; glossary: { term: string; aliases: string[]; related: string[] }[] }) => void) => {
    const file = join(dir, 'content', `${chapter}.json`);
    const json = JSON.parse(await readFile(file, 'utf8'));
    change(json);
    await writeFile(file, JSON.stringify(json));
  };

  it('defines every key term once, hybrid search (a key term of two chapters) in the first', async () => {
    const course = await loadCourse();
    const entries = course.flatMap((c) => c.glossary.map((g) => ({ term: g.term, chapter: c.chapter_id })));
    expect(entries).toHaveLength(46);
    expect(new Set(entries.map((e) => e.term)).size).toBe(46);
    expect(entries.find((e) => e.term === 'hybrid search')?.chapter).toBe('03-embeddings');
    for (const c of course) for (const term of c.key_terms) expect(entries.map((e) => e.term)).toContain(term);
  });

  it('refuses a key term without a definition', async () => {
    await edit('02-prompting', (json) => {
      json.glossary = json.glossary.filter((g) => g.term !== 'few-shot');
      for (const g of json.glossary) g.related = g.related.filter((r) => r !== 'few-shot');
    });
    await expect(loadCourse(dir)).rejects.toThrow('seeds/content/02-prompting.json: key term few-shot has no glossary definition');
  });

  it('refuses a related term that is not in the glossary', async () => {
    await edit('01-intro', (json) => json.glossary[0]!.related.push('blockchain'));
    await expect(loadCourse(dir)).rejects.toThrow('glossary term large language model relates to blockchain, which is not another glossary term');
  });

  it('refuses an alias that a lookup could not tell from another term', async () => {
    await edit('06-ai-apps', (json) => json.glossary[0]!.aliases.push('Few Shot'));
    await expect(loadCourse(dir)).rejects.toThrow('"Few Shot" looks the same as "few-shot" to a lookup');
  });

  it('refuses a second definition of the same term', async () => {
    await edit('04-rag', (json) => json.glossary.push({ ...json.glossary[0]!, term: 'hybrid search', aliases: [] }));
    await expect(loadCourse(dir)).rejects.toThrow('glossary term hybrid search is already defined by 03-embeddings');
  });
});

describe('seeding', () => {
  it('creates the course and the four demo accounts, and a second run changes nothing', async () => {
    const first = await seedDatabase(db, false);
    expect(first).toEqual({
      chapters: 6,
      quizQuestions: 30,
      assessmentQuestions: 18,
      chaptersIndexed: 6,
      sections: 44,
      glossaryTerms: 46,
      demoUsersCreated: 4,
    });
    const before = await snapshot();
    expect(before.students.map((s: { email: string }) => s.email)).toEqual([
      'admin@example.com',
      'free@test.com',
      'premium@test.com',
      'test@example.com',
    ]);

    const second = await seedDatabase(db, false);
    expect(second).toMatchObject({ demoUsersCreated: 0, chaptersIndexed: 0, sections: 44 });
    expect(await snapshot()).toEqual(before);
  });

  it('restores edited content and leaves students and their results alone', async () => {
    await db.query(`UPDATE chapters SET title = 'vandalised' WHERE chapter_id = '01-intro'`);
    await db.query(`UPDATE quiz_questions SET correct_answer = 'z' WHERE quiz_id = '01-intro-quiz' AND question_id = 'q1'`);
    await db.query(`DELETE FROM quiz_questions WHERE quiz_id = '01-intro-quiz' AND question_id = 'q5'`);
    const [student] = await db.query(`SELECT student_id FROM students WHERE email = 'test@example.com'`);
    await db.query(
      `INSERT INTO quiz_results (student_id, quiz_id, answers, score, max_score, percentage, passed) VALUES ($1, '01-intro-quiz', '{}', 1, 5, 20, false)`,
      [student.student_id],
    );
    await seedDatabase(db, false);
    const [chapter] = await db.query(`SELECT title FROM chapters WHERE chapter_id = '01-intro'`);
    expect(chapter.title).not.toBe('vandalised');
    const questions = await db.query(`SELECT question_id, correct_answer FROM quiz_questions WHERE quiz_id = '01-intro-quiz' ORDER BY position`);
    expect(questions).toHaveLength(5);
    expect(questions[0].correct_answer).not.toBe('z');
    expect((await db.query('SELECT count(*)::int AS n FROM quiz_results'))[0].n).toBe(1);
  });

  it('splits each chapter into sections by heading, slugs as ids, the opening text as the introduction', async () => {
    const rows: { section_id: string; heading: string; position: number; key_terms: string[] }[] = await db.query(
      `SELECT section_id, heading, position, key_terms FROM course_sections WHERE chapter_id = '02-prompting' ORDER BY position`,
    );
    expect(rows.map((r) => [r.position, r.section_id, r.heading])).toEqual([
      [1, 'introduction', 'Prompt engineering'],
      [2, 'anatomy-of-a-good-prompt', 'Anatomy of a good prompt'],
      [3, 'zero-shot-few-shot-and-examples', 'Zero-shot, few-shot, and examples'],
      [4, 'asking-the-model-to-reason', 'Asking the model to reason'],
      [5, 'structured-output', 'Structured output'],
      [6, 'prompt-injection-and-untrusted-input', 'Prompt injection and untrusted input'],
      [7, 'iterating-and-testing-prompts', 'Iterating and testing prompts'],
      [8, 'key-takeaways', 'Key takeaways'],
    ]);
    expect(rows[2]!.key_terms).toEqual(['few-shot', 'zero-shot']);
    const [vector] = await db.query(
      `SELECT search_vector @@ to_tsquery('english', 'anatomy') AS heading_found, search_vector::text LIKE '%''anatomi'':1A%' AS heading_weighted
         FROM course_sections WHERE chapter_id = '02-prompting' AND section_id = 'anatomy-of-a-good-prompt'`,
    );
    expect(vector).toEqual({ heading_found: true, heading_weighted: true });
  });

  it('re-indexes only a chapter whose text changed, following its new headings', async () => {
    const course = await loadCourse();
    const before = await snapshot();
    const edited = course.map((c) =>
      c.chapter_id === '04-rag' ? { ...c, content_markdown: c.content_markdown.replace('## Chunking', '## Splitting documents into chunks') } : c,
    );
    const report = await seed(db, { course: edited, demoUsers: [], hashPassword });
    expect(report).toMatchObject({ chaptersIndexed: 1, sections: 44 });
    const after = await snapshot();
    const ids = (rows: { chapter_id: string; section_id: string }[], chapter: string) =>
      rows.filter((r) => r.chapter_id === chapter).map((r) => r.section_id);
    expect(ids(after.sections, '04-rag')).toContain('splitting-documents-into-chunks');
    expect(ids(after.sections, '04-rag')).not.toContain('chunking');
    // Untouched chapters keep their rows as they were.
    expect(after.sections.filter((r: { chapter_id: string }) => r.chapter_id !== '04-rag')).toEqual(
      before.sections.filter((r: { chapter_id: string }) => r.chapter_id !== '04-rag'),
    );
    await seedDatabase(db, false);
    expect(ids((await snapshot()).sections, '04-rag')).toContain('chunking');
  });

  it('never creates demo accounts in production', async () => {
    await db.query('DELETE FROM quiz_results');
    await db.query('DELETE FROM students');
    const report = await seedDatabase(db, true);
    expect(report.demoUsersCreated).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM students'))[0].n).toBe(0);
  });
});

import { DataSource } from 'typeorm';
import { prepareDatabase, seedDatabase } from '../../src/database/database-setup.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { loadCourse } from '../../src/database/seeding/content.loader.js';
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

describe('seeding', () => {
  it('creates the course and the four demo accounts, and a second run changes nothing', async () => {
    const first = await seedDatabase(db, false);
    expect(first).toEqual({ chapters: 6, quizQuestions: 30, assessmentQuestions: 18, demoUsersCreated: 4 });
    const before = await snapshot();
    expect(before.students.map((s: { email: string }) => s.email)).toEqual([
      'admin@example.com',
      'free@test.com',
      'premium@test.com',
      'test@example.com',
    ]);

    const second = await seedDatabase(db, false);
    expect(second.demoUsersCreated).toBe(0);
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

  it('never creates demo accounts in production', async () => {
    await db.query('DELETE FROM quiz_results');
    await db.query('DELETE FROM students');
    const report = await seedDatabase(db, true);
    expect(report.demoUsersCreated).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM students'))[0].n).toBe(0);
  });
});

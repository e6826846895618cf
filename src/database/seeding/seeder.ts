import type { DataSource, EntityManager } from 'typeorm';
import type { ChapterContent, DemoUser } from './content.schema.js';

export type SeedOptions = {
  course: ChapterContent[];
  /** Demo accounts to create when missing; pass none in production. */
  demoUsers: DemoUser[];
  hashPassword: (password: string) => Promise<string>;
  now?: Date;
};

export type SeedReport = { chapters: number; quizQuestions: number; assessmentQuestions: number; demoUsersCreated: number };

/**
 * Writes the course content and the demo accounts. Idempotent: content is upserted to match the
 * seed files exactly; a demo account that already exists is left as it is (its password included).
 */
export async function seed(db: DataSource, options: SeedOptions): Promise<SeedReport> {
  const now = options.now ?? new Date();
  const missing = await missingDemoUsers(db, options.demoUsers);
  // Hash outside the transaction: argon2 is deliberately slow.
  const hashed = await Promise.all(missing.map(async (u) => ({ ...u, hash: await options.hashPassword(u.password) })));

  return db.transaction(async (tx) => {
    let quizQuestions = 0;
    let assessmentQuestions = 0;
    for (const chapter of options.course) {
      quizQuestions += await upsertChapter(tx, chapter);
      assessmentQuestions += await upsertAssessmentQuestions(tx, chapter);
    }

    let demoUsersCreated = 0;
    for (const user of hashed) {
      const expires = user.subscription_days ? new Date(now.getTime() + user.subscription_days * 86_400_000) : null;
      const inserted: unknown[] = await tx.query(
        `INSERT INTO students (email, password_hash, full_name, subscription_tier, subscription_expires_at, role)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ((lower(email))) DO NOTHING
         RETURNING student_id`,
        [user.email.toLowerCase(), user.hash, user.full_name, user.subscription_tier, expires, user.role],
      );
      demoUsersCreated += inserted.length;
    }
    return { chapters: options.course.length, quizQuestions, assessmentQuestions, demoUsersCreated };
  });
}

async function missingDemoUsers(db: DataSource, users: DemoUser[]): Promise<DemoUser[]> {
  if (users.length === 0) return [];
  const rows: { email: string }[] = await db.query(`SELECT lower(email) AS email FROM students WHERE lower(email) = ANY($1)`, [
    users.map((u) => u.email.toLowerCase()),
  ]);
  const present = new Set(rows.map((r) => r.email));
  return users.filter((u) => !present.has(u.email.toLowerCase()));
}

async function upsertChapter(tx: EntityManager, c: ChapterContent): Promise<number> {
  await tx.query(
    `INSERT INTO chapters (chapter_id, title, "order", summary, estimated_minutes, content_markdown, key_terms, prerequisites)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (chapter_id) DO UPDATE SET
       title = EXCLUDED.title, "order" = EXCLUDED."order", summary = EXCLUDED.summary,
       estimated_minutes = EXCLUDED.estimated_minutes, content_markdown = EXCLUDED.content_markdown,
       key_terms = EXCLUDED.key_terms, prerequisites = EXCLUDED.prerequisites, updated_at = now()
     WHERE (chapters.title, chapters."order", chapters.summary, chapters.estimated_minutes, chapters.content_markdown,
            chapters.key_terms, chapters.prerequisites)
       IS DISTINCT FROM (EXCLUDED.title, EXCLUDED."order", EXCLUDED.summary, EXCLUDED.estimated_minutes,
            EXCLUDED.content_markdown, EXCLUDED.key_terms, EXCLUDED.prerequisites)`,
    [c.chapter_id, c.title, c.order, c.summary, c.estimated_minutes, c.content_markdown,
      JSON.stringify(c.key_terms), JSON.stringify(c.prerequisites)],
  );
  const q = c.quiz;
  await tx.query(
    `INSERT INTO quizzes (quiz_id, chapter_id, title, pass_percentage) VALUES ($1, $2, $3, $4)
     ON CONFLICT (quiz_id) DO UPDATE SET chapter_id = EXCLUDED.chapter_id, title = EXCLUDED.title,
       pass_percentage = EXCLUDED.pass_percentage, updated_at = now()
     WHERE (quizzes.chapter_id, quizzes.title, quizzes.pass_percentage)
       IS DISTINCT FROM (EXCLUDED.chapter_id, EXCLUDED.title, EXCLUDED.pass_percentage)`,
    [q.quiz_id, c.chapter_id, q.title, q.pass_percentage],
  );
  // Positions are rewritten in one statement, so shift them out of the way first (UNIQUE (quiz_id, position)).
  await tx.query(`UPDATE quiz_questions SET position = -position - 1 WHERE quiz_id = $1`, [q.quiz_id]);
  await tx.query(`DELETE FROM quiz_questions WHERE quiz_id = $1 AND NOT (question_id = ANY($2))`, [
    q.quiz_id,
    q.questions.map((x) => x.question_id),
  ]);
  for (const [position, question] of q.questions.entries()) {
    await tx.query(
      `INSERT INTO quiz_questions (quiz_id, question_id, position, prompt, options, correct_answer, explanation)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (quiz_id, question_id) DO UPDATE SET position = EXCLUDED.position, prompt = EXCLUDED.prompt,
         options = EXCLUDED.options, correct_answer = EXCLUDED.correct_answer, explanation = EXCLUDED.explanation`,
      [q.quiz_id, question.question_id, position + 1, question.prompt, JSON.stringify(question.options),
        question.correct_answer, question.explanation],
    );
  }
  return q.questions.length;
}

/** Open-ended questions with their rubrics, graded by the premium assessments. */
async function upsertAssessmentQuestions(tx: EntityManager, c: ChapterContent): Promise<number> {
  for (const [position, q] of c.assessment_questions.entries()) {
    await tx.query(
      `INSERT INTO assessment_questions (question_id, chapter_id, position, prompt, max_score, rubric_summary, rubric, reference_answer)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (question_id) DO UPDATE SET chapter_id = EXCLUDED.chapter_id, position = EXCLUDED.position,
         prompt = EXCLUDED.prompt, max_score = EXCLUDED.max_score, rubric_summary = EXCLUDED.rubric_summary,
         rubric = EXCLUDED.rubric, reference_answer = EXCLUDED.reference_answer, updated_at = now()
       WHERE (assessment_questions.chapter_id, assessment_questions.position, assessment_questions.prompt,
              assessment_questions.max_score, assessment_questions.rubric_summary, assessment_questions.rubric,
              assessment_questions.reference_answer)
         IS DISTINCT FROM (EXCLUDED.chapter_id, EXCLUDED.position, EXCLUDED.prompt, EXCLUDED.max_score,
              EXCLUDED.rubric_summary, EXCLUDED.rubric, EXCLUDED.reference_answer)`,
      [q.question_id, c.chapter_id, position + 1, q.prompt, q.max_score, q.rubric_summary, JSON.stringify(q.rubric), q.reference_answer],
    );
  }
  return c.assessment_questions.length;
}

import type { DataSource, EntityManager } from 'typeorm';
import { ChaptersRepository, indexChapterSections, QuizzesRepository, StudentsRepository } from '../../core/index.js';
import { AssessmentQuestionsSeedRepository } from '../../premium/index.js';
import type { ChapterContent, DemoUser } from './content.schema.js';

export type SeedOptions = {
  course: ChapterContent[];
  /** Demo accounts to create when missing; pass none in production. */
  demoUsers: DemoUser[];
  hashPassword: (password: string) => Promise<string>;
  now?: Date;
};

export type SeedReport = {
  chapters: number;
  quizQuestions: number;
  assessmentQuestions: number;
  /** Chapters whose sections were (re)built for search: those whose content changed. */
  chaptersIndexed: number;
  sections: number;
  glossaryTerms: number;
  demoUsersCreated: number;
};

/**
 * Writes the course content and the demo accounts, each table through its owner's repository
 * (Core: chapters, quizzes, accounts; premium: assessment questions). Idempotent: content is
 * upserted to match the seed files exactly; a demo account that already exists is left as it
 * is (its password included).
 */
export async function seed(db: DataSource, options: SeedOptions): Promise<SeedReport> {
  const chapters = new ChaptersRepository(db);
  const quizzes = new QuizzesRepository(db);
  const assessments = new AssessmentQuestionsSeedRepository(db);
  const students = new StudentsRepository(db);
  const now = options.now ?? new Date();
  const present = await students.existingEmails(options.demoUsers.map((u) => u.email));
  const missing = options.demoUsers.filter((u) => !present.has(u.email.toLowerCase()));
  // Hash outside the transaction: argon2 is deliberately slow.
  const hashed = await Promise.all(missing.map(async (u) => ({ ...u, hash: await options.hashPassword(u.password) })));

  return db.transaction(async (tx) => {
    let quizQuestions = 0;
    let assessmentQuestions = 0;
    let chaptersIndexed = 0;
    let sections = 0;
    for (const chapter of options.course) {
      await chapters.upsert(chapter, tx);
      quizQuestions += await quizzes.upsert(chapter.chapter_id, chapter.quiz, tx);
      assessmentQuestions += await assessments.upsert(chapter.chapter_id, chapter.assessment_questions, tx);
      const indexed = await indexChapterSections(tx, chapter);
      chaptersIndexed += indexed.reindexed ? 1 : 0;
      sections += indexed.sections;
    }
    const glossaryTerms = await upsertGlossary(tx, options.course);

    let demoUsersCreated = 0;
    for (const user of hashed) {
      const created = await students.insertUnlessPresent(
        {
          email: user.email,
          passwordHash: user.hash,
          fullName: user.full_name,
          subscriptionTier: user.subscription_tier,
          subscriptionExpiresAt: user.subscription_days ? new Date(now.getTime() + user.subscription_days * 86_400_000) : null,
          role: user.role,
        },
        tx,
      );
      if (created) demoUsersCreated++;
    }
    return { chapters: options.course.length, quizQuestions, assessmentQuestions, chaptersIndexed, sections, glossaryTerms, demoUsersCreated };
  });
}

/** The glossary matches the seed files exactly: terms no longer defined are removed. */
async function upsertGlossary(tx: EntityManager, course: ChapterContent[]): Promise<number> {
  const entries = course.flatMap((c) => c.glossary.map((g) => ({ ...g, chapter_id: c.chapter_id })));
  await tx.query(`DELETE FROM glossary_terms WHERE NOT (term = ANY($1))`, [entries.map((e) => e.term)]);
  for (const e of entries) {
    await tx.query(
      `INSERT INTO glossary_terms (term, chapter_id, definition, aliases, related) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (term) DO UPDATE SET chapter_id = EXCLUDED.chapter_id, definition = EXCLUDED.definition,
         aliases = EXCLUDED.aliases, related = EXCLUDED.related, updated_at = now()
       WHERE (glossary_terms.chapter_id, glossary_terms.definition, glossary_terms.aliases, glossary_terms.related)
         IS DISTINCT FROM (EXCLUDED.chapter_id, EXCLUDED.definition, EXCLUDED.aliases, EXCLUDED.related)`,
      [e.term, e.chapter_id, e.definition, JSON.stringify(e.aliases), JSON.stringify(e.related)],
    );
  }
  return entries.length;
}

import type { DataSource } from 'typeorm';
import { ChaptersRepository, GlossaryRepository, QuizzesRepository, SectionsRepository, StudentsRepository } from '../../core/index.js';
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
 * (Core: chapters and their search sections, quizzes, glossary, accounts; premium: assessment
 * questions). Idempotent: content is upserted to match the seed files exactly; a demo account
 * that already exists is left as it is (its password included).
 */
export async function seed(db: DataSource, options: SeedOptions): Promise<SeedReport> {
  const chapters = new ChaptersRepository(db);
  const quizzes = new QuizzesRepository(db);
  const assessments = new AssessmentQuestionsSeedRepository(db);
  const students = new StudentsRepository(db);
  const sectionIndex = new SectionsRepository(db);
  const glossary = new GlossaryRepository(db);
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
      const indexed = await sectionIndex.indexChapter(chapter, tx);
      chaptersIndexed += indexed.reindexed ? 1 : 0;
      sections += indexed.sections;
    }
    // The glossary as the seed files define it (each term with the chapter that defines it).
    const entries = options.course.flatMap((c) => c.glossary.map((g) => ({ ...g, chapter_id: c.chapter_id })));
    await glossary.replaceAll(entries, tx);

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
    return { chapters: options.course.length, quizQuestions, assessmentQuestions, chaptersIndexed, sections, glossaryTerms: entries.length, demoUsersCreated };
  });
}


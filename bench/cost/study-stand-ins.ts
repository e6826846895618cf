/**
 * Stand-ins for what StudyToolsService needs from PostgreSQL: Core's chapters, glossary and
 * quizzes from the seeded course (the sections from the course search stand-in, as the seeder
 * splits them), the study_materials store, the build claims and the practice sessions. Requests
 * run one at a time, so a claim is always granted.
 */
import type { ChaptersService, GlossaryService, QuizzesService } from '../../src/core/index.js';
import { GlossaryIndex } from '../../src/core/glossary/glossary-index.js';
import type { ChapterContent } from '../../src/database/seeding/content.schema.js';
import type { PracticeAttemptsRepository } from '../../src/premium/study/practice-attempts.repository.js';
import type { PracticeSessionsRepository } from '../../src/premium/study/practice-sessions.repository.js';
import { StudyChapterReader } from '../../src/premium/study/study-chapter.js';
import type { StudyMaterialBuildsRepository } from '../../src/premium/study/study-material-builds.repository.js';
import type { NewMaterial, StudyMaterialsRepository } from '../../src/premium/study/study-materials.repository.js';
import { materialKeyString, type MaterialKey, type StudyMaterial } from '../../src/premium/study/study.js';
import { courseSearch } from './tutor-stand-ins.js';

/** The real chapter reader over the seeded course: chapter, sections and content version, glossary, graded quiz prompts. */
export function studyChapterReader(course: readonly ChapterContent[]): StudyChapterReader {
  const byId = new Map(course.map((c) => [c.chapter_id, c]));
  const chapters = {
    get: async (chapterId: string) => {
      const c = byId.get(chapterId);
      if (!c) throw new Error(`No chapter ${chapterId}`);
      return { ...c, quiz_id: c.quiz.quiz_id };
    },
  } as unknown as ChaptersService;
  const glossary = new GlossaryIndex(course.flatMap((c) => c.glossary.map((g) => ({ ...g, chapter_id: c.chapter_id }))));
  const quizzes = new Map(course.map((c) => [c.quiz.quiz_id, c.quiz]));
  const quizService = {
    get: async (quizId: string) => ({ quiz_id: quizId, questions: quizzes.get(quizId)!.questions.map((q) => ({ question_id: q.question_id, prompt: q.prompt })) }),
  } as unknown as QuizzesService;
  return new StudyChapterReader(chapters, courseSearch(course), { all: async () => glossary.all() } as unknown as GlossaryService, quizService);
}

/**
 * study_materials: the first shared material of a key wins and is served after; `keep: false` (the
 * naive configuration) stores nothing, so every request generates. `settle` runs at once (no transaction).
 */
export function studyMaterials(now: () => number, keep: boolean): StudyMaterialsRepository {
  const shared = new Map<string, StudyMaterial>();
  return {
    async findShared(key: MaterialKey) {
      return shared.get(materialKeyString(key));
    },
    async save<T>(m: NewMaterial, settle: (tx: unknown, stored: StudyMaterial, inserted: boolean) => Promise<T>): Promise<T> {
      const id = materialKeyString(m.key);
      const existing = m.shared ? shared.get(id) : undefined;
      if (existing) return settle(noTx, existing, false);
      const stored: StudyMaterial = {
        material_id: m.materialId,
        chapter_id: m.key.chapterId,
        tool: m.key.tool,
        decision_source: m.source,
        content: m.content,
        generated_at: new Date(now()).toISOString(),
      };
      if (keep && m.shared) shared.set(id, stored);
      return settle(noTx, stored, true);
    },
  } as unknown as StudyMaterialsRepository;
}

const noTx = { query: async () => [] };

/** study_material_builds: one request at a time, so every claim is granted. */
export function studyBuilds(): StudyMaterialBuildsRepository {
  return { claim: async () => true, release: async () => undefined } as unknown as StudyMaterialBuildsRepository;
}

/** Practice sessions and attempts: an id per session; nothing is submitted in the simulated month. */
export function practiceStorage(): { sessions: PracticeSessionsRepository; attempts: PracticeAttemptsRepository } {
  let n = 0;
  const sessions = { create: async () => `practice-${++n}`, findOwned: async () => undefined } as unknown as PracticeSessionsRepository;
  const attempts = { record: async () => undefined } as unknown as PracticeAttemptsRepository;
  return { sessions, attempts };
}

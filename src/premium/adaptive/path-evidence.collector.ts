import { Injectable } from '@nestjs/common';
import { ChaptersService, QuizResultsRepository } from '../../core/index.js';
import type { ChapterEvidence } from './path-rules.js';

type CatalogEntry = Awaited<ReturnType<ChaptersService['catalog']>>[number];
type ChapterAttempts = Awaited<ReturnType<QuizResultsRepository['attemptsByChapter']>>[number];

/** What a path is built from: the quiz evidence per chapter, and when it last changed. */
export type PathEvidence = { chapters: ChapterEvidence[]; changedAt: string | null };

/** The student's quiz evidence, from Core's catalog and quiz results. */
@Injectable()
export class PathEvidenceCollector {
  constructor(
    private readonly chapters: ChaptersService,
    private readonly results: QuizResultsRepository,
  ) {}

  async collect(studentId: string): Promise<PathEvidence> {
    const [catalog, attempts] = await Promise.all([this.chapters.catalog(), this.results.attemptsByChapter(studentId)]);
    return evidenceFrom(catalog, attempts);
  }

  /** When the student last finished a quiz: a path built from older evidence is stale. */
  changedAt(studentId: string): Promise<string | null> {
    return this.results.latestCompletedAt(studentId);
  }
}

/** Every chapter of the catalog with the student's attempts at it (none yet: no attempts, no score). */
export function evidenceFrom(catalog: CatalogEntry[], attempts: ChapterAttempts[]): PathEvidence {
  const byChapter = new Map(attempts.map((a) => [a.chapter_id, a]));
  const chapters = catalog.map((c) => {
    const a = byChapter.get(c.chapter_id);
    return {
      ...c,
      attempts: a?.attempts ?? 0,
      // numeric comes back from PostgreSQL as text.
      best_percentage: a?.best_percentage === null || a === undefined ? null : Number(a.best_percentage),
      passed: a?.passed ?? false,
    };
  });
  return { chapters, changedAt: attempts[0]?.latest_completed_at ?? null };
}

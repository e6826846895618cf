import { Injectable } from '@nestjs/common';
import { DEFAULT_TUNING, SectionsRepository, type SearchTuning } from './sections.repository.js';

export type SectionHit = {
  chapter_id: string;
  /** The slug of the section's heading. */
  section_id: string;
  heading: string;
  /** Up to two fragments of the section around the query's words, plain text. */
  excerpt: string;
  /** The section's full Markdown, for a caller that quotes or summarises it. */
  body: string;
  /** BM25F score of the section for the question (see SectionRow.rank); higher is better. */
  rank: number;
  /** Share of the question's words (after stop words) found in the section, 0 to 1. */
  coverage: number;
  /** Whether the hit clears the relevance threshold (RELEVANCE). */
  relevant: boolean;
};

/**
 * When a hit counts as answering the question: it holds enough of the question's (rarity-weighted)
 * words, or it scores high on BM25F. Calibrated on bench/retrieval's on- and off-course questions
 * for this course; the rank scale moves with the course's size, so re-run the bench when it grows.
 */
export const RELEVANCE = { minCoverage: 0.4, minRank: 7.5 } as const;

export const DEFAULT_SEARCH_LIMIT = 5;
export const MAX_SEARCH_LIMIT = 20;

/**
 * Deterministic retrieval over the course sections (PostgreSQL full-text search, no model):
 * what the tutor cites and what decides that a question is off course.
 */
@Injectable()
export class CourseSearchService {
  constructor(private readonly sections: SectionsRepository) {}

  async search(query: string, o: { chapterId?: string; limit?: number; tuning?: SearchTuning } = {}): Promise<SectionHit[]> {
    const limit = Math.min(Math.max(1, Math.trunc(o.limit ?? DEFAULT_SEARCH_LIMIT)), MAX_SEARCH_LIMIT);
    const rows = await this.sections.search(query, { chapterId: o.chapterId, limit, tuning: o.tuning ?? DEFAULT_TUNING });
    return rows.map((r) => ({ ...r, relevant: isRelevant(r) }));
  }

  /** True when some hit clears the threshold: otherwise the course does not cover the question. */
  static onCourse(hits: readonly SectionHit[]): boolean {
    return hits.some((h) => h.relevant);
  }

  chapterSections(chapterId: string) {
    return this.sections.chapterSections(chapterId);
  }

  contentVersions(): Promise<Map<string, string>> {
    return this.sections.contentVersions();
  }
}

export function isRelevant(hit: { rank: number; coverage: number }): boolean {
  return hit.coverage >= RELEVANCE.minCoverage || hit.rank >= RELEVANCE.minRank;
}

import { Injectable } from '@nestjs/common';
import { Memo } from '../../common/cache/index.js';
import { ApiException } from '../../common/errors/index.js';
import { ChaptersRepository } from './chapters.repository.js';
import type { ChapterDto, ChapterSummaryDto } from './chapters.dto.js';

/**
 * The course changes only when it is seeded (at deploy), while every student reads it constantly:
 * each instance keeps it this long instead of asking PostgreSQL on every request.
 */
export const CONTENT_TTL_MS = 30_000;
/** A course has a few dozen chapters and quizzes; the bound only guards against a runaway key set. */
export const CONTENT_ENTRIES = 1000;

@Injectable()
export class ChaptersService {
  private readonly content = new Memo<Promise<unknown>>({ max: CONTENT_ENTRIES, ttlMs: CONTENT_TTL_MS });

  constructor(private readonly chapters: ChaptersRepository) {}

  list(): Promise<ChapterSummaryDto[]> {
    return this.content.get('list', () => this.loadList());
  }

  /** The course map: order and prerequisites of every chapter. */
  catalog(): Promise<{ chapter_id: string; title: string; order: number; prerequisites: string[] }[]> {
    return this.content.get('catalog', () => this.loadCatalog());
  }

  get(chapterId: string): Promise<ChapterDto> {
    return this.content.get(`chapter:${chapterId}`, () => this.loadChapter(chapterId));
  }

  private async loadList(): Promise<ChapterSummaryDto[]> {
    return (await this.chapters.listWithQuizzes()).map(({ chapter, quizId }) => ({
      chapter_id: chapter.chapterId,
      title: chapter.title,
      order: chapter.order,
      summary: chapter.summary,
      estimated_minutes: chapter.estimatedMinutes,
      quiz_id: quizId,
    }));
  }

  private async loadCatalog(): Promise<{ chapter_id: string; title: string; order: number; prerequisites: string[] }[]> {
    const chapters = await this.chapters.list();
    return chapters.map((c) => ({ chapter_id: c.chapterId, title: c.title, order: c.order, prerequisites: c.prerequisites }));
  }

  private async loadChapter(chapterId: string): Promise<ChapterDto> {
    const found = await this.chapters.findWithQuiz(chapterId);
    if (!found) throw ApiException.notFound(`Chapter ${chapterId}`);
    const { chapter, quizId } = found;
    return {
      chapter_id: chapter.chapterId,
      title: chapter.title,
      order: chapter.order,
      summary: chapter.summary,
      estimated_minutes: chapter.estimatedMinutes,
      content_markdown: chapter.contentMarkdown,
      key_terms: chapter.keyTerms,
      quiz_id: quizId,
      prerequisites: chapter.prerequisites,
    };
  }
}

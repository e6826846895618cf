import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Memo } from '../../common/cache/index.js';
import { ApiException } from '../../common/errors/index.js';
import { Chapter } from './chapter.entity.js';
import type { ChapterDto, ChapterSummaryDto } from './chapters.dto.js';

type ChapterRow = Chapter & { quizId: string | null };

/**
 * The course changes only when it is seeded (at deploy), while every student reads it constantly:
 * each instance keeps it this long instead of asking PostgreSQL on every request.
 */
export const CONTENT_TTL_MS = 30_000;

@Injectable()
export class ChaptersService {
  private readonly content = new Memo(CONTENT_TTL_MS);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
    const rows = await this.query().orderBy('c.order', 'ASC').getRawAndEntities();
    return rows.entities.map((chapter, i) => ({
      chapter_id: chapter.chapterId,
      title: chapter.title,
      order: chapter.order,
      summary: chapter.summary,
      estimated_minutes: chapter.estimatedMinutes,
      quiz_id: (rows.raw[i] as { quiz_id: string | null }).quiz_id,
    }));
  }

  private async loadCatalog(): Promise<{ chapter_id: string; title: string; order: number; prerequisites: string[] }[]> {
    const chapters = await this.db.getRepository(Chapter).find({ order: { order: 'ASC' } });
    return chapters.map((c) => ({ chapter_id: c.chapterId, title: c.title, order: c.order, prerequisites: c.prerequisites }));
  }

  private async loadChapter(chapterId: string): Promise<ChapterDto> {
    const rows = await this.query().where('c.chapterId = :chapterId', { chapterId }).getRawAndEntities();
    const chapter = rows.entities[0] as ChapterRow | undefined;
    if (!chapter) throw ApiException.notFound(`Chapter ${chapterId}`);
    return {
      chapter_id: chapter.chapterId,
      title: chapter.title,
      order: chapter.order,
      summary: chapter.summary,
      estimated_minutes: chapter.estimatedMinutes,
      content_markdown: chapter.contentMarkdown,
      key_terms: chapter.keyTerms,
      quiz_id: (rows.raw[0] as { quiz_id: string | null }).quiz_id,
      prerequisites: chapter.prerequisites,
    };
  }

  private query() {
    return this.db
      .getRepository(Chapter)
      .createQueryBuilder('c')
      .leftJoin('quizzes', 'q', 'q.chapter_id = c.chapter_id')
      .addSelect('q.quiz_id', 'quiz_id');
  }
}

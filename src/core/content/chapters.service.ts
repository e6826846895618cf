import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiException } from '../../common/errors/api.exception.js';
import { Chapter } from './chapter.entity.js';
import type { ChapterDto, ChapterSummaryDto } from './chapters.dto.js';

type ChapterRow = Chapter & { quizId: string | null };

@Injectable()
export class ChaptersService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(): Promise<ChapterSummaryDto[]> {
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

  /** The course map: order and prerequisites of every chapter. */
  async catalog(): Promise<{ chapter_id: string; title: string; order: number; prerequisites: string[] }[]> {
    const chapters = await this.db.getRepository(Chapter).find({ order: { order: 'ASC' } });
    return chapters.map((c) => ({ chapter_id: c.chapterId, title: c.title, order: c.order, prerequisites: c.prerequisites }));
  }

  async get(chapterId: string): Promise<ChapterDto> {
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

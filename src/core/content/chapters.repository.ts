import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Chapter } from './chapter.entity.js';

/** A chapter with the id of its quiz (null while it has none). */
export type ChapterWithQuiz = { chapter: Chapter; quizId: string | null };

/** A chapter as the course content files give it (the seed writes it as it is). */
export type ChapterSeed = {
  chapter_id: string;
  title: string;
  order: number;
  summary: string;
  estimated_minutes: number;
  content_markdown: string;
  key_terms: string[];
  prerequisites: string[];
};

/** The chapters table (course content, in course order). */
@Injectable()
export class ChaptersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async listWithQuizzes(): Promise<ChapterWithQuiz[]> {
    return this.withQuizzes(this.withQuiz().orderBy('c.order', 'ASC'));
  }

  async findWithQuiz(chapterId: string): Promise<ChapterWithQuiz | undefined> {
    return (await this.withQuizzes(this.withQuiz().where('c.chapterId = :chapterId', { chapterId })))[0];
  }

  list(): Promise<Chapter[]> {
    return this.db.getRepository(Chapter).find({ order: { order: 'ASC' } });
  }

  /** Writes the chapter as given; a row that already matches is left alone (its updated_at too). */
  async upsert(c: ChapterSeed, tx: EntityManager = this.db.manager): Promise<void> {
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
      [c.chapter_id, c.title, c.order, c.summary, c.estimated_minutes, c.content_markdown, JSON.stringify(c.key_terms), JSON.stringify(c.prerequisites)],
    );
  }

  private withQuiz() {
    return this.db
      .getRepository(Chapter)
      .createQueryBuilder('c')
      .leftJoin('quizzes', 'q', 'q.chapter_id = c.chapter_id')
      .addSelect('q.quiz_id', 'quiz_id');
  }

  private async withQuizzes(query: ReturnType<ChaptersRepository['withQuiz']>): Promise<ChapterWithQuiz[]> {
    const rows = await query.getRawAndEntities();
    return rows.entities.map((chapter, i) => ({ chapter, quizId: (rows.raw[i] as { quiz_id: string | null }).quiz_id }));
  }
}

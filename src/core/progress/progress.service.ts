import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../../common/pagination/index.js';
import { QuizResultsRepository } from '../quizzes/quiz-results.repository.js';
import type { ProgressDto, QuizHistoryDto } from './progress.dto.js';

const KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** The key's shape and a real instant: PostgreSQL would refuse 2026-13-45 with an error, not a page. */
function isTimeKey(key: string): boolean {
  if (!KEY.test(key)) return false;
  const millis = key.slice(0, 23);
  const date = new Date(`${millis}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 23) === millis;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ProgressService {
  constructor(private readonly results: QuizResultsRepository) {}

  async progress(studentId: string): Promise<ProgressDto> {
    const rows = await this.results.attemptsByChapter(studentId);
    const chapters = rows.map((row) => ({
      chapter_id: row.chapter_id,
      status: row.passed ? ('completed' as const) : row.attempts > 0 ? ('in_progress' as const) : ('not_started' as const),
      best_percentage: row.best_percentage === null ? null : Number(row.best_percentage),
      attempts: row.attempts,
    }));
    const completed = chapters.filter((c) => c.status === 'completed').length;
    return {
      chapters,
      overall_percentage: chapters.length === 0 ? 0 : Math.round((completed * 10_000) / chapters.length) / 100,
    };
  }

  async history(studentId: string, limit: number, cursor?: string): Promise<QuizHistoryDto> {
    const after = cursor
      ? decodeCursor(cursor, (p) => p.length === 2 && isTimeKey(p[0]!) && UUID.test(p[1]!))
      : undefined;
    const rows = await this.results.history(
      studentId,
      limit + 1,
      after && { completedAt: after[0]!, resultId: after[1]! },
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      attempts: page.map((r) => ({
        result_id: r.result_id,
        quiz_id: r.quiz_id,
        chapter_id: r.chapter_id,
        score: r.score,
        max_score: r.max_score,
        percentage: Number(r.percentage),
        passed: r.passed,
        completed_at: r.completed_at.toISOString(),
      })),
      next_cursor: rows.length > limit && last ? encodeCursor([last.completed_at_key, last.result_id]) : null,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { QuizResult } from './quiz-result.entity.js';

export type HistoryRow = {
  result_id: string;
  quiz_id: string;
  chapter_id: string;
  score: number;
  max_score: number;
  percentage: string;
  passed: boolean;
  completed_at: Date;
  /** completed_at to the microsecond, as text, for an exact keyset cursor. */
  completed_at_key: string;
};

export type ChapterAttempts = {
  chapter_id: string;
  attempts: number;
  best_percentage: string | null;
  passed: boolean;
  /** When the student last finished any quiz (to the microsecond), or null: the same on every row. */
  latest_completed_at: string | null;
};

@Injectable()
export class QuizResultsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One statement, no transaction around it: a submission is a single row. */
  async save(result: Omit<QuizResult, 'resultId' | 'completedAt'>): Promise<{ resultId: string; completedAt: Date }> {
    const rows: { result_id: string; completed_at: Date }[] = await this.db.query(
      `INSERT INTO quiz_results (student_id, quiz_id, answers, score, max_score, percentage, passed)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING result_id, completed_at`,
      [result.studentId, result.quizId, JSON.stringify(result.answers), result.score, result.maxScore, result.percentage, result.passed],
    );
    return { resultId: rows[0]!.result_id, completedAt: rows[0]!.completed_at };
  }

  /** Newest first; `after` is the (completed_at_key, result_id) of the last row already seen. */
  history(studentId: string, limit: number, after?: { completedAt: string; resultId: string }): Promise<HistoryRow[]> {
    const params: unknown[] = [studentId, limit];
    let keyset = '';
    if (after) {
      params.push(after.completedAt, after.resultId);
      keyset = 'AND (r.completed_at, r.result_id) < ($3::timestamptz, $4::uuid)';
    }
    return this.db.query(
      `SELECT r.result_id, r.quiz_id, q.chapter_id, r.score, r.max_score, r.percentage, r.passed, r.completed_at,
              to_char(r.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS completed_at_key
         FROM quiz_results r JOIN quizzes q ON q.quiz_id = r.quiz_id
        WHERE r.student_id = $1 ${keyset}
        ORDER BY r.completed_at DESC, r.result_id DESC
        LIMIT $2`,
      params,
    );
  }

  /** When the student last finished a quiz (to the microsecond), or null. */
  async latestCompletedAt(studentId: string): Promise<string | null> {
    const rows: { at: string | null }[] = await this.db.query(
      `SELECT to_char(max(completed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
         FROM quiz_results WHERE student_id = $1`,
      [studentId],
    );
    return rows[0]?.at ?? null;
  }

  /**
   * Of these (student, chapter) pairs, those whose student has passed that chapter's quiz, with
   * when they last did (to the microsecond, as text).
   */
  async latestPasses(pairs: { studentId: string; chapterId: string }[]): Promise<{ studentId: string; chapterId: string; passedAt: string }[]> {
    if (pairs.length === 0) return [];
    const rows: { student_id: string; chapter_id: string; passed_at: string }[] = await this.db.query(
      `SELECT p.student_id::text, p.chapter_id,
              to_char(max(r.completed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS passed_at
         FROM unnest($1::uuid[], $2::varchar[]) AS p (student_id, chapter_id)
         JOIN quizzes q ON q.chapter_id = p.chapter_id
         JOIN quiz_results r ON r.quiz_id = q.quiz_id AND r.student_id = p.student_id AND r.passed
        GROUP BY 1, 2`,
      [pairs.map((p) => p.studentId), pairs.map((p) => p.chapterId)],
    );
    return rows.map((r) => ({ studentId: r.student_id, chapterId: r.chapter_id, passedAt: r.passed_at }));
  }

  /** One row per chapter, in course order, with this student's attempts (and their latest, once). */
  attemptsByChapter(studentId: string): Promise<ChapterAttempts[]> {
    return this.db.query(
      `SELECT c.chapter_id,
              count(r.result_id)::int AS attempts,
              max(r.percentage) AS best_percentage,
              coalesce(bool_or(r.passed), false) AS passed,
              to_char(max(max(r.completed_at)) OVER () AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS latest_completed_at
         FROM chapters c
         LEFT JOIN quizzes q ON q.chapter_id = c.chapter_id
         LEFT JOIN quiz_results r ON r.quiz_id = q.quiz_id AND r.student_id = $1
        GROUP BY c.chapter_id, c."order"
        ORDER BY c."order"`,
      [studentId],
    );
  }
}

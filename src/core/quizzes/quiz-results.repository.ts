import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GroupCommit } from '../../common/batching/index.js';
import { isDatabaseUnavailable } from '../../common/errors/index.js';
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

type NewResult = Omit<QuizResult, 'resultId' | 'completedAt'>;
type SavedResult = { resultId: string; completedAt: Date };

/**
 * Submissions arriving together share one INSERT and so one commit (one WAL flush, which bounded
 * the submission rate): a batch of at most MAX_BATCH rows, at most MAX_IN_FLIGHT batches at once
 * (each holds one pooled connection), each submission answered once the commit holding it returns.
 */
const MAX_BATCH = 200;
const MAX_IN_FLIGHT = 2;

@Injectable()
export class QuizResultsRepository {
  private readonly inserts = new GroupCommit<NewResult, SavedResult>((rows) => this.insertMany(rows), {
    maxBatch: MAX_BATCH,
    maxInFlight: MAX_IN_FLIGHT,
    // One row breaking a constraint (its student deleted meanwhile) must not fail the others.
    retryAlone: (error) => !isDatabaseUnavailable(error),
  });

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Durable when it resolves: committed, alone or with the submissions that came with it. */
  save(result: NewResult): Promise<SavedResult> {
    return this.inserts.add(result);
  }

  /**
   * One statement for all the rows. Ids are made here to match RETURNING's rows to the inputs;
   * clock_timestamp() gives each row its own completion time, in input order, as separate
   * statements had (now() is the same for every row of a statement).
   */
  private async insertMany(results: NewResult[]): Promise<SavedResult[]> {
    const ids = results.map(() => randomUUID());
    const rows: { result_id: string; completed_at: Date }[] = await this.db.query(
      `INSERT INTO quiz_results (result_id, student_id, quiz_id, answers, score, max_score, percentage, passed, completed_at)
       SELECT r.result_id, r.student_id, r.quiz_id, r.answers, r.score, r.max_score, r.percentage, r.passed, clock_timestamp()
         FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::jsonb[], $5::int[], $6::int[], $7::numeric[], $8::boolean[])
              WITH ORDINALITY AS r (result_id, student_id, quiz_id, answers, score, max_score, percentage, passed, n)
        ORDER BY r.n
       RETURNING result_id, completed_at`,
      [
        ids,
        results.map((r) => r.studentId),
        results.map((r) => r.quizId),
        results.map((r) => JSON.stringify(r.answers)),
        results.map((r) => r.score),
        results.map((r) => r.maxScore),
        results.map((r) => r.percentage),
        results.map((r) => r.passed),
      ],
    );
    const completedAt = new Map(rows.map((row) => [row.result_id, row.completed_at]));
    return ids.map((resultId) => {
      const at = completedAt.get(resultId);
      if (!at) throw new Error('a quiz result was not returned by its INSERT');
      return { resultId, completedAt: at };
    });
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

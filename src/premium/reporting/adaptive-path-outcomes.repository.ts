import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A path's first recommended step: the chapter its student was sent to first. */
export type FirstStep = { studentId: string; chapterId: string };

/** Reads of adaptive_paths for the operators' metrics: were the paths followed? */
@Injectable()
export class AdaptivePathOutcomesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The first steps of the paths generated in [from, to), each (student, chapter) once. */
  async firstSteps(from: Date, to: Date): Promise<FirstStep[]> {
    const rows: { student_id: string; chapter_id: string }[] = await this.db.query(
      `SELECT DISTINCT student_id::text, recommendations -> 0 ->> 'chapter_id' AS chapter_id
         FROM adaptive_paths
        WHERE generated_at >= $1 AND generated_at < $2 AND recommendations -> 0 ->> 'chapter_id' IS NOT NULL`,
      [from, to],
    );
    return rows.map((r) => ({ studentId: r.student_id, chapterId: r.chapter_id }));
  }

  /**
   * Per variant, the paths generated in [from, to) and how many of them had their first step
   * passed afterwards, given when each (student, chapter) was last passed (microsecond text).
   */
  async completion(from: Date, to: Date, passes: (FirstStep & { passedAt: string })[]): Promise<{ variant: string; paths: number; completed: number }[]> {
    return this.db.query(
      `SELECT p.variant, count(*)::int AS paths, count(*) FILTER (WHERE l.passed_at > p.generated_at)::int AS completed
         FROM adaptive_paths p
         LEFT JOIN unnest($3::uuid[], $4::varchar[], $5::timestamptz[]) AS l (student_id, chapter_id, passed_at)
           ON l.student_id = p.student_id AND l.chapter_id = p.recommendations -> 0 ->> 'chapter_id'
        WHERE p.generated_at >= $1 AND p.generated_at < $2
        GROUP BY 1`,
      [from, to, passes.map((p) => p.studentId), passes.map((p) => p.chapterId), passes.map((p) => p.passedAt)],
    );
  }
}

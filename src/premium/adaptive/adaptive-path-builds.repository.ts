import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** `adaptive_path_builds`: who builds a student's path right now, on any instance. */
@Injectable()
export class AdaptivePathBuildsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims the right to build this student's path for `ttlSeconds` (one statement, no lock held
   * while the model is called); true if this caller has it. A claim left by a dead process expires.
   */
  async claim(studentId: string, buildId: string, ttlSeconds: number): Promise<boolean> {
    const rows = await this.db.query<{ build_id: string }[]>(
      `INSERT INTO adaptive_path_builds (student_id, build_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::int))
       ON CONFLICT (student_id) DO UPDATE SET build_id = EXCLUDED.build_id, expires_at = EXCLUDED.expires_at
       WHERE adaptive_path_builds.expires_at < now()
       RETURNING build_id`,
      [studentId, buildId, ttlSeconds],
    );
    return rows[0]?.build_id === buildId;
  }

  async release(studentId: string, buildId: string): Promise<void> {
    await this.db.query(`DELETE FROM adaptive_path_builds WHERE student_id = $1 AND build_id = $2`, [studentId, buildId]);
  }
}

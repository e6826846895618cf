import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SqlExecutor } from '../../usage/quota/quota.service.js';
import type { RecommendationDto } from './adaptive-path.dto.js';

export type StoredPath = {
  path_id: string;
  student_id: string;
  recommendations: RecommendationDto[];
  reasoning: string;
  decision_source: 'llm' | 'rules';
  variant: string;
  generated_at: string;
  expires_at: string;
};

/** As Date#toISOString() writes them; the evidence keeps microseconds, as the quiz results have them. */
const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** `adaptive_paths` (every path served, newest last) and `adaptive_path_builds` (who builds a student's path now). */
@Injectable()
export class AdaptivePathsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The student's newest path and the quiz evidence it was built from (the cache's freshness key). */
  async latest(studentId: string): Promise<{ path: StoredPath; evidenceAt: string | null } | undefined> {
    const rows = await this.db.query<(StoredPath & { evidence_at: string | null })[]>(
      `SELECT path_id, student_id, recommendations, reasoning, decision_source, variant,
              to_char(generated_at AT TIME ZONE 'UTC', ${ISO_MS}) AS generated_at,
              to_char(expires_at AT TIME ZONE 'UTC', ${ISO_MS}) AS expires_at,
              to_char(evidence_at AT TIME ZONE 'UTC', ${ISO_US}) AS evidence_at
         FROM adaptive_paths WHERE student_id = $1 ORDER BY generated_at DESC LIMIT 1`,
      [studentId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { evidence_at, ...path } = row;
    return { path: { ...path, reasoning: path.reasoning ?? '' }, evidenceAt: evidence_at };
  }

  async insert(tx: SqlExecutor, path: StoredPath, evidenceAt: string | null): Promise<void> {
    await tx.query(
      `INSERT INTO adaptive_paths (path_id, student_id, recommendations, reasoning, decision_source, variant, evidence_at, generated_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [path.path_id, path.student_id, JSON.stringify(path.recommendations), path.reasoning, path.decision_source, path.variant,
        evidenceAt, path.generated_at, path.expires_at],
    );
  }

  /**
   * Claims the right to build this student's path for `ttlSeconds` (one statement, no lock held
   * while the model is called); true if this caller has it. A claim left by a dead process expires.
   */
  async claimBuild(studentId: string, buildId: string, ttlSeconds: number): Promise<boolean> {
    const rows = await this.db.query<{ build_id: string }[]>(
      `INSERT INTO adaptive_path_builds (student_id, build_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::int))
       ON CONFLICT (student_id) DO UPDATE SET build_id = EXCLUDED.build_id, expires_at = EXCLUDED.expires_at
       WHERE adaptive_path_builds.expires_at < now()
       RETURNING build_id`,
      [studentId, buildId, ttlSeconds],
    );
    return rows[0]?.build_id === buildId;
  }

  async releaseBuild(studentId: string, buildId: string): Promise<void> {
    await this.db.query(`DELETE FROM adaptive_path_builds WHERE student_id = $1 AND build_id = $2`, [studentId, buildId]);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { QuotaSettlement, SqlExecutor } from '../../usage/index.js';
import type { LearningPath, PathSource } from './adaptive-path.js';

/** A row of adaptive_paths as `latest` selects it (times as ISO text, `reasoning` nullable in the table). */
type AdaptivePathRow = Omit<LearningPath, 'reasoning'> & { reasoning: string | null; evidence_at: string | null };

/** As Date#toISOString() writes them; the evidence keeps microseconds, as the quiz results have them. */
const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** `adaptive_paths`: every path served, newest last, with the quiz evidence it was built from. */
@Injectable()
export class AdaptivePathsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The student's newest path and when its evidence last changed (the cache's freshness key). */
  async latest(studentId: string): Promise<{ path: LearningPath; evidenceAt: string | null } | undefined> {
    const rows = await this.db.query<AdaptivePathRow[]>(
      `SELECT path_id, student_id, recommendations, reasoning, variant,
              to_char(generated_at AT TIME ZONE 'UTC', ${ISO_MS}) AS generated_at,
              to_char(expires_at AT TIME ZONE 'UTC', ${ISO_MS}) AS expires_at,
              to_char(evidence_at AT TIME ZONE 'UTC', ${ISO_US}) AS evidence_at
         FROM adaptive_paths WHERE student_id = $1 ORDER BY generated_at DESC LIMIT 1`,
      [studentId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { evidence_at, reasoning, ...path } = row;
    return { path: { ...path, reasoning: reasoning ?? '' }, evidenceAt: evidence_at };
  }

  /**
   * Stores a path and runs `settle` (its quota unit's charge or refund) in the same transaction,
   * so the path and its unit commit together.
   */
  save<T>(path: LearningPath, source: PathSource, evidenceAt: string | null, settle: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO adaptive_paths ${COLUMNS} VALUES ${VALUES}`, values(path, source, evidenceAt));
      return settle(tx);
    });
  }

  /**
   * The same in one statement (one round trip, atomic by itself): the path's insert and the quota
   * settlement's CTEs (numbered after the path's nine parameters); the count the settlement returns.
   */
  async saveSettled(path: LearningPath, source: PathSource, evidenceAt: string | null, settlement: QuotaSettlement): Promise<number | undefined> {
    const rows = await this.db.query<{ used: number | null }[]>(
      `WITH stored_path AS (INSERT INTO adaptive_paths ${COLUMNS} VALUES ${VALUES}), ${settlement.ctes} ${settlement.select}`,
      [...values(path, source, evidenceAt), ...settlement.params],
    );
    return rows[0]?.used ?? undefined;
  }
}

/** The parameters of a path's row, $1 to $9 (see COLUMNS and VALUES). */
export const PATH_PARAMETERS = 9;
const COLUMNS = '(path_id, student_id, recommendations, reasoning, decision_source, variant, evidence_at, generated_at, expires_at)';
const VALUES = '($1, $2, $3, $4, $5, $6, $7, $8, $9)';

function values(path: LearningPath, source: PathSource, evidenceAt: string | null): unknown[] {
  return [path.path_id, path.student_id, JSON.stringify(path.recommendations), path.reasoning, source, path.variant,
    evidenceAt, path.generated_at, path.expires_at];
}

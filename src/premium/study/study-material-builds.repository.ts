import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** `study_material_builds`: who generates a material key right now, on any instance. */
@Injectable()
export class StudyMaterialBuildsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Claims `buildKey` for `ttlSeconds` (one statement, no lock held during the model call); true if this caller has it. */
  async claim(buildKey: string, buildId: string, ttlSeconds: number): Promise<boolean> {
    const rows = await this.db.query<{ build_id: string }[]>(
      `INSERT INTO study_material_builds (build_key, build_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::int))
       ON CONFLICT (build_key) DO UPDATE SET build_id = EXCLUDED.build_id, expires_at = EXCLUDED.expires_at
       WHERE study_material_builds.expires_at < now()
       RETURNING build_id`,
      [buildKey, buildId, ttlSeconds],
    );
    return rows[0]?.build_id === buildId;
  }

  async release(buildKey: string, buildId: string): Promise<void> {
    await this.db.query(`DELETE FROM study_material_builds WHERE build_key = $1 AND build_id = $2`, [buildKey, buildId]);
  }
}

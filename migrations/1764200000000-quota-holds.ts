import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Faults lose nothing: a quota unit taken for a request is held until the request settles (a
 * hold nobody settled is given back once it expires), a plain adaptive-path build is claimed by
 * one request per student at a time, and a usage row replayed from the local journal is written
 * once only.
 */
export class QuotaHolds1764200000000 implements MigrationInterface {
  name = 'QuotaHolds1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE premium_quota_holds (
        hold_id    uuid PRIMARY KEY,
        student_id uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        period     char(7) NOT NULL,
        feature    varchar(32) NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX premium_quota_holds_expires_idx ON premium_quota_holds (expires_at)`);

    await db.query(`
      CREATE TABLE adaptive_path_builds (
        student_id uuid PRIMARY KEY REFERENCES students (student_id) ON DELETE CASCADE,
        build_id   uuid NOT NULL,
        expires_at timestamptz NOT NULL
      )`);

    await db.query(`CREATE UNIQUE INDEX llm_usage_logs_attempt_key ON llm_usage_logs (call_id, attempt, outcome)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX llm_usage_logs_attempt_key`);
    await db.query(`DROP TABLE adaptive_path_builds`);
    await db.query(`DROP TABLE premium_quota_holds`);
  }
}

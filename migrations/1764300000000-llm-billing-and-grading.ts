import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Price sources for configured and local model prices; a grading lease, so a submission whose
 * job pg-boss handed out again is not graded (and paid for) twice; how each grade was made; and
 * the state of batch grading (GRADING_MODE=batch).
 */
export class LlmBillingAndGrading1764300000000 implements MigrationInterface {
  name = 'LlmBillingAndGrading1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE llm_usage_logs DROP CONSTRAINT llm_usage_logs_price_source_check`);
    await db.query(
      `ALTER TABLE llm_usage_logs ADD CONSTRAINT llm_usage_logs_price_source_check
         CHECK (price_source IN ('listed', 'fallback', 'configured', 'local', 'none'))`,
    );
    await db.query(`ALTER TABLE assessment_submissions ADD COLUMN grading_lease_until timestamptz`);
    await db.query(
      `ALTER TABLE assessment_feedback ADD COLUMN grading_mode varchar(16) NOT NULL DEFAULT 'interactive'
         CHECK (grading_mode IN ('interactive', 'batch'))`,
    );
    // Batch grading: a submission handed to the batch grader waits for a batch, then is in one.
    await db.query(`ALTER TABLE assessment_submissions ADD COLUMN batch_requested_at timestamptz, ADD COLUMN grading_batch_id varchar(64)`);
    await db.query(
      `CREATE INDEX assessment_submissions_batch_wait_idx ON assessment_submissions (batch_requested_at)
         WHERE status = 'pending' AND batch_requested_at IS NOT NULL`,
    );
    await db.query(`
      CREATE TABLE grading_batches (
        batch_id   varchar(64) PRIMARY KEY,
        model      varchar(128) NOT NULL,
        size       integer NOT NULL CHECK (size > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at   timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE grading_batches`);
    await db.query(`ALTER TABLE assessment_submissions DROP COLUMN grading_batch_id, DROP COLUMN batch_requested_at`);
    await db.query(`ALTER TABLE assessment_feedback DROP COLUMN grading_mode`);
    await db.query(`ALTER TABLE assessment_submissions DROP COLUMN grading_lease_until`);
    await db.query(`UPDATE llm_usage_logs SET price_source = 'fallback' WHERE price_source = 'configured'`);
    await db.query(`UPDATE llm_usage_logs SET price_source = 'none' WHERE price_source = 'local'`);
    await db.query(`ALTER TABLE llm_usage_logs DROP CONSTRAINT llm_usage_logs_price_source_check`);
    await db.query(
      `ALTER TABLE llm_usage_logs ADD CONSTRAINT llm_usage_logs_price_source_check CHECK (price_source IN ('listed', 'fallback', 'none'))`,
    );
  }
}

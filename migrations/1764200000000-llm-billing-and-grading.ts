import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Price sources for configured and local model prices; a grading lease, so a submission whose
 * job pg-boss handed out again is not graded (and paid for) twice; and how each grade was made.
 */
export class LlmBillingAndGrading1764200000000 implements MigrationInterface {
  name = 'LlmBillingAndGrading1764200000000';

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
  }

  async down(db: QueryRunner): Promise<void> {
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

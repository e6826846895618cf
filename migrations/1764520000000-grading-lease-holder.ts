import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who holds a submission's grading lease (the queue job): a later try of the same job takes over
 * the lease an earlier try could not release (the database was away), instead of waiting it out.
 */
export class GradingLeaseHolder1764520000000 implements MigrationInterface {
  name = 'GradingLeaseHolder1764520000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE assessment_submissions ADD COLUMN grading_lease_holder varchar(64)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE assessment_submissions DROP COLUMN grading_lease_holder`);
  }
}

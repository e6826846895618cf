import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every subscription change an operator makes: who, when, before and after. */
export class SubscriptionAudit1764400000000 implements MigrationInterface {
  name = 'SubscriptionAudit1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE subscription_audit (
        audit_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        before     jsonb NOT NULL,
        after      jsonb NOT NULL,
        changed_by uuid REFERENCES students (student_id) ON DELETE SET NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX subscription_audit_student_idx ON subscription_audit (student_id, changed_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE subscription_audit`);
  }
}

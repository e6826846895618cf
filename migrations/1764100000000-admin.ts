import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operations: cost alerts, the feature-flag audit log, and the index the cost report reads. */
export class Admin1764100000000 implements MigrationInterface {
  name = 'Admin1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE llm_alerts (
        alert_id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type          varchar(32) NOT NULL
                      CHECK (type IN ('COST_THRESHOLD_EXCEEDED', 'DAILY_BUDGET_EXCEEDED', 'ERROR_RATE_HIGH')),
        level         varchar(16) NOT NULL CHECK (level IN ('warning', 'alert')),
        subject       varchar(64) NOT NULL,
        student_id    uuid REFERENCES students (student_id) ON DELETE SET NULL,
        period        varchar(16) NOT NULL,
        observed      numeric(14, 6) NOT NULL,
        threshold     numeric(14, 6) NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        emailed_at    timestamptz,
        webhooked_at  timestamptz,
        -- One alert per subject, level and period: the scheduler may run as often as it likes.
        CONSTRAINT llm_alerts_once UNIQUE (type, level, subject, period)
      )`);
    await db.query(`CREATE INDEX llm_alerts_created_idx ON llm_alerts (created_at DESC)`);

    await db.query(`
      CREATE TABLE feature_flag_audit (
        audit_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        feature    varchar(64) NOT NULL,
        before     jsonb,
        after      jsonb NOT NULL,
        changed_by uuid REFERENCES students (student_id) ON DELETE SET NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX feature_flag_audit_feature_idx ON feature_flag_audit (feature, changed_at DESC)`);

    // One row per premium request, however it was served (cache hits make no LLM call and no
    // usage row): what cache hit rate, fallback rate and variant comparisons are computed from.
    await db.query(`
      CREATE TABLE premium_requests (
        request_id  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        feature     varchar(32) NOT NULL,
        variant     varchar(32) NOT NULL,
        student_id  uuid REFERENCES students (student_id) ON DELETE SET NULL,
        source      varchar(16) NOT NULL CHECK (source IN ('llm', 'rules', 'cache', 'fallback', 'rejected')),
        latency_ms  integer NOT NULL CHECK (latency_ms >= 0),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX premium_requests_created_idx ON premium_requests (created_at)`);

    // The cost report reads only these columns of live rows in a time range: an index-only scan.
    await db.query(`
      CREATE INDEX llm_usage_logs_report_idx ON llm_usage_logs (created_at)
        INCLUDE (feature, model, student_id, variant, success, outcome, cost_usd, tokens_input, tokens_output, latency_ms)
        WHERE deleted_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX llm_usage_logs_report_idx`);
    await db.query(`DROP TABLE premium_requests`);
    await db.query(`DROP TABLE feature_flag_audit`);
    await db.query(`DROP TABLE llm_alerts`);
  }
}

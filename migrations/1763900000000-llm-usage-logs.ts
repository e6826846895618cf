import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Phase 2: one row per LLM call attempt, whatever its outcome. New table only. */
export class LlmUsageLogs1763900000000 implements MigrationInterface {
  name = 'LlmUsageLogs1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE llm_usage_logs (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_id               uuid NOT NULL,
        attempt               integer NOT NULL,
        student_id            uuid REFERENCES students (student_id) ON DELETE SET NULL,
        feature               varchar(64) NOT NULL,
        reference_id          varchar(128),
        variant               varchar(32),
        provider              varchar(32) NOT NULL,
        model                 varchar(128) NOT NULL,
        outcome               varchar(16) NOT NULL
                              CONSTRAINT llm_usage_logs_outcome_check
                              CHECK (outcome IN ('success', 'error', 'timeout', 'rejected', 'fallback')),
        success               boolean NOT NULL,
        error_code            varchar(32),
        tokens_input          integer NOT NULL DEFAULT 0,
        tokens_output         integer NOT NULL DEFAULT 0,
        cache_read_tokens     integer NOT NULL DEFAULT 0,
        cache_write_tokens    integer NOT NULL DEFAULT 0,
        cache_write_1h_tokens integer NOT NULL DEFAULT 0,
        cost_usd              numeric(14, 6) NOT NULL DEFAULT 0,
        price_source          varchar(16) NOT NULL DEFAULT 'listed'
                              CONSTRAINT llm_usage_logs_price_source_check CHECK (price_source IN ('listed', 'fallback', 'none')),
        latency_ms            integer NOT NULL DEFAULT 0,
        request_id            varchar(128),
        provider_request_id   varchar(128),
        created_at            timestamptz NOT NULL DEFAULT now(),
        deleted_at            timestamptz,
        CONSTRAINT llm_usage_logs_nonnegative_check CHECK (
          attempt >= 0 AND tokens_input >= 0 AND tokens_output >= 0 AND cache_read_tokens >= 0
          AND cache_write_tokens >= 0 AND cache_write_1h_tokens >= 0 AND cost_usd >= 0 AND latency_ms >= 0)
      )`);
    // Cost reports scan by time (and student or feature) over live rows.
    await db.query(`CREATE INDEX llm_usage_logs_created_idx ON llm_usage_logs (created_at) WHERE deleted_at IS NULL`);
    await db.query(
      `CREATE INDEX llm_usage_logs_student_created_idx ON llm_usage_logs (student_id, created_at) WHERE deleted_at IS NULL`,
    );
    await db.query(`CREATE INDEX llm_usage_logs_call_idx ON llm_usage_logs (call_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE llm_usage_logs`);
  }
}

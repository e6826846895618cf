import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Phase 2 premium features: flags, quotas, adaptive paths, assessments. New tables only. */
export class Premium1764000000000 implements MigrationInterface {
  name = 'Premium1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE feature_flags (
        feature            varchar(64) PRIMARY KEY,
        enabled            boolean NOT NULL,
        rollout_percentage integer NOT NULL DEFAULT 100 CHECK (rollout_percentage BETWEEN 0 AND 100),
        variants           jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_by         uuid REFERENCES students (student_id) ON DELETE SET NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);

    // PostgreSQL is the truth for quotas; Redis only mirrors these counters.
    await db.query(`
      CREATE TABLE premium_usage_quotas (
        student_id uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        period     char(7) NOT NULL,
        feature    varchar(32) NOT NULL,
        used       integer NOT NULL DEFAULT 0 CHECK (used >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (student_id, period, feature)
      )`);

    await db.query(`
      CREATE TABLE adaptive_paths (
        path_id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id      uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        recommendations jsonb NOT NULL,
        reasoning       text,
        decision_source varchar(16) NOT NULL CHECK (decision_source IN ('llm', 'rules')),
        variant         varchar(32) NOT NULL,
        model           varchar(128),
        evidence_at     timestamptz,
        generated_at    timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX adaptive_paths_student_generated_idx ON adaptive_paths (student_id, generated_at DESC)`);

    await db.query(`
      CREATE TABLE assessment_questions (
        question_id      varchar(80) PRIMARY KEY,
        chapter_id       varchar(64) NOT NULL REFERENCES chapters (chapter_id) ON DELETE CASCADE,
        position         integer NOT NULL,
        prompt           text NOT NULL,
        max_score        integer NOT NULL CHECK (max_score > 0),
        rubric_summary   text NOT NULL,
        rubric           jsonb NOT NULL,
        reference_answer text NOT NULL,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE assessment_submissions (
        submission_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id      uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        question_id     varchar(80) NOT NULL REFERENCES assessment_questions (question_id),
        answer_text     text NOT NULL,
        idempotency_key varchar(128),
        request_hash    char(64) NOT NULL,
        status          varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'graded', 'failed')),
        variant         varchar(32),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE UNIQUE INDEX assessment_submissions_idempotency_key ON assessment_submissions (student_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL`,
    );
    await db.query(`CREATE INDEX assessment_submissions_student_idx ON assessment_submissions (student_id, created_at DESC)`);

    await db.query(`
      CREATE TABLE assessment_feedback (
        submission_id       uuid PRIMARY KEY REFERENCES assessment_submissions (submission_id) ON DELETE CASCADE,
        student_id          uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        score               integer NOT NULL CHECK (score >= 0),
        max_score           integer NOT NULL CHECK (max_score > 0 AND score <= max_score),
        criteria            jsonb NOT NULL,
        feedback            text NOT NULL,
        strengths           jsonb NOT NULL,
        improvements        jsonb NOT NULL,
        off_topic           boolean NOT NULL,
        injection_suspected boolean NOT NULL,
        graded_by           varchar(16) NOT NULL CHECK (graded_by IN ('llm', 'rules')),
        model               varchar(128),
        graded_at           timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE assessment_feedback`);
    await db.query(`DROP TABLE assessment_submissions`);
    await db.query(`DROP TABLE assessment_questions`);
    await db.query(`DROP TABLE adaptive_paths`);
    await db.query(`DROP TABLE premium_usage_quotas`);
    await db.query(`DROP TABLE feature_flags`);
  }
}

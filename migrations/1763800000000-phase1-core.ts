import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Phase 1 (Core): students, course content, quizzes and quiz results. Later phases never alter these. */
export class Phase1Core1763800000000 implements MigrationInterface {
  name = 'Phase1Core1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE students (
        student_id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email                   varchar(254) NOT NULL,
        password_hash           varchar(255) NOT NULL,
        full_name               varchar(100) NOT NULL,
        subscription_tier       varchar(16) NOT NULL DEFAULT 'free'
                                CONSTRAINT students_subscription_tier_check CHECK (subscription_tier IN ('free', 'premium')),
        subscription_expires_at timestamptz,
        role                    varchar(16) NOT NULL DEFAULT 'student'
                                CONSTRAINT students_role_check CHECK (role IN ('student', 'admin')),
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX students_email_lower_key ON students (lower(email))`);

    await db.query(`
      CREATE TABLE chapters (
        chapter_id        varchar(64) PRIMARY KEY,
        title             varchar(200) NOT NULL,
        "order"           integer NOT NULL CONSTRAINT chapters_order_key UNIQUE,
        summary           text NOT NULL,
        estimated_minutes integer NOT NULL CHECK (estimated_minutes > 0),
        content_markdown  text NOT NULL,
        key_terms         jsonb NOT NULL DEFAULT '[]'::jsonb,
        prerequisites     jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE quizzes (
        quiz_id         varchar(80) PRIMARY KEY,
        chapter_id      varchar(64) NOT NULL CONSTRAINT quizzes_chapter_id_key UNIQUE
                        REFERENCES chapters (chapter_id) ON DELETE CASCADE,
        title           varchar(200) NOT NULL,
        pass_percentage integer NOT NULL CHECK (pass_percentage BETWEEN 0 AND 100),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE quiz_questions (
        quiz_id        varchar(80) NOT NULL REFERENCES quizzes (quiz_id) ON DELETE CASCADE,
        question_id    varchar(32) NOT NULL,
        position       integer NOT NULL,
        prompt         text NOT NULL,
        options        jsonb NOT NULL,
        correct_answer varchar(8) NOT NULL,
        explanation    text NOT NULL,
        PRIMARY KEY (quiz_id, question_id),
        CONSTRAINT quiz_questions_position_key UNIQUE (quiz_id, position)
      )`);

    await db.query(`
      CREATE TABLE quiz_results (
        result_id    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id   uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        quiz_id      varchar(80) NOT NULL REFERENCES quizzes (quiz_id) ON DELETE RESTRICT,
        answers      jsonb NOT NULL,
        score        integer NOT NULL CHECK (score >= 0),
        max_score    integer NOT NULL CHECK (max_score > 0 AND score <= max_score),
        percentage   numeric(5, 2) NOT NULL CHECK (percentage BETWEEN 0 AND 100),
        passed       boolean NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Quiz history is read newest first per student, keyset-paginated on (completed_at, result_id).
    await db.query(
      `CREATE INDEX quiz_results_student_completed_idx ON quiz_results (student_id, completed_at DESC, result_id DESC)`,
    );
    await db.query(`CREATE INDEX quiz_results_quiz_idx ON quiz_results (quiz_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE quiz_results`);
    await db.query(`DROP TABLE quiz_questions`);
    await db.query(`DROP TABLE quizzes`);
    await db.query(`DROP TABLE chapters`);
    await db.query(`DROP TABLE students`);
  }
}

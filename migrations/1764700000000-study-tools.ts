import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The premium study tools: study material generated once per (chapter content version, tool,
 * count, lane) and shared by every student, the claims that keep its generation single-flight,
 * and practice quizzes with their graded attempts (apart from v1's quiz_results). New tables only.
 */
export class StudyTools1764700000000 implements MigrationInterface {
  name = 'StudyTools1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE study_materials (
        material_id     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        chapter_id      varchar(64) NOT NULL REFERENCES chapters (chapter_id) ON DELETE CASCADE,
        content_version varchar(64) NOT NULL,
        tool            varchar(16) NOT NULL CHECK (tool IN ('flashcards', 'practice_quiz', 'summary')),
        item_count      integer NOT NULL CHECK (item_count >= 0),
        lane            varchar(16) NOT NULL CHECK (lane IN ('llm', 'rules')),
        decision_source varchar(16) NOT NULL CHECK (decision_source IN ('llm', 'rules')),
        shared          boolean NOT NULL,
        content         jsonb NOT NULL,
        model           varchar(128),
        generated_by    uuid REFERENCES students (student_id) ON DELETE SET NULL,
        generated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    // One shared copy per key; a fallback served while the model was down is kept (practice quizzes
    // are graded from it) but not shared, so the next request asks the model again.
    await db.query(`
      CREATE UNIQUE INDEX study_materials_shared_key ON study_materials (chapter_id, content_version, tool, item_count, lane)
      WHERE shared`);

    await db.query(`
      CREATE TABLE study_material_builds (
        build_key  varchar(200) PRIMARY KEY,
        build_id   uuid NOT NULL,
        expires_at timestamptz NOT NULL
      )`);

    await db.query(`
      CREATE TABLE study_practice_sessions (
        practice_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id  uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        material_id uuid NOT NULL REFERENCES study_materials (material_id) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX study_practice_sessions_student_idx ON study_practice_sessions (student_id, created_at DESC)`);

    await db.query(`
      CREATE TABLE study_practice_attempts (
        attempt_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id  uuid NOT NULL REFERENCES study_practice_sessions (practice_id) ON DELETE CASCADE,
        student_id   uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        answers      jsonb NOT NULL,
        score        integer NOT NULL CHECK (score >= 0),
        max_score    integer NOT NULL CHECK (max_score > 0),
        submitted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX study_practice_attempts_practice_idx ON study_practice_attempts (practice_id, submitted_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE study_practice_attempts`);
    await db.query(`DROP TABLE study_practice_sessions`);
    await db.query(`DROP TABLE study_material_builds`);
    await db.query(`DROP TABLE study_materials`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The course split into sections by heading, with a weighted full-text vector per section (heading
 * A, key terms B, chapter title C, body D) for the tutor's retrieval. Written by the seeder from
 * the chapters; content_hash says which chapter text a row was built from.
 */
export class CourseSections1764613000000 implements MigrationInterface {
  name = 'CourseSections1764613000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE course_sections (
        chapter_id    varchar(64) NOT NULL REFERENCES chapters (chapter_id) ON DELETE CASCADE,
        section_id    varchar(80) NOT NULL,
        position      integer NOT NULL CHECK (position > 0),
        heading       varchar(200) NOT NULL,
        body          text NOT NULL,
        key_terms     jsonb NOT NULL DEFAULT '[]',
        content_hash  char(64) NOT NULL,
        search_vector tsvector NOT NULL,
        indexed_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chapter_id, section_id),
        CONSTRAINT course_sections_position_key UNIQUE (chapter_id, position)
      )`);
    await db.query(`CREATE INDEX course_sections_search_idx ON course_sections USING gin (search_vector)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE course_sections`);
  }
}

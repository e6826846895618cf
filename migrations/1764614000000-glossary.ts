import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The course glossary: every chapter key term with its definition, aliases and related terms. */
export class Glossary1764614000000 implements MigrationInterface {
  name = 'Glossary1764614000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE glossary_terms (
        term        varchar(100) PRIMARY KEY,
        chapter_id  varchar(64) NOT NULL REFERENCES chapters (chapter_id) ON DELETE CASCADE,
        definition  text NOT NULL,
        aliases     jsonb NOT NULL DEFAULT '[]',
        related     jsonb NOT NULL DEFAULT '[]',
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE glossary_terms`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tutor's conversations: each owned by one student, with its turns (questions already redacted). */
export class TutorConversations1764690000000 implements MigrationInterface {
  name = 'TutorConversations1764690000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tutor_conversations (
        conversation_id uuid PRIMARY KEY,
        student_id      uuid NOT NULL REFERENCES students (student_id) ON DELETE CASCADE,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX tutor_conversations_student ON tutor_conversations (student_id, updated_at DESC)`);
    await db.query(`
      CREATE TABLE tutor_turns (
        answer_id        uuid PRIMARY KEY,
        conversation_id  uuid NOT NULL REFERENCES tutor_conversations (conversation_id) ON DELETE CASCADE,
        question         text NOT NULL,
        answer_markdown  text NOT NULL,
        citations        jsonb NOT NULL DEFAULT '[]',
        off_course       boolean NOT NULL,
        decision_source  varchar(16) NOT NULL CHECK (decision_source IN ('llm', 'rules', 'cache')),
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX tutor_turns_conversation ON tutor_turns (conversation_id, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE tutor_turns`);
    await db.query(`DROP TABLE tutor_conversations`);
  }
}

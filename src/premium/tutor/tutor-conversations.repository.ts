import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiException } from '../../common/errors/index.js';
import type { SqlExecutor } from '../../usage/index.js';
import type { TutorAnswer, Turn } from './tutor-answer.js';

/** `tutor_conversations` and `tutor_turns`: a student's conversations with the tutor, never anyone else's. */
@Injectable()
export class TutorConversationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The conversation's last `limit` turns, oldest first; undefined when it is not this student's (or does not exist). */
  async lastTurns(conversationId: string, studentId: string, limit: number): Promise<Turn[] | undefined> {
    const rows = await this.db.query<(Turn & { owned: boolean })[]>(
      `SELECT true AS owned, t.question, t.answer_markdown
         FROM tutor_conversations c
         LEFT JOIN LATERAL (
           SELECT question, answer_markdown, created_at FROM tutor_turns
            WHERE conversation_id = c.conversation_id ORDER BY created_at DESC LIMIT $3
         ) t ON true
        WHERE c.conversation_id = $1 AND c.student_id = $2`,
      [conversationId, studentId, limit],
    );
    if (rows.length === 0) return undefined;
    return rows.filter((r) => r.question !== null).reverse().map(({ question, answer_markdown }) => ({ question, answer_markdown }));
  }

  /**
   * Stores a turn (its conversation created on the first one) and runs `settle` (the quota unit's
   * charge or refund) in the same transaction, so the answer and its unit commit together.
   */
  saveTurn<T>(studentId: string, question: string, answer: TutorAnswer, settle: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      // Someone else's conversation id updates nothing and returns no row: the turn is not stored.
      const owned = await tx.query<{ conversation_id: string }[]>(
        `INSERT INTO tutor_conversations (conversation_id, student_id) VALUES ($1, $2)
         ON CONFLICT (conversation_id) DO UPDATE SET updated_at = now() WHERE tutor_conversations.student_id = $2
         RETURNING conversation_id`,
        [answer.conversation_id, studentId],
      );
      if (owned.length === 0) throw ApiException.notFound(`Conversation ${answer.conversation_id}`);
      await tx.query(
        `INSERT INTO tutor_turns (answer_id, conversation_id, question, answer_markdown, citations, off_course, decision_source, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [answer.answer_id, answer.conversation_id, question, answer.answer_markdown, JSON.stringify(answer.citations),
          answer.off_course, answer.decision_source, answer.generated_at],
      );
      return settle(tx);
    });
  }
}

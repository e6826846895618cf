import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { QuizQuestion, type QuizOption } from './quiz-question.entity.js';
import { Quiz } from './quiz.entity.js';

/** A chapter's quiz as the course content files give it (the seed writes it as it is). */
export type QuizSeed = {
  quiz_id: string;
  title: string;
  pass_percentage: number;
  questions: { question_id: string; prompt: string; options: QuizOption[]; correct_answer: string; explanation: string }[];
};

/** The quizzes and quiz_questions tables (course content). */
@Injectable()
export class QuizzesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The quiz with its questions in order, or undefined. */
  async findWithQuestions(quizId: string): Promise<{ quiz: Quiz; questions: QuizQuestion[] } | undefined> {
    const quiz = await this.db.getRepository(Quiz).findOneBy({ quizId });
    if (!quiz) return undefined;
    const questions = await this.db.getRepository(QuizQuestion).find({ where: { quizId }, order: { position: 'ASC' } });
    return { quiz, questions };
  }

  /**
   * Writes the chapter's quiz and exactly its questions, in their order; rows that already match
   * are left alone. Returns how many questions it has.
   */
  async upsert(chapterId: string, q: QuizSeed, tx: EntityManager = this.db.manager): Promise<number> {
    await tx.query(
      `INSERT INTO quizzes (quiz_id, chapter_id, title, pass_percentage) VALUES ($1, $2, $3, $4)
       ON CONFLICT (quiz_id) DO UPDATE SET chapter_id = EXCLUDED.chapter_id, title = EXCLUDED.title,
         pass_percentage = EXCLUDED.pass_percentage, updated_at = now()
       WHERE (quizzes.chapter_id, quizzes.title, quizzes.pass_percentage)
         IS DISTINCT FROM (EXCLUDED.chapter_id, EXCLUDED.title, EXCLUDED.pass_percentage)`,
      [q.quiz_id, chapterId, q.title, q.pass_percentage],
    );
    // Positions are rewritten in one statement, so shift them out of the way first (UNIQUE (quiz_id, position)).
    await tx.query(`UPDATE quiz_questions SET position = -position - 1 WHERE quiz_id = $1`, [q.quiz_id]);
    await tx.query(`DELETE FROM quiz_questions WHERE quiz_id = $1 AND NOT (question_id = ANY($2))`, [
      q.quiz_id,
      q.questions.map((x) => x.question_id),
    ]);
    for (const [position, question] of q.questions.entries()) {
      await tx.query(
        `INSERT INTO quiz_questions (quiz_id, question_id, position, prompt, options, correct_answer, explanation)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (quiz_id, question_id) DO UPDATE SET position = EXCLUDED.position, prompt = EXCLUDED.prompt,
           options = EXCLUDED.options, correct_answer = EXCLUDED.correct_answer, explanation = EXCLUDED.explanation`,
        [q.quiz_id, question.question_id, position + 1, question.prompt, JSON.stringify(question.options), question.correct_answer, question.explanation],
      );
    }
    return q.questions.length;
  }
}

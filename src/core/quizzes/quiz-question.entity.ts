import { Column, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';
import { Quiz } from './quiz.entity.js';

export type QuizOption = { key: string; text: string };

@Entity({ name: 'quiz_questions' })
@Unique('quiz_questions_position_key', ['quizId', 'position'])
export class QuizQuestion {
  @PrimaryColumn({ name: 'quiz_id', type: 'varchar', length: 80 })
  @ForeignKey(() => Quiz, { name: 'quiz_questions_quiz_id_fkey', onDelete: 'CASCADE' })
  quizId!: string;

  @PrimaryColumn({ name: 'question_id', type: 'varchar', length: 32 })
  questionId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  prompt!: string;

  @Column({ type: 'jsonb' })
  options!: QuizOption[];

  @Column({ name: 'correct_answer', type: 'varchar', length: 8 })
  correctAnswer!: string;

  @Column({ type: 'text' })
  explanation!: string;
}

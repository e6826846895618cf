import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Student } from '../students/student.entity.js';
import { Quiz } from './quiz.entity.js';

/** numeric(5,2) arrives from pg as a string; it is exact, so reading it as a number loses nothing. */
const percentageTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'quiz_results' })
@Check('quiz_results_score_check', 'score >= 0')
@Check('quiz_results_check', 'max_score > 0 AND score <= max_score')
@Check('quiz_results_percentage_check', 'percentage BETWEEN 0 AND 100')
@Index('quiz_results_student_completed_idx', { synchronize: false })
@Index('quiz_results_quiz_idx', ['quizId'])
export class QuizResult {
  @PrimaryGeneratedColumn('uuid', { name: 'result_id' })
  resultId!: string;

  @Column({ name: 'student_id', type: 'uuid' })
  @ForeignKey(() => Student, { name: 'quiz_results_student_id_fkey', onDelete: 'CASCADE' })
  studentId!: string;

  @Column({ name: 'quiz_id', type: 'varchar', length: 80 })
  @ForeignKey(() => Quiz, { name: 'quiz_results_quiz_id_fkey', onDelete: 'RESTRICT' })
  quizId!: string;

  @Column({ type: 'jsonb' })
  answers!: Record<string, string>;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ name: 'max_score', type: 'integer' })
  maxScore!: number;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: percentageTransformer })
  percentage!: number;

  @Column({ type: 'boolean' })
  passed!: boolean;

  @Column({ name: 'completed_at', type: 'timestamptz', default: () => 'now()' })
  completedAt!: Date;
}

import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Chapter } from '../content/chapter.entity.js';

@Entity({ name: 'quizzes' })
@Unique('quizzes_chapter_id_key', ['chapterId'])
@Check('quizzes_pass_percentage_check', 'pass_percentage BETWEEN 0 AND 100')
export class Quiz {
  @PrimaryColumn({ name: 'quiz_id', type: 'varchar', length: 80 })
  quizId!: string;

  @Column({ name: 'chapter_id', type: 'varchar', length: 64 })
  @ForeignKey(() => Chapter, { name: 'quizzes_chapter_id_fkey', onDelete: 'CASCADE' })
  chapterId!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ name: 'pass_percentage', type: 'integer' })
  passPercentage!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

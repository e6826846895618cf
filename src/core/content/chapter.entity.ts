import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'chapters' })
@Unique('chapters_order_key', ['order'])
@Check('chapters_estimated_minutes_check', 'estimated_minutes > 0')
export class Chapter {
  @PrimaryColumn({ name: 'chapter_id', type: 'varchar', length: 64 })
  chapterId!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'integer' })
  order!: number;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ name: 'estimated_minutes', type: 'integer' })
  estimatedMinutes!: number;

  @Column({ name: 'content_markdown', type: 'text' })
  contentMarkdown!: string;

  @Column({ name: 'key_terms', type: 'jsonb', default: () => "'[]'" })
  keyTerms!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  prerequisites!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

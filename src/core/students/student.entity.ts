import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SubscriptionTier = 'free' | 'premium';
export type StudentRole = 'student' | 'admin';

// The schema lives in migrations/; these decorators only name it, so `migration:generate` diffs to nothing.
@Entity({ name: 'students' })
@Check('students_subscription_tier_check', `subscription_tier IN ('free', 'premium')`)
@Check('students_role_check', `role IN ('student', 'admin')`)
@Index('students_email_lower_key', { synchronize: false })
export class Student {
  @PrimaryGeneratedColumn('uuid', { name: 'student_id' })
  studentId!: string;

  /** Stored lower-cased; a unique index on lower(email) backs it up. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, select: false })
  passwordHash!: string;

  @Column({ name: 'full_name', type: 'varchar', length: 100 })
  fullName!: string;

  @Column({ name: 'subscription_tier', type: 'varchar', length: 16, default: 'free' })
  subscriptionTier!: SubscriptionTier;

  @Column({ name: 'subscription_expires_at', type: 'timestamptz', nullable: true })
  subscriptionExpiresAt!: Date | null;

  @Column({ type: 'varchar', length: 16, default: 'student' })
  role!: StudentRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

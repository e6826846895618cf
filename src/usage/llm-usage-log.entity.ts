import { Check, Column, CreateDateColumn, DeleteDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Student } from '../core/students/student.entity.js';

export type UsageOutcome = 'success' | 'error' | 'timeout' | 'rejected' | 'fallback';
export type PriceSource = 'listed' | 'fallback' | 'none';

/** numeric(14,6) dollars stay a decimal string end to end: never a float. */
@Entity({ name: 'llm_usage_logs' })
@Check('llm_usage_logs_outcome_check', `outcome IN ('success', 'error', 'timeout', 'rejected', 'fallback')`)
@Check(
  'llm_usage_logs_nonnegative_check',
  'attempt >= 0 AND tokens_input >= 0 AND tokens_output >= 0 AND cache_read_tokens >= 0 AND cache_write_tokens >= 0 ' +
    'AND cache_write_1h_tokens >= 0 AND cost_usd >= 0 AND latency_ms >= 0',
)
@Check('llm_usage_logs_price_source_check', `price_source IN ('listed', 'fallback', 'none')`)
@Index('llm_usage_logs_created_idx', { synchronize: false })
@Index('llm_usage_logs_student_created_idx', { synchronize: false })
@Index('llm_usage_logs_report_idx', { synchronize: false })
@Index('llm_usage_logs_call_idx', ['callId'])
// One row per attempt and outcome: a row replayed from the usage journal is written once.
@Index('llm_usage_logs_attempt_key', ['callId', 'attempt', 'outcome'], { unique: true })
export class LlmUsageLog {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'student_id', type: 'uuid', nullable: true })
  @ForeignKey(() => Student, { name: 'llm_usage_logs_student_id_fkey', onDelete: 'SET NULL' })
  studentId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  feature!: string;

  @Column({ name: 'reference_id', type: 'varchar', length: 128, nullable: true })
  referenceId!: string | null;

  /** The feature-flag variant the student was in (to compare variants later). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  variant!: string | null;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Column({ type: 'varchar', length: 128 })
  model!: string;

  @Column({ type: 'varchar', length: 16 })
  outcome!: UsageOutcome;

  @Column({ type: 'boolean' })
  success!: boolean;

  @Column({ name: 'error_code', type: 'varchar', length: 32, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'tokens_input', type: 'integer', default: 0 })
  tokensInput!: number;

  @Column({ name: 'tokens_output', type: 'integer', default: 0 })
  tokensOutput!: number;

  @Column({ name: 'cache_read_tokens', type: 'integer', default: 0 })
  cacheReadTokens!: number;

  /** All cache writes (5-minute and 1-hour); the 1-hour share is also kept on its own. */
  @Column({ name: 'cache_write_tokens', type: 'integer', default: 0 })
  cacheWriteTokens!: number;

  @Column({ name: 'cache_write_1h_tokens', type: 'integer', default: 0 })
  cacheWrite1hTokens!: number;

  @Column({ name: 'cost_usd', type: 'numeric', precision: 14, scale: 6, default: 0 })
  costUsd!: string;

  @Column({ name: 'price_source', type: 'varchar', length: 16, default: 'listed' })
  priceSource!: PriceSource;

  @Column({ name: 'latency_ms', type: 'integer', default: 0 })
  latencyMs!: number;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ name: 'provider_request_id', type: 'varchar', length: 128, nullable: true })
  providerRequestId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt!: Date | null;
}

import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FEATURES } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import type { BatchItem } from '../../llm/index.js';
import { LlmGateway } from '../../llm/index.js';
import { modelFor } from '../../llm/index.js';
import type { LlmGrade } from './grader.prompt.js';
import { AssessmentGraderService, billingOf, type Pending } from './assessment-grader.service.js';

/** One process at a time works the batches (any process may, so a crashed one is replaced). */
const LOCK_KEY = 'course-companion:grading-batches';

export const batchGradingConfig = configSlice('batch-grading', [
  'GRADING_MODE',
  'GRADING_IN_API',
  'GRADING_BATCH_MAX',
  'GRADING_BATCH_WAIT_SECONDS',
  'GRADING_BATCH_POLL_SECONDS',
  // The grading model, recorded with each batch.
  FEATURES.assessments.model.env,
  'LLM_MODEL',
  'ANTHROPIC_MODEL',
]);

/**
 * Economy grading (GRADING_MODE=batch): submissions handed over by the queue wait in PostgreSQL
 * until GRADING_BATCH_MAX of them are waiting or the oldest has waited GRADING_BATCH_WAIT_SECONDS,
 * go to the Message Batches API in one batch, and are graded from its results at the batch price.
 * Every state lives in the database (waiting, in batch X, graded), so a process that dies loses
 * nothing: the next tick, on any process, carries on; the grade is saved once whatever happens.
 */
@Injectable()
export class BatchGradingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('BatchGrading');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(batchGradingConfig.KEY) private readonly config: ConfigOf<typeof batchGradingConfig>,
    private readonly gateway: LlmGateway,
    private readonly grader: AssessmentGraderService,
  ) {}

  get enabled(): boolean {
    return this.config.GRADING_MODE === 'batch' && this.gateway.batchCapable;
  }

  onModuleInit(): void {
    if (this.config.GRADING_MODE === 'batch' && !this.gateway.batchCapable) {
      this.logger.warn(`GRADING_MODE=batch needs a provider with Message Batches (have ${this.gateway.provider}); grading interactively`);
    }
    if (!this.enabled || !this.config.GRADING_IN_API) return;
    this.timer = setInterval(() => void this.tick(), this.config.GRADING_BATCH_POLL_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Collects finished batches, then sends what has waited long enough. Never throws. */
  tick(): Promise<void> {
    this.running ??= this.work()
      .catch((error: unknown) => this.logger.error({ err: error }, 'Batch grading tick failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async work(): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [lock]: { locked: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [LOCK_KEY]);
      if (!lock?.locked) return;
      await this.collect();
      await this.send();
    });
  }

  private async collect(): Promise<void> {
    const open: { batch_id: string; created_at: Date }[] = await this.db.query(`SELECT batch_id, created_at FROM grading_batches WHERE ended_at IS NULL ORDER BY created_at`);
    for (const batch of open) {
      const ids: { submission_id: string }[] = await this.db.query(`SELECT submission_id FROM assessment_submissions WHERE grading_batch_id = $1 AND status = 'pending'`, [batch.batch_id]);
      const pending = await this.grader.pending(ids.map((r) => r.submission_id));
      const items = pending.map((p) => this.item(p));
      const outcomes = await this.gateway.batchResults<LlmGrade>(batch.batch_id, items, batch.created_at);
      if (outcomes === 'in_progress') continue;
      const byId = new Map(pending.map((p) => [p.submission_id, p]));
      for (const outcome of outcomes) {
        const submission = byId.get(outcome.customId);
        if (submission) await this.grader.finishFromBatch(submission, outcome, batch.created_at);
      }
      // Anything the batch did not answer waits for the next batch.
      await this.db.query(`UPDATE assessment_submissions SET grading_batch_id = NULL WHERE grading_batch_id = $1 AND status = 'pending'`, [batch.batch_id]);
      await this.db.query(`UPDATE grading_batches SET ended_at = now() WHERE batch_id = $1`, [batch.batch_id]);
      this.logger.log({ batch_id: batch.batch_id, graded: outcomes.length }, 'Batch graded');
    }
  }

  private async send(): Promise<void> {
    const waiting: { submission_id: string; waited_ms: number }[] = await this.db.query(
      `SELECT submission_id, extract(epoch FROM now() - batch_requested_at) * 1000 AS waited_ms
         FROM assessment_submissions
        WHERE status = 'pending' AND batch_requested_at IS NOT NULL AND grading_batch_id IS NULL
        ORDER BY batch_requested_at LIMIT $1`,
      [this.config.GRADING_BATCH_MAX],
    );
    if (waiting.length === 0) return;
    const full = waiting.length >= this.config.GRADING_BATCH_MAX;
    if (!full && Number(waiting[0]!.waited_ms) < this.config.GRADING_BATCH_WAIT_SECONDS * 1000) return;
    const pending = await this.grader.pending(waiting.map((w) => w.submission_id));
    if (pending.length === 0) return;
    const batchId = await this.gateway.submitBatch(pending.map((p) => this.item(p)));
    await this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO grading_batches (batch_id, model, size) VALUES ($1, $2, $3)`, [batchId, this.gatewayModel(), pending.length]);
      await tx.query(`UPDATE assessment_submissions SET grading_batch_id = $1 WHERE submission_id = ANY($2::uuid[]) AND status = 'pending'`, [
        batchId,
        pending.map((p) => p.submission_id),
      ]);
    });
    this.logger.log({ batch_id: batchId, size: pending.length }, 'Batch of gradings sent');
  }

  private item(submission: Pending): BatchItem<LlmGrade> {
    return { customId: submission.submission_id, request: this.grader.request(submission), billing: billingOf(submission) };
  }

  private gatewayModel(): string {
    return modelFor(FEATURES.assessments.name, this.config);
  }
}

import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { FEATURES } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import type { BatchItem } from '../../llm/index.js';
import { LlmGateway } from '../../llm/index.js';
import { modelFor } from '../../llm/index.js';
import { billingOf, type PendingSubmission } from './assessment.js';
import { AssessmentGraderService } from './assessment-grader.service.js';
import { AssessmentSubmissionsRepository } from './assessment-submissions.repository.js';
import type { LlmGrade } from './grader.prompt.js';
import { GradingBatchesRepository } from './grading-batches.repository.js';
import { ModelGrader } from './model-grader.js';

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
    @Inject(batchGradingConfig.KEY) private readonly config: ConfigOf<typeof batchGradingConfig>,
    private readonly gateway: LlmGateway,
    private readonly grader: AssessmentGraderService,
    private readonly model: ModelGrader,
    private readonly batches: GradingBatchesRepository,
    private readonly submissions: AssessmentSubmissionsRepository,
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

  /** Hands a submission to the next batch (GRADING_MODE=batch); false when it is to be graded now. */
  async handOver(submissionId: string): Promise<boolean> {
    return this.enabled && (await this.batches.handOver(submissionId));
  }

  /** Collects finished batches, then sends what has waited long enough. Never throws. */
  tick(): Promise<void> {
    this.running ??= this.work()
      .catch((error: unknown) => this.logger.error({ err: error }, 'Batch grading tick failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async work(): Promise<void> {
    await this.batches.whileLocked(async () => {
      await this.collect();
      await this.send();
    });
  }

  private async collect(): Promise<void> {
    for (const batch of await this.batches.open()) {
      const pending = await this.submissions.pending(await this.batches.pendingIn(batch.batch_id));
      const items = pending.map((p) => this.item(p));
      const outcomes = await this.gateway.batchResults<LlmGrade>(batch.batch_id, items, batch.created_at);
      if (outcomes === 'in_progress') continue;
      const byId = new Map(pending.map((p) => [p.submission_id, p]));
      for (const outcome of outcomes) {
        const submission = byId.get(outcome.customId);
        if (submission) await this.grader.finishFromBatch(submission, outcome, batch.created_at);
      }
      await this.batches.end(batch.batch_id);
      this.logger.log({ batch_id: batch.batch_id, graded: outcomes.length }, 'Batch graded');
    }
  }

  private async send(): Promise<void> {
    const waiting = await this.batches.waiting(this.config.GRADING_BATCH_MAX);
    if (waiting.length === 0) return;
    const full = waiting.length >= this.config.GRADING_BATCH_MAX;
    if (!full && waiting[0]!.waited_ms < this.config.GRADING_BATCH_WAIT_SECONDS * 1000) return;
    const pending = await this.submissions.pending(waiting.map((w) => w.submission_id));
    if (pending.length === 0) return;
    const batchId = await this.gateway.submitBatch(pending.map((p) => this.item(p)));
    await this.batches.record(batchId, this.gatewayModel(), pending.map((p) => p.submission_id));
    this.logger.log({ batch_id: batchId, size: pending.length }, 'Batch of gradings sent');
  }

  private item(submission: PendingSubmission): BatchItem<LlmGrade> {
    return { customId: submission.submission_id, request: this.model.request(submission), billing: billingOf(submission) };
  }

  private gatewayModel(): string {
    return modelFor(FEATURES.assessments.name, this.config);
  }
}

import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppMetrics } from '../../common/metrics/metrics.js';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import type { DataSource, QueryRunner } from 'typeorm';
import { APP_CONFIG } from '../../config/app-config.module.js';
import type { AppConfig } from '../../config/config.loader.js';
import { AssessmentGraderService, GradingDeferred } from './assessment-grader.service.js';
import { BatchGradingService } from './batch-grading.service.js';
import { gradingBudgetMs, gradingBudgetProblems } from './grading-budget.js';

export const GRADING_QUEUE = 'assessment-grading';
const RETRY_LIMIT = 3;

type GradingJob = { submission_id: string };

/**
 * The grading queue, on PostgreSQL through pg-boss: jobs are rows, so a submission and its job
 * commit together, any number of processes can work the queue, and a job whose worker died is
 * retried once it expires.
 */
@Injectable()
export class GradingQueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('GradingQueue');
  private readonly boss: PgBoss;
  private workerId?: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly grader: AssessmentGraderService,
    private readonly batches: BatchGradingService,
    @Optional() metrics?: AppMetrics,
  ) {
    const options = db.options as { url?: string };
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: 'pgboss',
      max: 4,
      application_name: 'course-companion-queue',
      maintenanceIntervalSeconds: config.QUEUE_MAINTENANCE_SECONDS,
      monitorStateIntervalSeconds: config.QUEUE_MAINTENANCE_SECONDS,
    });
    this.boss.on('error', (error: Error) => this.logger.error({ err: error }, 'Queue error'));
    metrics?.gauge('grading_queue_depth', 'Assessment grading jobs waiting', [], async (g) => {
      g.set(await this.depth().catch(() => 0));
    });
  }

  async onModuleInit(): Promise<void> {
    // An impossible budget stops the boot earlier (boot-checks.ts); here the warnings are said.
    for (const warning of gradingBudgetProblems(this.config).warnings) this.logger.warn(warning);
    this.logger.log(`Grading deadline ${gradingBudgetMs(this.config)} ms, below the job timeout of ${this.config.GRADING_JOB_TIMEOUT_SECONDS} s`);
    await this.boss.start();
    await this.boss.createQueue(GRADING_QUEUE, {
      name: GRADING_QUEUE,
      retryLimit: RETRY_LIMIT,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: this.config.GRADING_JOB_TIMEOUT_SECONDS,
    });
    if (!this.config.GRADING_IN_API) return;
    // One fetch takes up to GRADING_CONCURRENCY jobs and grades them side by side; each job
    // succeeds or fails on its own (pg-boss completes only the jobs still active).
    this.workerId = await this.boss.work<GradingJob>(
      GRADING_QUEUE,
      { batchSize: this.config.GRADING_CONCURRENCY, pollingIntervalSeconds: 0.5, includeMetadata: true },
      async (jobs) => {
        await Promise.all(
          jobs.map(async (job) => {
            try {
              // Economy mode: the submission waits in PostgreSQL for the next batch (rules-variant ones are graded now).
              if (this.batches.enabled && (await this.grader.handToBatch(job.data.submission_id))) return;
              await this.grader.grade(job.data.submission_id, { final: job.retryCount >= RETRY_LIMIT });
            } catch (error) {
              if (error instanceof GradingDeferred) {
                this.logger.warn({ submission_id: job.data.submission_id, retry: job.retryCount }, 'Grading deferred while the model is throttled');
                await this.boss.fail(GRADING_QUEUE, job.id, { message: error.message });
                return;
              }
              this.logger.error({ err: error, submission_id: job.data.submission_id, retry: job.retryCount }, 'Grading failed');
              if (job.retryCount >= RETRY_LIMIT) await this.grader.markFailed(job.data.submission_id);
              await this.boss.fail(GRADING_QUEUE, job.id, { message: error instanceof Error ? error.message : 'grading failed' });
            }
          }),
        );
      },
    );
  }

  /** Wakes this process's worker at once instead of at its next poll. */
  wake(): void {
    if (this.workerId) this.boss.notifyWorker(this.workerId);
  }

  /** Queues grading inside the caller's transaction: the job exists exactly when the submission does. */
  async enqueue(submissionId: string, tx: QueryRunner): Promise<void> {
    await this.boss.send(
      GRADING_QUEUE,
      { submission_id: submissionId },
      {
        singletonKey: submissionId,
        db: { executeSql: async (text: string, values: unknown[]) => ({ rows: (await tx.query(text, values)) as unknown[] }) },
      },
    );
  }

  /** Jobs waiting to be graded (for health and metrics). */
  depth(): Promise<number> {
    return this.boss.getQueueSize(GRADING_QUEUE);
  }

  async onApplicationShutdown(): Promise<void> {
    // Let a grade in progress finish (its transaction is short); pg-boss retries anything cut off.
    await this.boss.stop({ graceful: true, wait: true, timeout: 8000 });
  }
}

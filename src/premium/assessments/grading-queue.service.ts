import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthIndicators } from '../../common/health/index.js';
import { AppMetrics } from '../../common/metrics/index.js';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { configSlice, type ConfigOf } from '../../config/index.js';
import type { SqlExecutor } from '../../usage/index.js';
import { AssessmentGraderService } from './assessment-grader.service.js';
import { AssessmentSubmissionsRepository } from './assessment-submissions.repository.js';
import { BatchGradingService } from './batch-grading.service.js';
import { gradingBudgetMs, gradingBudgetProblems } from './grading-budget.js';
import { GradingDeferred } from './model-grader.js';

export const GRADING_QUEUE = 'assessment-grading';
const RETRY_LIMIT = 3;
const POLL_MS = 500;
/** Backoff while a job's outcome cannot be recorded (the database is away). */
const SETTLE_RETRY_MS = [250, 500, 1000, 2000];

type GradingJob = { submission_id: string };

export const gradingQueueConfig = configSlice('grading-queue', ['QUEUE_MAINTENANCE_SECONDS', 'GRADING_JOB_TIMEOUT_SECONDS', 'GRADING_IN_API', 'GRADING_CONCURRENCY', 'ANTHROPIC_TIMEOUT', 'ANTHROPIC_MAX_RETRIES']);

/**
 * The grading queue, on PostgreSQL through pg-boss: jobs are rows, so a submission and its job
 * commit together, any number of processes can work the queue, and a job whose worker died is
 * retried once it expires.
 */
@Injectable()
export class GradingQueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('GradingQueue');
  private readonly boss: PgBoss;
  private working?: Promise<void>;
  private stopping = false;
  private wakeUp?: () => void;

  constructor(
    @Inject(gradingQueueConfig.KEY) private readonly config: ConfigOf<typeof gradingQueueConfig>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly grader: AssessmentGraderService,
    private readonly batches: BatchGradingService,
    private readonly submissions: AssessmentSubmissionsRepository,
    health: HealthIndicators,
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
    health.register('queue', { roundTrip: true, probe: async () => (await this.depth(), { up: true, details: {} }) });
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
    this.working = this.work();
  }

  /** Wakes this process's worker at once instead of at its next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * The worker loop, on pg-boss's fetch/complete/fail rather than its work(): work() completes or
   * fails a job without awaiting it, so a database outage at that moment is an unhandled rejection
   * that ends the process. Here every database call is awaited and its failure handled. One fetch
   * takes up to GRADING_CONCURRENCY jobs and grades them side by side, each on its own.
   */
  private async work(): Promise<void> {
    while (!this.stopping) {
      let jobs: PgBoss.JobWithMetadata<GradingJob>[] = [];
      try {
        jobs = await this.boss.fetch<GradingJob>(GRADING_QUEUE, { batchSize: this.config.GRADING_CONCURRENCY, includeMetadata: true });
      } catch (error) {
        this.logger.warn({ err: error }, 'Fetching grading jobs failed; trying again');
      }
      if (jobs.length === 0) await this.idle(POLL_MS);
      else await Promise.all(jobs.map((job) => this.gradeJob(job)));
    }
  }

  private async gradeJob(job: PgBoss.JobWithMetadata<GradingJob>): Promise<void> {
    const submissionId = job.data.submission_id;
    try {
      // Economy mode: the submission waits in PostgreSQL for the next batch (rules-variant ones are graded now).
      if (!(await this.batches.handOver(submissionId))) {
        await this.grader.grade(submissionId, { final: job.retryCount >= RETRY_LIMIT, holder: job.id });
      }
    } catch (error) {
      if (error instanceof GradingDeferred) {
        this.logger.warn({ submission_id: submissionId, retry: job.retryCount }, 'Grading deferred while the model is throttled');
        await this.settle(job, () => this.boss.fail(GRADING_QUEUE, job.id, { message: error.message }));
        return;
      }
      this.logger.error({ err: error, submission_id: submissionId, retry: job.retryCount }, 'Grading failed');
      await this.settle(job, async () => {
        if (job.retryCount >= RETRY_LIMIT) await this.submissions.markFailed(submissionId);
        await this.boss.fail(GRADING_QUEUE, job.id, { message: error instanceof Error ? error.message : 'grading failed' });
      });
      return;
    }
    await this.settle(job, () => this.boss.complete(GRADING_QUEUE, job.id));
  }

  /**
   * Records a job's outcome, trying again while the database is away. Past the job's expiry it
   * gives up: pg-boss hands the job out again, and grading a graded submission changes nothing.
   */
  private async settle(job: PgBoss.JobWithMetadata<GradingJob>, record: () => Promise<void>): Promise<void> {
    const giveUpAt = Date.now() + job.expireInSeconds * 1000;
    for (let attempt = 0; ; attempt++) {
      try {
        await record();
        return;
      } catch (error) {
        const delay = SETTLE_RETRY_MS[Math.min(attempt, SETTLE_RETRY_MS.length - 1)]!;
        if (this.stopping || Date.now() + delay > giveUpAt) {
          this.logger.warn({ err: error, submission_id: job.data.submission_id }, 'Could not record the grading job; it will be retried when it expires');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Queues grading inside the caller's transaction: the job exists exactly when the submission does. */
  async enqueue(submissionId: string, tx: SqlExecutor): Promise<void> {
    await this.boss.send(
      GRADING_QUEUE,
      { submission_id: submissionId },
      {
        singletonKey: submissionId,
        db: { executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.query<unknown[]>(text, values) }) },
      },
    );
  }

  /** Jobs waiting to be graded (for health and metrics). */
  depth(): Promise<number> {
    return this.boss.getQueueSize(GRADING_QUEUE);
  }

  async onApplicationShutdown(): Promise<void> {
    // Let a grade in progress finish (its transaction is short); pg-boss retries anything cut off.
    this.stopping = true;
    this.wakeUp?.();
    await Promise.race([this.working, new Promise((resolve) => setTimeout(resolve, 8000).unref())]);
    await this.boss.stop({ graceful: true, wait: true, timeout: 8000 });
  }
}

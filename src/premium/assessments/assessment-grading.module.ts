import { Module } from '@nestjs/common';
import { HealthIndicatorsModule } from '../../common/health/index.js';
import { AppConfigModule } from '../../config/index.js';
import { LlmModule } from '../../llm/index.js';
import { UsageModule } from '../../usage/index.js';
import { AssessmentGraderService, graderConfig } from './assessment-grader.service.js';
import { AssessmentSubmissionsRepository } from './assessment-submissions.repository.js';
import { batchGradingConfig, BatchGradingService } from './batch-grading.service.js';
import { GradingBatchesRepository } from './grading-batches.repository.js';
import { gradingQueueConfig, GradingQueueService } from './grading-queue.service.js';
import { ModelGrader } from './model-grader.js';

/**
 * Grading assessments off the request: the queue, its worker loop, the grader and economy batches.
 * No routes: the API imports it through PremiumModule, a grading worker on its own (worker.module.ts).
 */
@Module({
  imports: [LlmModule, UsageModule, HealthIndicatorsModule, AppConfigModule.forFeature(graderConfig, batchGradingConfig, gradingQueueConfig)],
  providers: [AssessmentGraderService, ModelGrader, BatchGradingService, GradingQueueService, AssessmentSubmissionsRepository, GradingBatchesRepository],
  exports: [GradingQueueService, AssessmentSubmissionsRepository],
})
export class AssessmentGradingModule {}

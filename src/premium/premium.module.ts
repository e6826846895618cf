import { Module } from '@nestjs/common';
import { HealthIndicatorsModule } from '../common/health/index.js';
import { CoreModule } from '../core/index.js';
import { FeatureFlagsModule } from '../flags/index.js';
import { LlmModule } from '../llm/index.js';
import { UsageModule } from '../usage/index.js';
import { AdaptivePathController } from './adaptive/adaptive-path.controller.js';
import { AdaptivePathService } from './adaptive/adaptive-path.service.js';
import { AdaptivePathsRepository } from './adaptive/adaptive-paths.repository.js';
import { AssessmentGraderService } from './assessments/assessment-grader.service.js';
import { AssessmentQuestionsRepository } from './assessments/assessment-questions.repository.js';
import { AssessmentsController } from './assessments/assessments.controller.js';
import { AssessmentsService } from './assessments/assessments.service.js';
import { BatchGradingService } from './assessments/batch-grading.service.js';
import { GradingQueueService } from './assessments/grading-queue.service.js';
import { PremiumGuard } from './gating/premium.guard.js';
import { QuotaController } from './quota/quota.controller.js';

/** Phase 2 student features (v2 routes): gated, flagged, quota-limited, cached. */
@Module({
  imports: [CoreModule, LlmModule, UsageModule, FeatureFlagsModule, HealthIndicatorsModule],
  controllers: [AdaptivePathController, QuotaController, AssessmentsController],
  providers: [
    PremiumGuard,
    AdaptivePathService,
    AdaptivePathsRepository,
    AssessmentQuestionsRepository,
    AssessmentsService,
    AssessmentGraderService,
    GradingQueueService,
    BatchGradingService,
  ],
  exports: [GradingQueueService],
})
export class PremiumModule {}

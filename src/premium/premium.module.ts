import { Module } from '@nestjs/common';
import { CoreModule } from '../core/core.module.js';
import { FeatureFlagsModule } from '../flags/feature-flags.module.js';
import { LlmModule } from '../llm/llm.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { AdaptivePathController } from './adaptive/adaptive-path.controller.js';
import { AdaptivePathService } from './adaptive/adaptive-path.service.js';
import { AdaptivePathsRepository } from './adaptive/adaptive-paths.repository.js';
import { AssessmentGraderService } from './assessments/assessment-grader.service.js';
import { AssessmentQuestionsRepository } from './assessments/assessment-questions.repository.js';
import { AssessmentsController } from './assessments/assessments.controller.js';
import { AssessmentsService } from './assessments/assessments.service.js';
import { GradingQueueService } from './assessments/grading-queue.service.js';
import { PremiumGuard } from './gating/premium.guard.js';
import { QuotaController } from './quota/quota.controller.js';

/** Phase 2 student features (v2 routes): gated, flagged, quota-limited, cached. */
@Module({
  imports: [CoreModule, LlmModule, UsageModule, FeatureFlagsModule],
  controllers: [AdaptivePathController, QuotaController, AssessmentsController],
  providers: [
    PremiumGuard,
    AdaptivePathService,
    AdaptivePathsRepository,
    AssessmentQuestionsRepository,
    AssessmentsService,
    AssessmentGraderService,
    GradingQueueService,
  ],
  exports: [GradingQueueService],
})
export class PremiumModule {}

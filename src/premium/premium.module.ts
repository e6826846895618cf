import { Module } from '@nestjs/common';
import { AppConfigModule } from '../config/index.js';
import { CoreModule } from '../core/index.js';
import { FeatureFlagsModule } from '../flags/index.js';
import { LlmModule } from '../llm/index.js';
import { UsageModule } from '../usage/index.js';
import { AdaptivePathController } from './adaptive/adaptive-path.controller.js';
import { adaptivePathConfig, AdaptivePathService } from './adaptive/adaptive-path.service.js';
import { AdaptivePathsRepository } from './adaptive/adaptive-paths.repository.js';
import { AssessmentGradingModule } from './assessments/assessment-grading.module.js';
import { AssessmentQuestionsRepository } from './assessments/assessment-questions.repository.js';
import { AssessmentsController } from './assessments/assessments.controller.js';
import { assessmentsConfig, AssessmentsService } from './assessments/assessments.service.js';
import { PremiumGuard, premiumGateConfig } from './gating/premium.guard.js';
import { QuotaController } from './quota/quota.controller.js';

/** Phase 2 student features (v2 routes): gated, flagged, quota-limited, cached. */
@Module({
  imports: [
    CoreModule,
    LlmModule,
    UsageModule,
    FeatureFlagsModule,
    AssessmentGradingModule,
    AppConfigModule.forFeature(adaptivePathConfig, assessmentsConfig, premiumGateConfig),
  ],
  controllers: [AdaptivePathController, QuotaController, AssessmentsController],
  providers: [
    PremiumGuard,
    AdaptivePathService,
    AdaptivePathsRepository,
    AssessmentQuestionsRepository,
    AssessmentsService,
  ],
})
export class PremiumModule {}

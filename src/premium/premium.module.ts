import { Module } from '@nestjs/common';
import { AppConfigModule } from '../config/index.js';
import { CoreModule } from '../core/index.js';
import { FeatureFlagsModule } from '../flags/index.js';
import { LlmModule } from '../llm/index.js';
import { UsageModule } from '../usage/index.js';
import { AdaptivePathBuildsRepository } from './adaptive/adaptive-path-builds.repository.js';
import { AdaptivePathController } from './adaptive/adaptive-path.controller.js';
import { adaptivePathConfig, AdaptivePathService } from './adaptive/adaptive-path.service.js';
import { AdaptivePathsRepository } from './adaptive/adaptive-paths.repository.js';
import { PathAnalytics } from './adaptive/path-analytics.js';
import { PathEvidenceCollector } from './adaptive/path-evidence.collector.js';
import { PathGenerator } from './adaptive/path-generator.js';
import { PathSingleFlight } from './adaptive/path-single-flight.js';
import { PathStore } from './adaptive/path-store.js';
import { AnswerLimitPipe, answerLimitConfig } from './assessments/answer-limit.pipe.js';
import { AssessmentGradingModule } from './assessments/assessment-grading.module.js';
import { AssessmentQuestionsRepository } from './assessments/assessment-questions.repository.js';
import { AssessmentsController } from './assessments/assessments.controller.js';
import { AssessmentsService } from './assessments/assessments.service.js';
import { SubmissionIntake } from './assessments/submission-intake.service.js';
import { PremiumGuard, premiumGateConfig } from './gating/premium.guard.js';
import { QuotaController } from './quota/quota.controller.js';
import { TutorAnswerCache } from './tutor/tutor-answer-cache.js';
import { TutorConversationsRepository } from './tutor/tutor-conversations.repository.js';
import { TutorController } from './tutor/tutor.controller.js';
import { TutorService } from './tutor/tutor.service.js';
// Study tools: their own module (routes, store, generator), self-contained in study/.
import { StudyToolsModule } from './study/study-tools.module.js';

/** Phase 2 student features (v2 routes): gated, flagged, quota-limited, cached. */
@Module({
  imports: [
    CoreModule,
    LlmModule,
    UsageModule,
    FeatureFlagsModule,
    AssessmentGradingModule,
    StudyToolsModule,
    AppConfigModule.forFeature(adaptivePathConfig, answerLimitConfig, premiumGateConfig),
  ],
  controllers: [AdaptivePathController, QuotaController, AssessmentsController, TutorController],
  providers: [
    PremiumGuard,
    // Adaptive paths: the service orchestrates evidence, generation, the store, single-flight builds and analytics.
    AdaptivePathService,
    PathEvidenceCollector,
    PathGenerator,
    PathStore,
    PathSingleFlight,
    PathAnalytics,
    AdaptivePathsRepository,
    AdaptivePathBuildsRepository,
    // Assessments: intake and questions here; the grading run (model grader, queue, batches) in AssessmentGradingModule.
    AssessmentsService,
    SubmissionIntake,
    AssessmentQuestionsRepository,
    AnswerLimitPipe,
    // The tutor: retrieval, the shared answer cache, conversations, the model.
    TutorService,
    TutorAnswerCache,
    TutorConversationsRepository,
  ],
  // The MCP tools call the same services, the same gate and the same pipes as the routes.
  exports: [PremiumGuard, AdaptivePathService, AssessmentsService, AnswerLimitPipe, TutorService],
})
export class PremiumModule {}

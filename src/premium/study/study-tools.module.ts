import { Module } from '@nestjs/common';
import { AppConfigModule } from '../../config/index.js';
import { CoreModule } from '../../core/index.js';
import { FeatureFlagsModule } from '../../flags/index.js';
import { LlmModule } from '../../llm/index.js';
import { UsageModule } from '../../usage/index.js';
import { PremiumGuard, premiumGateConfig } from '../gating/premium.guard.js';
import { PracticeAttemptsRepository } from './practice-attempts.repository.js';
import { PracticeSessionsRepository } from './practice-sessions.repository.js';
import { StudyChapterReader } from './study-chapter.js';
import { StudyController } from './study.controller.js';
import { StudyGenerator } from './study-generator.js';
import { StudyMaterialBuildsRepository } from './study-material-builds.repository.js';
import { StudyMaterialsRepository } from './study-materials.repository.js';
import { StudySingleFlight } from './study-single-flight.js';
import { StudyToolsService } from './study-tools.service.js';

/** The study tools (flashcards, practice quizzes, summaries): shared material, one unit per generation. */
@Module({
  imports: [CoreModule, LlmModule, UsageModule, FeatureFlagsModule, AppConfigModule.forFeature(premiumGateConfig)],
  controllers: [StudyController],
  providers: [
    PremiumGuard,
    StudyToolsService,
    StudyChapterReader,
    StudyGenerator,
    StudySingleFlight,
    StudyMaterialsRepository,
    StudyMaterialBuildsRepository,
    PracticeSessionsRepository,
    PracticeAttemptsRepository,
  ],
  exports: [StudyToolsService],
})
export class StudyToolsModule {}

import { Module } from '@nestjs/common';
import { CompletionSourcesModule } from '../../common/reporting/index.js';
import { CoreModule } from '../../core/index.js';
import { AdaptivePathCompletion } from './adaptive-path-completion.js';
import { AdaptivePathOutcomesRepository } from './adaptive-path-outcomes.repository.js';

/** What premium tells the operators' metrics about its features (registered in common/reporting). */
@Module({
  imports: [CoreModule, CompletionSourcesModule],
  providers: [AdaptivePathOutcomesRepository, AdaptivePathCompletion],
})
export class PremiumReportingModule {}

import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsModule } from './common/metrics/index.js';
import { AppConfigModule } from './config/index.js';
import type { AppConfig } from './config/index.js';
import { DatabaseModule } from './database/index.js';
import { AssessmentGradingModule } from './premium/index.js';

export type WorkerModuleOptions = { config: AppConfig; databaseUrl: string };

/**
 * What a grading worker runs: the grading queue and what grading needs (the LLM layer, usage and
 * quota accounting with their sweepers). No HTTP controllers, guards or alert scheduler: alerts
 * are checked by the API process (AppModule), whatever the number of workers.
 */
@Module({})
export class WorkerModule {
  static register({ config, databaseUrl }: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(databaseUrl), MetricsModule, AssessmentGradingModule],
    };
  }
}

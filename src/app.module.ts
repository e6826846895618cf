import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthCommonModule } from './common/auth/auth-common.module.js';
import { ApiExceptionFilter } from './common/errors/api-exception.filter.js';
import { createValidationPipe } from './common/http/validation.pipe.js';
import { RedisModule } from './common/redis/redis.module.js';
import { ThrottlingModule } from './common/throttling/throttling.module.js';
import { AppConfigModule } from './config/app-config.module.js';
import type { AppConfig } from './config/config.loader.js';
import { CoreModule } from './core/core.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { PremiumModule } from './premium/premium.module.js';
import { AdminModule } from './admin/admin.module.js';
import { MetricsModule } from './common/metrics/metrics.module.js';

export type AppModuleOptions = { config: AppConfig; databaseUrl: string };

/** Wires the modules; nothing else. */
@Module({})
export class AppModule {
  static register({ config, databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl),
        RedisModule,
        MetricsModule,
        // Before AuthCommonModule: guards run in this order (address limit, auth, student limit).
        ThrottlingModule,
        AuthCommonModule,
        HealthModule,
        CoreModule,
        // Phase 2 imports the LLM layer itself; it is not global, so Core cannot see it.
        PremiumModule,
        AdminModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthCommonModule } from './common/auth/index.js';
import { ApiExceptionFilter } from './common/errors/index.js';
import { createValidationPipe } from './common/http/index.js';
import { RedisModule } from './common/redis/index.js';
import { ThrottlingModule } from './common/throttling/index.js';
import { AppConfigModule } from './config/index.js';
import type { AppConfig } from './config/index.js';
import { CoreModule } from './core/index.js';
import { DatabaseModule } from './database/index.js';
import { HealthModule } from './health/index.js';
import { PremiumModule, PremiumReportingModule } from './premium/index.js';
import { AdminModule } from './admin/index.js';
import { McpModule } from './mcp/index.js';
import { MetricsEndpointModule, MetricsModule } from './common/metrics/index.js';

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
        MetricsEndpointModule,
        // Before AuthCommonModule: guards run in this order (address limit, auth, student limit).
        ThrottlingModule,
        // The guard asks Core whether a token's account still exists (common imports no module).
        AuthCommonModule.forRoot({ imports: [CoreModule] }),
        HealthModule,
        CoreModule,
        // Phase 2 imports the LLM layer itself; it is not global, so Core cannot see it.
        PremiumModule,
        // Premium's completion measures for the admin metrics, registered in common (admin imports no premium).
        PremiumReportingModule,
        AdminModule,
        McpModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/index.js';
import { dataSourceOptions, runtimeTimeouts } from './data-source-options.js';

@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<AppConfig, true>) => {
            const options = dataSourceOptions(url, config.get('DATABASE_POOL_SIZE', { infer: true }));
            const timeouts = runtimeTimeouts(
              config.get('DATABASE_STATEMENT_TIMEOUT_MS', { infer: true }),
              config.get('DATABASE_CONNECT_TIMEOUT_MS', { infer: true }),
            );
            return {
              ...options,
              extra: { ...(options.extra as object), ...timeouts },
              autoLoadEntities: true,
              // Fail boot after a few tries instead of retrying for minutes.
              retryAttempts: 3,
              retryDelay: 1000,
            };
          },
        }),
      ],
    };
  }
}

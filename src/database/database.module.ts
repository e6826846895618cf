import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule, configSlice, type ConfigOf } from '../config/index.js';
import { dataSourceOptions, runtimeTimeouts } from './data-source-options.js';

export const databaseConfig = configSlice('database', ['DATABASE_POOL_SIZE', 'DATABASE_STATEMENT_TIMEOUT_MS', 'DATABASE_CONNECT_TIMEOUT_MS']);

@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: [AppConfigModule.forFeature(databaseConfig)],
          inject: [databaseConfig.KEY],
          useFactory: (config: ConfigOf<typeof databaseConfig>) => {
            const options = dataSourceOptions(url, config.DATABASE_POOL_SIZE);
            const timeouts = runtimeTimeouts(config.DATABASE_STATEMENT_TIMEOUT_MS, config.DATABASE_CONNECT_TIMEOUT_MS);
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

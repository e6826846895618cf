import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { AppConfig } from './config.loader.js';
import { pickSlice, type ConfigSlice } from './config-slice.js';

/**
 * The validated configuration (config.loader.ts), given to Nest once; consumers read it only
 * through the slices they declare (config-slice.ts), so each constructor says what it reads.
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      imports: [
        // Validated before Nest starts (see config.loader.ts); process.env is not read again.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => config] }),
      ],
    };
  }

  /** Provides each slice's settings under its KEY, for the module that imports this. */
  static forFeature(...slices: ConfigSlice[]): DynamicModule {
    const providers = slices.map((slice) => ({
      provide: slice.KEY,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => pickSlice(slice, (key) => config.get<AppConfig[typeof key]>(key)),
    }));
    return { module: AppConfigModule, providers, exports: slices.map((slice) => slice.KEY) };
  }
}

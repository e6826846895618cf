import { Module } from '@nestjs/common';
import { AppConfigModule } from '../config/index.js';
import { FeatureFlagsRepository } from './feature-flags.repository.js';
import { featureFlagsConfig, FeatureFlagsService } from './feature-flags.service.js';

/** Feature flags shared by the premium features (which read them) and the admin (which writes them). */
@Module({ imports: [AppConfigModule.forFeature(featureFlagsConfig)], providers: [FeatureFlagsRepository, FeatureFlagsService], exports: [FeatureFlagsService] })
export class FeatureFlagsModule {}

import { Module } from '@nestjs/common';
import { FeatureFlagsRepository } from './feature-flags.repository.js';
import { FeatureFlagsService } from './feature-flags.service.js';

/** Feature flags shared by the premium features (which read them) and the admin (which writes them). */
@Module({ providers: [FeatureFlagsRepository, FeatureFlagsService], exports: [FeatureFlagsService] })
export class FeatureFlagsModule {}

import { Module } from '@nestjs/common';
import { HealthIndicatorsModule } from '../common/health/index.js';
import { HealthController } from './health.controller.js';
import { AppConfigModule } from '../config/index.js';
import { healthConfig, HealthService } from './health.service.js';

/** /api/v1/health. It imports no feature module: the LLM layer and the queue register probes in common. */
@Module({ imports: [HealthIndicatorsModule, AppConfigModule.forFeature(healthConfig)], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}

import { Module } from '@nestjs/common';
import { AppConfigModule } from '../../config/index.js';
import { PrometheusController, prometheusConfig } from './prometheus.controller.js';

/** GET /metrics for Prometheus: the HTTP side of MetricsModule (a worker records metrics but serves none). */
@Module({
  imports: [AppConfigModule.forFeature(prometheusConfig)],
  controllers: [PrometheusController],
})
export class MetricsEndpointModule {}

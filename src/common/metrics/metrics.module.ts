import { Global, Module } from '@nestjs/common';
import { AppMetrics } from './metrics.js';

/** One metrics registry per app instance (not a process global: tests boot several apps). */
@Global()
@Module({ providers: [AppMetrics], exports: [AppMetrics] })
export class MetricsModule {}

/** Public API of common/metrics. */
export { MetricsModule } from './metrics.module.js';
export { AppMetrics } from './metrics.js';

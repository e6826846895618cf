/** Public API of common/metrics: the registry's module, its Prometheus endpoint, the metrics. */
export { MetricsEndpointModule } from './metrics-endpoint.module.js';
export { MetricsModule } from './metrics.module.js';
export { AppMetrics } from './metrics.js';

/** Public API of common/health: the registry that modules put their health probes into. */
export {
  HealthIndicators,
  HealthIndicatorsModule,
  type HealthCheckName,
  type HealthDetails,
  type HealthIndicator,
  type HealthProbeResult,
} from './health-indicators.js';

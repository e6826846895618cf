/** Public API of usage: the module, the usage log, premium request records and quotas. */
export type { PriceSource } from './llm-usage-log.entity.js';
export { PremiumRequestsService, type PremiumRequestRecord } from './premium-requests.service.js';
export { QuotaService, type QuotaStatus, type SqlExecutor } from './quota/quota.service.js';
export { UsageLogService } from './usage-log.service.js';
export { UsageModule } from './usage.module.js';

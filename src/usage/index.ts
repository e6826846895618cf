/** Public API of usage: the module, the usage log and its reports, premium request records and quotas. */
export type { PriceSource } from './llm-usage-log.entity.js';
export { PremiumRequestsRepository, type PremiumRequestRow, type RequestFigures } from './premium-requests.repository.js';
export { PremiumRequestsService, type PremiumRequestRecord } from './premium-requests.service.js';
export { QuotaService, type QuotaStatus } from './quota/quota.service.js';
export type { QuotaSettlement, SqlExecutor } from './quota/quota.repository.js';
export { UsageReportRepository, type CallFigures, type UsageGroup, type UsageTotals } from './reports/usage-report.repository.js';
export { UsageReportsModule } from './reports/usage-reports.module.js';
export type { UsageEntry } from './usage-entry.js';
export { UsageLogRepository } from './usage-log.repository.js';
export { UsageLogService } from './usage-log.service.js';
export { UsageModule } from './usage.module.js';

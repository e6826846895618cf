import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RedisModule } from '../common/redis/index.js';
import { AppConfigModule } from '../config/index.js';
import { LlmUsageLog } from './llm-usage-log.entity.js';
import { PremiumRequestsRepository } from './premium-requests.repository.js';
import { PremiumRequestsService } from './premium-requests.service.js';
import { QuotaHoldSweeper, quotaSweepConfig } from './quota/quota-hold-sweeper.js';
import { QuotaRepository } from './quota/quota.repository.js';
import { quotaConfig, QuotaService } from './quota/quota.service.js';
import { UsageReportsModule } from './reports/usage-reports.module.js';
import { UsageLogRepository } from './usage-log.repository.js';
import { usageLogConfig, UsageLogService } from './usage-log.service.js';

/** LLM usage accounting: the usage log and its reports, premium request records, quotas. */
@Module({
  imports: [TypeOrmModule.forFeature([LlmUsageLog]), RedisModule, UsageReportsModule, AppConfigModule.forFeature(usageLogConfig, quotaConfig, quotaSweepConfig)],
  providers: [UsageLogRepository, UsageLogService, QuotaRepository, QuotaService, QuotaHoldSweeper, PremiumRequestsRepository, PremiumRequestsService],
  exports: [UsageLogService, QuotaService, PremiumRequestsService, UsageReportsModule],
})
export class UsageModule {}

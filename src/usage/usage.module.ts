import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RedisModule } from '../common/redis/redis.module.js';
import { LlmUsageLog } from './llm-usage-log.entity.js';
import { QuotaHoldSweeper } from './quota/quota-hold-sweeper.js';
import { QuotaService } from './quota/quota.service.js';
import { PremiumRequestsService } from './premium-requests.service.js';
import { UsageLogService } from './usage-log.service.js';

/** LLM usage accounting: the usage log (and, with the premium features, quotas). */
@Module({
  imports: [TypeOrmModule.forFeature([LlmUsageLog]), RedisModule],
  providers: [UsageLogService, QuotaService, QuotaHoldSweeper, PremiumRequestsService],
  exports: [UsageLogService, QuotaService, PremiumRequestsService],
})
export class UsageModule {}

import { Module } from '@nestjs/common';
import { CompletionSourcesModule } from '../common/reporting/index.js';
import { AppConfigModule } from '../config/index.js';
import { CoreModule } from '../core/index.js';
import { FeatureFlagsModule } from '../flags/index.js';
import { UsageModule } from '../usage/index.js';
import { AdminGuard } from './admin.guard.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { costReportConfig, CostReportService } from './costs/cost-report.service.js';
import { CostsController } from './costs/costs.controller.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { FlagsAdminController } from './flags/flags-admin.controller.js';
import { FlagsAdminService } from './flags/flags-admin.service.js';
import { MetricsReportService } from './metrics/metrics-report.service.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { SubscriptionAuditRepository } from './subscriptions/subscription-audit.repository.js';
import { SubscriptionsController } from './subscriptions/subscriptions.controller.js';
import { SubscriptionsService } from './subscriptions/subscriptions.service.js';

/** The operators' side: cost reports, alerts, flags, metrics, subscriptions and the dashboard. */
@Module({
  imports: [CoreModule, FeatureFlagsModule, UsageModule, AlertsModule, DashboardModule, CompletionSourcesModule, AppConfigModule.forFeature(costReportConfig)],
  controllers: [CostsController, FlagsAdminController, MetricsController, SubscriptionsController],
  providers: [AdminGuard, CostReportService, FlagsAdminService, MetricsReportService, SubscriptionAuditRepository, SubscriptionsService],
})
export class AdminModule {}

import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfigModule } from '../../config/index.js';
import { UsageReportsModule } from '../../usage/index.js';
import { alertDeliveryConfig, AlertDeliveryService } from './alert-delivery.service.js';
import { AlertsRepository } from './alerts.repository.js';
import { alertScheduleConfig, AlertsScheduler } from './alerts.scheduler.js';
import { alertsConfig, AlertsService } from './alerts.service.js';

/**
 * LLM cost, budget and error-rate alerts: evaluated every ALERT_CHECK_INTERVAL_SECONDS, stored
 * once each in llm_alerts, e-mailed and POSTed to a webhook. Import it (AdminModule does) and
 * inject AlertsService for evaluate() and list().
 *
 * Needs from the application: AppConfigModule.forRoot() (the configuration, global) and
 * DatabaseModule.forRoot() (the TypeORM DataSource); it reads the usage log through usage's
 * UsageReportsModule. It brings its own ScheduleModule.forRoot();
 * that module is global and identical if imported again elsewhere, so nothing else is needed.
 */
@Module({
  imports: [ScheduleModule.forRoot(), UsageReportsModule, AppConfigModule.forFeature(alertsConfig, alertDeliveryConfig, alertScheduleConfig)],
  providers: [AlertsRepository, AlertsService, AlertDeliveryService, AlertsScheduler],
  exports: [AlertsService, AlertsRepository],
})
export class AlertsModule {}

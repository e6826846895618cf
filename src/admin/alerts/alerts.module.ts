import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { UsageReportsModule } from '../../usage/index.js';
import { AlertDeliveryService } from './alert-delivery.service.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsScheduler } from './alerts.scheduler.js';
import { AlertsService } from './alerts.service.js';

/**
 * LLM cost, budget and error-rate alerts: evaluated every ALERT_CHECK_INTERVAL_SECONDS, stored
 * once each in llm_alerts, e-mailed and POSTed to a webhook. Import it (AdminModule does) and
 * inject AlertsService for evaluate() and list().
 *
 * Needs from the application: AppConfigModule.forRoot() (APP_CONFIG, global) and
 * DatabaseModule.forRoot() (the TypeORM DataSource); it reads the usage log through usage's
 * UsageReportsModule. It brings its own ScheduleModule.forRoot();
 * that module is global and identical if imported again elsewhere, so nothing else is needed.
 */
@Module({
  imports: [ScheduleModule.forRoot(), UsageReportsModule],
  providers: [AlertsRepository, AlertsService, AlertDeliveryService, AlertsScheduler],
  exports: [AlertsService, AlertsRepository],
})
export class AlertsModule {}

import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertDeliveryService } from './alert-delivery.service.js';
import { AlertsScheduler } from './alerts.scheduler.js';
import { AlertsService } from './alerts.service.js';

/**
 * LLM cost, budget and error-rate alerts: evaluated every ALERT_CHECK_INTERVAL_SECONDS, stored
 * once each in llm_alerts, e-mailed and POSTed to a webhook. Import it (AdminModule does) and
 * inject AlertsService for evaluate() and list().
 *
 * Needs from the application: AppConfigModule.forRoot() (APP_CONFIG, global) and
 * DatabaseModule.forRoot() (the TypeORM DataSource). It brings its own ScheduleModule.forRoot();
 * that module is global and identical if imported again elsewhere, so nothing else is needed.
 */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [AlertsService, AlertDeliveryService, AlertsScheduler],
  exports: [AlertsService],
})
export class AlertsModule {}

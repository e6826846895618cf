import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { AlertsService } from './alerts.service.js';

export const ALERTS_INTERVAL_NAME = 'llm-alerts';
const SHUTDOWN_WAIT_MS = 10_000;

export const alertScheduleConfig = configSlice('alert-schedule', ['ALERT_CHECK_INTERVAL_SECONDS']);

/**
 * Runs AlertsService.evaluate() every ALERT_CHECK_INTERVAL_SECONDS. The interval is added to the
 * SchedulerRegistry at module init (the period is configuration, so no @Interval decorator). A
 * tick while the previous run is still going is skipped; errors are logged and swallowed. On
 * shutdown the interval is cleared and a run in flight is awaited (up to 10 s), so it does not
 * outlive the database connection.
 */
@Injectable()
export class AlertsScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AlertsScheduler');
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly alerts: AlertsService,
    private readonly registry: SchedulerRegistry,
    @Inject(alertScheduleConfig.KEY) private readonly config: ConfigOf<typeof alertScheduleConfig>,
  ) {}

  onModuleInit(): void {
    const timer = setInterval(() => void this.tick(), this.config.ALERT_CHECK_INTERVAL_SECONDS * 1000);
    // The schedule alone never keeps a process alive.
    timer.unref();
    this.registry.addInterval(ALERTS_INTERVAL_NAME, timer);
    this.logger.log(
      { event: 'llm_alerts_scheduled', interval_seconds: this.config.ALERT_CHECK_INTERVAL_SECONDS },
      `Checking LLM alerts every ${this.config.ALERT_CHECK_INTERVAL_SECONDS} s`,
    );
  }

  /**
   * One scheduled run. Resolves when it is over; never rejects. Returns false when it was
   * skipped because the previous run is still going (or the scheduler has stopped).
   */
  async tick(): Promise<boolean> {
    if (this.stopped) return false;
    if (this.running) {
      this.logger.warn({ event: 'llm_alerts_skipped' }, 'Previous alert check still running: skipping this one');
      return false;
    }
    const run = this.run();
    this.running = run;
    try {
      await run;
    } finally {
      this.running = null;
    }
    return true;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.registry.doesExist('interval', ALERTS_INTERVAL_NAME)) {
      this.registry.deleteInterval(ALERTS_INTERVAL_NAME);
    }
    const running = this.running;
    if (running) {
      // Let a run in flight finish (its alerts are already stored), but never hold shutdown long.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)))]);
      clearTimeout(timer);
    }
  }

  private async run(): Promise<void> {
    try {
      await this.alerts.evaluate(new Date());
    } catch (error) {
      this.logger.error(
        { event: 'llm_alerts_failed', error: error instanceof Error ? error.message : String(error) },
        'Alert check failed',
      );
    }
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { formatUsd } from '../../common/money/index.js';
import { UsageReportRepository } from '../../usage/index.js';
import { AlertDeliveryService } from './alert-delivery.service.js';
import { GLOBAL_SUBJECT, toAlertView, type AlertView, type RaisedAlert } from './alert.types.js';
import { AlertsRepository, type AlertCandidate } from './alerts.repository.js';

/** The error rate is only judged on at least this many attempts in the window. */
export const ERROR_RATE_MIN_ATTEMPTS = 20;
const HOUR_MS = 3_600_000;
/** The share of a threshold (percent) at which a 'warning' is raised; 'alert' is at 100. */
const WARNING_MARK = 80;

export const alertsConfig = configSlice('alerts', ['LLM_COST_ALERT_THRESHOLD', 'LLM_DAILY_BUDGET_USD', 'LLM_ERROR_RATE_ALERT_PERCENT']);
type AlertsConfig = ConfigOf<typeof alertsConfig>;

const TYPE_ORDER: Record<AlertView['type'], number> = { DAILY_BUDGET_EXCEEDED: 0, ERROR_RATE_HIGH: 1, COST_THRESHOLD_EXCEEDED: 2 };

/**
 * Cost, budget and error-rate alerts over the LLM usage log: evaluated on a schedule
 * (AlertsScheduler), stored once each in llm_alerts, delivered by AlertDeliveryService.
 *
 * The candidates come from the usage log's figures (UsageReportRepository) and are stored by
 * AlertsRepository at each level they reached (80 % 'warning', 100 % 'alert'), exactly once:
 *  - cost per student, month to date: spend against LLM_COST_ALERT_THRESHOLD
 *  - global spend today:              spend against LLM_DAILY_BUDGET_USD
 *  - error rate, last hour:           failed share against LLM_ERROR_RATE_ALERT_PERCENT, judged
 *                                     on at least ERROR_RATE_MIN_ATTEMPTS attempts
 * A money threshold of 0 switches its check off (it would otherwise flag every student on every run).
 *
 * An alert's created_at is the evaluation instant `now` (the moment it was found true).
 *
 * Windows (UTC): month to date [month start, now], today [day start, now], the last hour
 * (now - 1 h, now]. Rows stamped after `now` wait for a later run.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly usage: UsageReportRepository,
    @Inject(alertsConfig.KEY) private readonly config: AlertsConfig,
    private readonly delivery: AlertDeliveryService,
  ) {}

  /**
   * Checks every threshold as of `now`, stores the alerts not stored before and delivers just
   * those. Returns them (empty when nothing new). Delivery failures are logged, never thrown; a
   * database failure is thrown.
   */
  async evaluate(now: Date = new Date()): Promise<RaisedAlert[]> {
    const at = validDate(now, 'now');
    const rows = await this.alerts.insertReached(await this.candidates(at), at);
    if (rows.length === 0) return [];

    // Deterministic order: global alerts first, then per student; warning before alert.
    const alerts = rows.map(toAlertView).sort(
      (a, b) =>
        TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
        a.subject.localeCompare(b.subject) ||
        (a.level === b.level ? 0 : a.level === 'warning' ? -1 : 1),
    );
    this.logger.log({ event: 'llm_alerts_raised', count: alerts.length }, `${alerts.length} new LLM alert(s)`);

    const raised: RaisedAlert[] = [];
    for (const alert of alerts) {
      raised.push(await this.deliverAndMark(alert));
    }
    return raised;
  }

  /** Stored alerts created in [start, end), newest first. */
  async list(range: { start: Date; end: Date }): Promise<AlertView[]> {
    const start = validDate(range.start, 'start');
    const end = validDate(range.end, 'end');
    const rows = await this.alerts.list(start, end);
    return rows.map(toAlertView);
  }

  /** What the usage log shows as of `at`, as candidates for every check that is on. */
  private async candidates(at: Date): Promise<AlertCandidate[]> {
    const p = periods(at);
    const costThreshold = formatUsd(this.config.LLM_COST_ALERT_THRESHOLD);
    const dailyBudget = formatUsd(this.config.LLM_DAILY_BUDGET_USD);
    const [students, today, attempts] = await Promise.all([
      this.config.LLM_COST_ALERT_THRESHOLD > 0 ? this.usage.studentsSpending(new Date(p.monthStart), at, costThreshold, WARNING_MARK) : [],
      this.config.LLM_DAILY_BUDGET_USD > 0 ? this.usage.spend(new Date(p.dayStart), at) : undefined,
      this.usage.attempts(new Date(p.windowStart), at),
    ]);
    const candidates = students.map((s) => spending('COST_THRESHOLD_EXCEEDED', s.studentId, p.month, s.costUsd, costThreshold));
    if (today !== undefined) candidates.push(spending('DAILY_BUDGET_EXCEEDED', null, p.day, today, dailyBudget));
    if (attempts.total >= ERROR_RATE_MIN_ATTEMPTS && attempts.failedPercent !== null) {
      candidates.push({
        type: 'ERROR_RATE_HIGH',
        subject: GLOBAL_SUBJECT,
        studentId: null,
        period: p.hour,
        observed: attempts.failedPercent,
        threshold: String(this.config.LLM_ERROR_RATE_ALERT_PERCENT),
        measure: String(attempts.failed * 100),
        units: attempts.total,
      });
    }
    return candidates;
  }

  private async deliverAndMark(alert: AlertView): Promise<RaisedAlert> {
    const { emailed, webhooked } = await this.delivery.deliver(alert);
    if (!emailed && !webhooked) return { ...alert, emailed_at: null, webhooked_at: null };
    try {
      const marked = await this.alerts.markDelivered(alert.alert_id, emailed, webhooked);
      return { ...alert, emailed_at: iso(marked?.emailed_at), webhooked_at: iso(marked?.webhooked_at) };
    } catch (error) {
      // Delivered but not marked: say so, and go on with the other alerts.
      this.logger.error(
        { event: 'llm_alert_mark_failed', alert_id: alert.alert_id, error: error instanceof Error ? error.message : String(error) },
        'Could not record the delivery of an alert',
      );
      return { ...alert, emailed_at: null, webhooked_at: null };
    }
  }
}

/** Money spent against a dollar threshold (both exact decimal text); global when no student. */
function spending(type: AlertCandidate['type'], studentId: string | null, period: string, observed: string, threshold: string): AlertCandidate {
  return { type, subject: studentId ?? GLOBAL_SUBJECT, studentId, period, observed, threshold, measure: observed, units: 1 };
}

/** The UTC calendar periods around `now`, as ISO instants and period labels. */
export function periods(now: Date): {
  monthStart: string;
  month: string;
  dayStart: string;
  day: string;
  windowStart: string;
  hour: string;
} {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  const iso = now.toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ (4-digit years in any realistic use)
  return {
    monthStart: new Date(Date.UTC(y, m, 1)).toISOString(),
    month: iso.slice(0, 7),
    dayStart: new Date(Date.UTC(y, m, d)).toISOString(),
    day: iso.slice(0, 10),
    windowStart: new Date(now.getTime() - HOUR_MS).toISOString(),
    hour: iso.slice(0, 13),
  };
}

function validDate(value: Date, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
  return value;
}

function iso(value: Date | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

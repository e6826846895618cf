import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/index.js';
import type { AppConfig } from '../../config/index.js';
import { formatUsd } from '../../common/money/index.js';
import { AlertDeliveryService } from './alert-delivery.service.js';
import { GLOBAL_SUBJECT, toAlertView, type AlertRow, type AlertView, type RaisedAlert } from './alert.types.js';

/** The error rate is only judged on at least this many attempts in the window. */
export const ERROR_RATE_MIN_ATTEMPTS = 20;
const HOUR_MS = 3_600_000;

type AlertsConfig = Pick<AppConfig, 'LLM_COST_ALERT_THRESHOLD' | 'LLM_DAILY_BUDGET_USD' | 'LLM_ERROR_RATE_ALERT_PERCENT'>;

/**
 * One statement computes every candidate over live usage rows and stores the new alerts.
 *
 * Each candidate carries an exact ratio `num / den` of observed to threshold (numeric or integer
 * arithmetic only: no floats), and is stored at each level whose mark it has reached:
 * `num * 100 >= den * mark` with mark 80 ('warning') and 100 ('alert').
 *  - cost per student, month to date:  num = sum(cost_usd),   den = threshold dollars
 *  - global spend today:               num = sum(cost_usd),   den = budget dollars
 *  - error rate, last hour:            num = failed * 100,    den = percent * attempts
 * A threshold of 0 switches its check off (it would otherwise flag every student on every run).
 *
 * The unique constraint llm_alerts_once (type, level, subject, period) makes the insert
 * idempotent, also across instances racing each other: RETURNING yields only the rows this
 * statement actually inserted, so only those are delivered.
 *
 * An alert's created_at is the evaluation instant `now` (the moment it was found true).
 *
 * Windows (UTC): month to date [month start, now], today [day start, now], the last hour
 * (now - 1 h, now]. Rows stamped after `now` wait for a later run.
 *
 * Parameters: $1 month start, $2 'YYYY-MM', $3 cost threshold ($), $4 day start, $5 'YYYY-MM-DD',
 * $6 daily budget ($), $7 hour window start (exclusive), $8 'YYYY-MM-DDTHH', $9 now,
 * $10 error percent, $11 minimum attempts.
 */
const EVALUATE_SQL = `
WITH cost AS (
  SELECT 'COST_THRESHOLD_EXCEEDED'::varchar AS type, l.student_id::text AS subject, l.student_id,
         $2::varchar AS period, sum(l.cost_usd) AS observed, $3::numeric AS threshold,
         sum(l.cost_usd) AS num, $3::numeric AS den
    FROM llm_usage_logs l
   WHERE l.deleted_at IS NULL AND l.student_id IS NOT NULL
     AND l.created_at >= $1::timestamptz AND l.created_at <= $9::timestamptz
   GROUP BY l.student_id
  HAVING $3::numeric > 0 AND sum(l.cost_usd) * 100 >= $3::numeric * 80
),
daily AS (
  SELECT 'DAILY_BUDGET_EXCEEDED'::varchar AS type, '${GLOBAL_SUBJECT}'::text AS subject, NULL::uuid AS student_id,
         $5::varchar AS period, coalesce(sum(l.cost_usd), 0) AS observed, $6::numeric AS threshold,
         coalesce(sum(l.cost_usd), 0) AS num, $6::numeric AS den
    FROM llm_usage_logs l
   WHERE l.deleted_at IS NULL AND l.created_at >= $4::timestamptz AND l.created_at <= $9::timestamptz
  HAVING $6::numeric > 0 AND coalesce(sum(l.cost_usd), 0) * 100 >= $6::numeric * 80
),
attempts AS (
  SELECT count(*)::numeric AS total, count(*) FILTER (WHERE NOT l.success)::numeric AS failed
    FROM llm_usage_logs l
   WHERE l.deleted_at IS NULL AND l.outcome IN ('success', 'error', 'timeout')
     AND l.created_at > $7::timestamptz AND l.created_at <= $9::timestamptz
),
error_rate AS (
  SELECT 'ERROR_RATE_HIGH'::varchar AS type, '${GLOBAL_SUBJECT}'::text AS subject, NULL::uuid AS student_id,
         $8::varchar AS period, round(a.failed * 100 / nullif(a.total, 0), 6) AS observed, $10::numeric AS threshold,
         a.failed * 100 AS num, $10::numeric * a.total AS den
    FROM attempts a
   WHERE a.total >= $11::int AND a.failed * 100 * 100 >= $10::numeric * a.total * 80
),
candidates AS (
  SELECT * FROM cost UNION ALL SELECT * FROM daily UNION ALL SELECT * FROM error_rate
)
INSERT INTO llm_alerts (type, level, subject, student_id, period, observed, threshold, created_at)
SELECT c.type, m.level, c.subject, c.student_id, c.period, c.observed, c.threshold, $9::timestamptz
  FROM candidates c
 CROSS JOIN (VALUES ('warning'::varchar, 80), ('alert'::varchar, 100)) AS m (level, mark)
 WHERE c.num * 100 >= c.den * m.mark
ON CONFLICT ON CONSTRAINT llm_alerts_once DO NOTHING
RETURNING *`;

const TYPE_ORDER: Record<AlertView['type'], number> = { DAILY_BUDGET_EXCEEDED: 0, ERROR_RATE_HIGH: 1, COST_THRESHOLD_EXCEEDED: 2 };

/**
 * Cost, budget and error-rate alerts over the LLM usage log: evaluated on a schedule
 * (AlertsScheduler), stored once each in llm_alerts, delivered by AlertDeliveryService.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AlertsConfig,
    private readonly delivery: AlertDeliveryService,
  ) {}

  /**
   * Checks every threshold as of `now`, stores the alerts not stored before and delivers just
   * those. Returns them (empty when nothing new). Delivery failures are logged, never thrown; a
   * database failure is thrown.
   */
  async evaluate(now: Date = new Date()): Promise<RaisedAlert[]> {
    const at = validDate(now, 'now');
    const p = periods(at);
    const rows: AlertRow[] = await this.db.query(EVALUATE_SQL, [
      p.monthStart,
      p.month,
      formatUsd(this.config.LLM_COST_ALERT_THRESHOLD),
      p.dayStart,
      p.day,
      formatUsd(this.config.LLM_DAILY_BUDGET_USD),
      p.windowStart,
      p.hour,
      at.toISOString(),
      this.config.LLM_ERROR_RATE_ALERT_PERCENT,
      ERROR_RATE_MIN_ATTEMPTS,
    ]);
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
    const rows: AlertRow[] = await this.db.query(
      `SELECT alert_id, type, level, subject, student_id, period, observed::text AS observed,
              threshold::text AS threshold, created_at, emailed_at, webhooked_at
         FROM llm_alerts
        WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz
        ORDER BY created_at DESC, alert_id DESC`,
      [start.toISOString(), end.toISOString()],
    );
    return rows.map(toAlertView);
  }

  private async deliverAndMark(alert: AlertView): Promise<RaisedAlert> {
    const { emailed, webhooked } = await this.delivery.deliver(alert);
    if (!emailed && !webhooked) return { ...alert, emailed_at: null, webhooked_at: null };
    try {
      const [marked]: { emailed_at: Date | null; webhooked_at: Date | null }[] = await this.db.query(
        // Wrapped in a SELECT: TypeORM hands a bare UPDATE back as [rows, count].
        `WITH marked AS (
           UPDATE llm_alerts
              SET emailed_at = CASE WHEN $2::boolean THEN now() ELSE emailed_at END,
                  webhooked_at = CASE WHEN $3::boolean THEN now() ELSE webhooked_at END
            WHERE alert_id = $1::uuid
           RETURNING emailed_at, webhooked_at)
         SELECT emailed_at, webhooked_at FROM marked`,
        [alert.alert_id, emailed, webhooked],
      );
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

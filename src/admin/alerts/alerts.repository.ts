import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertRow, AlertType } from './alert.types.js';

/**
 * Something that may deserve an alert: `observed` against the configured `threshold`, exact
 * decimal text. It is stored at each level whose mark it has reached, judged in numeric
 * arithmetic (no floats): `measure * 100 >= threshold * units * mark`, mark 80 ('warning') and
 * 100 ('alert'). Money compares itself (`measure` = observed, units 1); an error rate compares
 * failed * 100 against the percent times the attempts.
 */
export type AlertCandidate = {
  type: AlertType;
  subject: string;
  studentId: string | null;
  period: string;
  observed: string;
  threshold: string;
  measure: string;
  units: number;
};

/** A stored alert as the cost report lists it. */
export type ReportedAlert = Pick<AlertRow, 'type' | 'level' | 'student_id' | 'observed' | 'threshold' | 'period' | 'created_at'>;

/** The llm_alerts table. */
@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Stores the levels each candidate reached, created `at`. The unique constraint llm_alerts_once
   * (type, level, subject, period) makes this idempotent, also across instances racing each
   * other: only the rows this statement inserted come back.
   */
  insertReached(candidates: AlertCandidate[], at: Date): Promise<AlertRow[]> {
    if (candidates.length === 0) return Promise.resolve([]);
    return this.db.query(
      `INSERT INTO llm_alerts (type, level, subject, student_id, period, observed, threshold, created_at)
       SELECT c.type, m.level, c.subject, c.student_id, c.period, c.observed, c.threshold, $9::timestamptz
         FROM unnest($1::varchar[], $2::text[], $3::uuid[], $4::varchar[], $5::numeric[], $6::numeric[], $7::numeric[], $8::int[])
              AS c (type, subject, student_id, period, observed, threshold, measure, units)
        CROSS JOIN (VALUES ('warning'::varchar, 80), ('alert'::varchar, 100)) AS m (level, mark)
        WHERE c.measure * 100 >= c.threshold * c.units * m.mark
       ON CONFLICT ON CONSTRAINT llm_alerts_once DO NOTHING
       RETURNING *`,
      [
        candidates.map((c) => c.type),
        candidates.map((c) => c.subject),
        candidates.map((c) => c.studentId),
        candidates.map((c) => c.period),
        candidates.map((c) => c.observed),
        candidates.map((c) => c.threshold),
        candidates.map((c) => c.measure),
        candidates.map((c) => c.units),
        at.toISOString(),
      ],
    );
  }

  /** Records which deliveries succeeded just now; the stored times. */
  async markDelivered(alertId: string, emailed: boolean, webhooked: boolean): Promise<{ emailed_at: Date | null; webhooked_at: Date | null } | undefined> {
    const rows: { emailed_at: Date | null; webhooked_at: Date | null }[] = await this.db.query(
      // Wrapped in a SELECT: TypeORM hands a bare UPDATE back as [rows, count].
      `WITH marked AS (
         UPDATE llm_alerts
            SET emailed_at = CASE WHEN $2::boolean THEN now() ELSE emailed_at END,
                webhooked_at = CASE WHEN $3::boolean THEN now() ELSE webhooked_at END
          WHERE alert_id = $1::uuid
         RETURNING emailed_at, webhooked_at)
       SELECT emailed_at, webhooked_at FROM marked`,
      [alertId, emailed, webhooked],
    );
    return rows[0];
  }

  /** Alerts created in [start, end), newest first. */
  list(start: Date, end: Date): Promise<AlertRow[]> {
    return this.db.query(
      `SELECT alert_id, type, level, subject, student_id, period, observed::text AS observed,
              threshold::text AS threshold, created_at, emailed_at, webhooked_at
         FROM llm_alerts
        WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz
        ORDER BY created_at DESC, alert_id DESC`,
      [start.toISOString(), end.toISOString()],
    );
  }

  /** The latest `limit` alerts created in [from, to). */
  recent(from: Date, to: Date, limit: number): Promise<ReportedAlert[]> {
    return this.db.query(
      `SELECT type, level, student_id, observed::text AS observed, threshold::text AS threshold, period, created_at
         FROM llm_alerts WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at DESC LIMIT $3`,
      [from, to, limit],
    );
  }
}

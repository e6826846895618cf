import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PremiumFeature } from '../../common/features/index.js';

/** Anything that runs SQL: the data source, or a transaction's query runner or entity manager. */
export type SqlExecutor = { query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> };

/** One month's counter of one feature for one student. */
export type QuotaKey = { studentId: string; period: string; feature: PremiumFeature };

/** Part of a caller's statement: named data-modifying CTEs, the SELECT that ends it, their parameters. */
export type QuotaSettlement = { ctes: string; select: string; params: unknown[] };

/** A counter after expired holds gave their units back, and how many they gave. */
export type ReleasedHolds = QuotaKey & { used: number; released: number };

/**
 * The premium_usage_quotas counters and the premium_quota_holds on them. Every take is one
 * conditional upsert, so concurrent requests on any number of instances never overspend.
 */
@Injectable()
export class QuotaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Takes a unit if fewer than `limit` are used, and holds it for `holdSeconds`; the count after, or undefined when none was left. */
  async takeHeld(key: QuotaKey, limit: number, holdId: string, holdSeconds: number): Promise<number | undefined> {
    const rows = await this.db.query<{ used: number }[]>(
      `WITH taken AS (
         INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, $3, 1)
         ON CONFLICT (student_id, period, feature)
         DO UPDATE SET used = premium_usage_quotas.used + 1, updated_at = now()
         WHERE premium_usage_quotas.used < $4
         RETURNING used
       ), held AS (
         INSERT INTO premium_quota_holds (hold_id, student_id, period, feature, expires_at)
         SELECT $5, $1, $2, $3, now() + make_interval(secs => $6::int) FROM taken
       )
       SELECT used FROM taken`,
      [key.studentId, key.period, key.feature, limit, holdId, holdSeconds],
    );
    return rows[0]?.used;
  }

  /** Takes a unit in the caller's transaction if fewer than `limit` are used; the count after, or undefined. */
  async take(tx: SqlExecutor, key: QuotaKey, limit: number): Promise<number | undefined> {
    const rows = await tx.query<{ used: number }[]>(
      `INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, $3, 1)
       ON CONFLICT (student_id, period, feature)
       DO UPDATE SET used = premium_usage_quotas.used + 1, updated_at = now()
       WHERE premium_usage_quotas.used < $4
       RETURNING used`,
      [key.studentId, key.period, key.feature, limit],
    );
    return rows[0]?.used;
  }

  /**
   * Keeps a held unit: the hold goes. If it had expired and given its unit back while the request
   * ran, the request was served all the same, so the unit is charged again.
   */
  async charge(tx: SqlExecutor, holdId: string, key: QuotaKey): Promise<void> {
    const part = this.settlement('charge', holdId, key, 1);
    await tx.query(`WITH ${part.ctes} ${part.select}`, part.params);
  }

  /** Gives a held unit back (once: the hold goes with it); the count after, or undefined when the hold was gone. */
  async refundHold(holdId: string, tx: SqlExecutor = this.db): Promise<number | undefined> {
    const part = this.settlement('refund', holdId, undefined, 1);
    const rows = await tx.query<{ used: number | null }[]>(`WITH ${part.ctes} ${part.select}`, part.params);
    return rows[0]?.used ?? undefined;
  }

  /**
   * `charge` or `refundHold` as data-modifying CTEs for a caller's own statement (its parameters
   * numbered from `$first`), so an answer and its unit are written in one round trip and commit
   * together. `select` yields one `used` column: the count after a refund, none after a charge.
   */
  settlement(kind: 'charge' | 'refund', holdId: string, key: QuotaKey | undefined, first: number): QuotaSettlement {
    const $ = (i: number) => `$${first + i}`;
    if (kind === 'charge') {
      if (!key) throw new Error('A charge names its counter');
      return {
        ctes: `quota_kept AS (DELETE FROM premium_quota_holds WHERE hold_id = ${$(0)} RETURNING hold_id),
       quota_charged AS (
         UPDATE premium_usage_quotas SET used = used + 1, updated_at = now()
          WHERE student_id = ${$(1)} AND period = ${$(2)} AND feature = ${$(3)} AND NOT EXISTS (SELECT 1 FROM quota_kept))`,
        select: 'SELECT NULL::int AS used WHERE false',
        params: [holdId, key.studentId, key.period, key.feature],
      };
    }
    return {
      ctes: `quota_gone AS (DELETE FROM premium_quota_holds WHERE hold_id = ${$(0)} RETURNING student_id, period, feature),
       quota_back AS (
         UPDATE premium_usage_quotas q SET used = q.used - 1, updated_at = now()
           FROM quota_gone g WHERE q.student_id = g.student_id AND q.period = g.period AND q.feature = g.feature AND q.used > 0
         RETURNING q.used)`,
      select: 'SELECT used FROM quota_back',
      params: [holdId],
    };
  }

  /** Gives back the units of at most `batch` expired holds (skipping holds another instance is releasing). */
  async releaseExpiredHolds(batch: number): Promise<ReleasedHolds[]> {
    const rows = await this.db.query<{ student_id: string; period: string; feature: PremiumFeature; used: number; n: number }[]>(
      `WITH gone AS (
         DELETE FROM premium_quota_holds
          WHERE hold_id IN (SELECT hold_id FROM premium_quota_holds WHERE expires_at < now()
                             ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING student_id, period, feature
       ), counts AS (
         SELECT student_id, period, feature, count(*)::int AS n FROM gone GROUP BY student_id, period, feature
       ), back AS (
         UPDATE premium_usage_quotas q SET used = GREATEST(q.used - c.n, 0), updated_at = now()
           FROM counts c WHERE q.student_id = c.student_id AND q.period = c.period AND q.feature = c.feature
         RETURNING q.student_id, q.period, q.feature, q.used, c.n
       )
       SELECT student_id, period, feature, used, n FROM back`,
      [batch],
    );
    return rows.map((r) => ({ studentId: r.student_id, period: r.period, feature: r.feature, used: r.used, released: r.n }));
  }

  async used(key: QuotaKey, tx: SqlExecutor = this.db): Promise<number> {
    const rows = await tx.query<{ used: number }[]>('SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND period = $2 AND feature = $3', [
      key.studentId,
      key.period,
      key.feature,
    ]);
    return rows[0]?.used ?? 0;
  }
}

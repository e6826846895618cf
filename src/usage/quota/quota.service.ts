import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppMetrics } from '../../common/metrics/index.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '../../common/cache/index.js';
import { FEATURES, PREMIUM_FEATURES, type PremiumFeature } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { periodOf, resetsAt } from './quota-period.js';
import { QuotaRepository, type QuotaSettlement, type SqlExecutor } from './quota.repository.js';

export type QuotaStatus = { feature: PremiumFeature; used: number; limit: number; period: string; resets_at: string };

export type { QuotaSettlement, SqlExecutor } from './quota.repository.js';

/**
 * A unit held for a request that takes a while (a model call). It counts as used at once, so
 * concurrent requests never overspend; the request settles it in the same transaction as its
 * result (`charge` or `refund`), and a hold nobody settled (the database went away, the process
 * died) is given back when it expires.
 */
export type QuotaHold = {
  granted: true;
  status: QuotaStatus;
  /** Keeps the unit: call inside the transaction that stores the answer. */
  charge: (tx: SqlExecutor) => Promise<void>;
  /** Gives the unit back inside the caller's transaction; the count after it (mirror it once committed). */
  refund: (tx: SqlExecutor) => Promise<number | undefined>;
  /**
   * `charge` or `refund` as CTEs for the statement that stores the answer (parameters from
   * `$first`): one round trip instead of a transaction's four. Its `used`: as `refund` returns.
   */
  settlement: (kind: 'charge' | 'refund', first: number) => QuotaSettlement;
  /** Gives the unit back now; never throws (if the database is away, the hold's expiry gives it back). */
  giveBack: () => Promise<void>;
};
export type QuotaTake = QuotaHold | { granted: false; status: QuotaStatus };
export type QuotaTakeWithin = { granted: boolean; status: QuotaStatus };

/** Each feature's monthly limit, and how long a unit is held for a request that has not settled. */
export const quotaConfig = configSlice('quota', [...PREMIUM_FEATURES.map((f) => FEATURES[f].quota.env), 'QUOTA_HOLD_SECONDS']);

/**
 * Monthly premium quotas. PostgreSQL is the source of truth and every take is one conditional
 * upsert, so concurrent requests on any number of instances never overspend. Redis (or the
 * in-process store) mirrors the counters for cheap reads and is rebuilt from PostgreSQL on a miss.
 */
@Injectable()
export class QuotaService {
  private readonly logger = new Logger('Quota');

  constructor(
    private readonly quotas: QuotaRepository,
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    @Inject(quotaConfig.KEY) private readonly config: ConfigOf<typeof quotaConfig>,
    @Optional() private readonly metrics?: AppMetrics,
  ) {}

  limitOf(feature: PremiumFeature): number {
    return this.config[FEATURES[feature].quota.env];
  }

  /** Holds one unit if any is left (committed at once); the request then charges or refunds it. */
  async take(studentId: string, feature: PremiumFeature, now = new Date()): Promise<QuotaTake> {
    const period = periodOf(now);
    const limit = this.limitOf(feature);
    const holdId = randomUUID();
    const counter = { studentId, period, feature };
    const used = limit > 0 ? await this.quotas.takeHeld(counter, limit, holdId, this.config.QUOTA_HOLD_SECONDS) : undefined;
    if (used === undefined) return { granted: false, status: await this.refused(studentId, feature, period, limit, now) };
    await this.mirror(studentId, feature, period, used, now);

    // The hold row is the settlement's record: whichever of these runs first removes it, so a
    // later one (a give-back after a charge that committed) changes nothing.
    return {
      granted: true,
      status: this.statusOf(feature, used, limit, now),
      charge: (tx) => this.quotas.charge(tx, holdId, counter),
      refund: (tx) => this.quotas.refundHold(holdId, tx),
      settlement: (kind, first) => this.quotas.settlement(kind, holdId, counter, first),
      giveBack: async () => {
        try {
          const back = await this.quotas.refundHold(holdId);
          if (back !== undefined) await this.mirror(studentId, feature, period, back, now);
        } catch (error) {
          this.logger.warn({ err: error, feature }, 'Could not give a quota unit back now; its hold gives it back when it expires');
        }
      },
    };
  }

  /**
   * Takes one unit inside the caller's transaction, for requests whose answer is stored in that
   * same transaction: the unit commits with the answer or rolls back with it.
   */
  async takeWithin(tx: SqlExecutor, studentId: string, feature: PremiumFeature, now = new Date()): Promise<QuotaTakeWithin> {
    const period = periodOf(now);
    const limit = this.limitOf(feature);
    const used = limit > 0 ? await this.quotas.take(tx, { studentId, period, feature }, limit) : undefined;
    if (used === undefined) return { granted: false, status: await this.refused(studentId, feature, period, limit, now, tx) };
    return { granted: true, status: this.statusOf(feature, used, limit, now) };
  }

  /** Current use, from the mirror when it has it. */
  async current(studentId: string, feature: PremiumFeature, now = new Date()): Promise<QuotaStatus> {
    return this.read(studentId, feature, now);
  }

  /** After a commit that changed a counter: the mirror takes PostgreSQL's value. */
  async mirrorUsed(studentId: string, feature: PremiumFeature, used: number, now = new Date()): Promise<void> {
    await this.mirror(studentId, feature, periodOf(now), used, now);
  }

  /**
   * Gives back the units of holds that expired unsettled (a request cut off by a database fault
   * or a dead process), at most `batch` at a time; returns how many. Safe on every instance at once.
   */
  async releaseExpiredHolds(batch = 1000): Promise<number> {
    const rows = await this.quotas.releaseExpiredHolds(batch);
    const now = new Date();
    for (const row of rows) {
      // A past month's mirror is not read any more; only the current one is refreshed.
      if (row.period === periodOf(now)) await this.mirror(row.studentId, row.feature, row.period, row.used, now);
    }
    return rows.reduce((sum, r) => sum + r.released, 0);
  }

  private async refused(
    studentId: string,
    feature: PremiumFeature,
    period: string,
    limit: number,
    now: Date,
    tx?: SqlExecutor,
  ): Promise<QuotaStatus> {
    this.metrics?.quotaRejections.inc({ feature });
    const used = await this.quotas.used({ studentId, period, feature }, tx);
    await this.mirror(studentId, feature, period, used, now);
    return this.statusOf(feature, used, limit, now);
  }

  private statusOf(feature: PremiumFeature, used: number, limit: number, now: Date): QuotaStatus {
    return { feature, used, limit, period: periodOf(now), resets_at: resetsAt(now).toISOString() };
  }

  private async read(studentId: string, feature: PremiumFeature, now: Date): Promise<QuotaStatus> {
    const period = periodOf(now);
    const cached = await this.store.get(key(studentId, period, feature));
    let used = cached === null ? Number.NaN : Number(cached);
    if (!Number.isInteger(used)) {
      used = await this.quotas.used({ studentId, period, feature });
      await this.mirror(studentId, feature, period, used, now);
    }
    return this.statusOf(feature, used, this.limitOf(feature), now);
  }

  private mirror(studentId: string, feature: PremiumFeature, period: string, used: number, now: Date): Promise<void> {
    const ttl = Math.ceil((resetsAt(now).getTime() - now.getTime()) / 1000) + 86_400;
    return this.store.set(key(studentId, period, feature), String(used), ttl);
  }
}

/** The key layout operators already know: quota:{student_id}:{YYYY-MM}:{feature}. */
export function key(studentId: string, period: string, feature: PremiumFeature): string {
  return `quota:${studentId}:${period}:${feature}`;
}

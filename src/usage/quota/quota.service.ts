import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppMetrics } from '../../common/metrics/index.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KEY_VALUE_STORE, type KeyValueStore } from '../../common/cache/index.js';
import { APP_CONFIG } from '../../config/index.js';
import type { AppConfig } from '../../config/index.js';
import type { PremiumFeature } from '../../flags/index.js';
import { periodOf, resetsAt } from './quota-period.js';

export type QuotaStatus = { feature: PremiumFeature; used: number; limit: number; period: string; resets_at: string };
export type QuotaTake = { granted: true; status: QuotaStatus; release: () => Promise<void> } | { granted: false; status: QuotaStatus };

/**
 * Monthly premium quotas. PostgreSQL is the source of truth and every take is one conditional
 * upsert, so concurrent requests on any number of instances never overspend. Redis (or the
 * in-process store) mirrors the counters for cheap reads and is rebuilt from PostgreSQL on a miss.
 */
@Injectable()
export class QuotaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: AppMetrics,
  ) {}

  limitOf(feature: PremiumFeature): number {
    return feature === 'adaptive_paths' ? this.config.PREMIUM_ADAPTIVE_PATHS_LIMIT : this.config.PREMIUM_ASSESSMENTS_LIMIT;
  }

  /** Takes one unit if any is left; `release()` gives it back (a failed call must not cost one). */
  async take(studentId: string, feature: PremiumFeature, now = new Date()): Promise<QuotaTake> {
    const period = periodOf(now);
    const limit = this.limitOf(feature);
    const rows: { used: number }[] =
      limit > 0
        ? await this.db.query(
            `INSERT INTO premium_usage_quotas (student_id, period, feature, used) VALUES ($1, $2, $3, 1)
             ON CONFLICT (student_id, period, feature)
             DO UPDATE SET used = premium_usage_quotas.used + 1, updated_at = now()
             WHERE premium_usage_quotas.used < $4
             RETURNING used`,
            [studentId, period, feature, limit],
          )
        : [];
    if (rows.length === 0) {
      this.metrics?.quotaRejections.inc({ feature });
      const used = await this.readFromDatabase(studentId, feature, period);
      await this.mirror(studentId, feature, period, used, now);
      return { granted: false, status: this.statusOf(feature, used, limit, now) };
    }
    const used = rows[0]!.used;
    await this.mirror(studentId, feature, period, used, now);
    let released = false;
    return {
      granted: true,
      status: this.statusOf(feature, used, limit, now),
      release: async () => {
        if (released) return;
        released = true;
        const back: { used: number }[] = await this.db.query(
          `UPDATE premium_usage_quotas SET used = used - 1, updated_at = now()
            WHERE student_id = $1 AND period = $2 AND feature = $3 AND used > 0 RETURNING used`,
          [studentId, period, feature],
        );
        if (back[0]) await this.mirror(studentId, feature, period, back[0].used, now);
      },
    };
  }

  /** Current use, from the mirror when it has it. */
  async current(studentId: string, feature: PremiumFeature, now = new Date()): Promise<QuotaStatus> {
    return this.read(studentId, feature, now);
  }

  private statusOf(feature: PremiumFeature, used: number, limit: number, now: Date): QuotaStatus {
    return { feature, used, limit, period: periodOf(now), resets_at: resetsAt(now).toISOString() };
  }

  private async read(studentId: string, feature: PremiumFeature, now: Date): Promise<QuotaStatus> {
    const period = periodOf(now);
    const cached = await this.store.get(key(studentId, period, feature));
    let used = cached === null ? Number.NaN : Number(cached);
    if (!Number.isInteger(used)) {
      used = await this.readFromDatabase(studentId, feature, period);
      await this.mirror(studentId, feature, period, used, now);
    }
    return this.statusOf(feature, used, this.limitOf(feature), now);
  }

  private async readFromDatabase(studentId: string, feature: PremiumFeature, period: string): Promise<number> {
    const rows: { used: number }[] = await this.db.query(
      'SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND period = $2 AND feature = $3',
      [studentId, period, feature],
    );
    return rows[0]?.used ?? 0;
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

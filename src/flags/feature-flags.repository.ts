import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PREMIUM_FEATURES } from '../common/features/index.js';
import type { FlagState } from './feature-flags.js';

/** The feature_flags table (the run-time overrides of the ENABLE_* defaults) and its audit log, feature_flag_audit. */
@Injectable()
export class FeatureFlagsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The stored flags of the features this version knows (a row for another name is ignored). */
  async all(): Promise<FlagState[]> {
    const rows: FlagState[] = await this.db.query('SELECT feature, enabled, rollout_percentage, variants FROM feature_flags');
    return rows.filter((r) => (PREMIUM_FEATURES as readonly string[]).includes(r.feature)).map((r) => ({ ...r }));
  }

  /** Stores the flag and the change (who, before, after) in one transaction. */
  async save(after: FlagState, before: FlagState, changedBy: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO feature_flags (feature, enabled, rollout_percentage, variants, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (feature) DO UPDATE SET enabled = EXCLUDED.enabled, rollout_percentage = EXCLUDED.rollout_percentage,
           variants = EXCLUDED.variants, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [after.feature, after.enabled, after.rollout_percentage, JSON.stringify(after.variants), changedBy],
      );
      await tx.query(`INSERT INTO feature_flag_audit (feature, before, after, changed_by) VALUES ($1, $2, $3, $4)`, [
        after.feature,
        JSON.stringify(before),
        JSON.stringify(after),
        changedBy,
      ]);
    });
  }
}

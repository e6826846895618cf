import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { defaultVariant, FEATURES, PREMIUM_FEATURES, type PremiumFeature } from '../common/features/index.js';
import { APP_CONFIG } from '../config/index.js';
import type { AppConfig } from '../config/index.js';
import { decide, type FlagDecision, type FlagState, type Variant } from './feature-flags.js';

/** How long an instance trusts its copy of the flags table: changes reach every instance within this. */
const REFRESH_MS = 5000;

type Row = { feature: PremiumFeature; enabled: boolean; rollout_percentage: number; variants: Variant[] };

/**
 * Feature flags: the ENABLE_* settings are the defaults, the feature_flags table overrides them
 * at run time.
 */
@Injectable()
export class FeatureFlagsService {
  private cache?: { at: number; flags: Map<PremiumFeature, FlagState> };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async decide(feature: PremiumFeature, studentId: string): Promise<FlagDecision> {
    return decide(await this.get(feature), studentId);
  }

  async get(feature: PremiumFeature): Promise<FlagState> {
    return (await this.all()).get(feature)!;
  }

  async all(): Promise<Map<PremiumFeature, FlagState>> {
    if (this.cache && Date.now() - this.cache.at < REFRESH_MS) return this.cache.flags;
    const rows: Row[] = await this.db.query('SELECT feature, enabled, rollout_percentage, variants FROM feature_flags');
    const flags = new Map<PremiumFeature, FlagState>(PREMIUM_FEATURES.map((f) => [f, this.defaultFor(f)]));
    for (const row of rows) if (flags.has(row.feature)) flags.set(row.feature, { ...row });
    this.cache = { at: Date.now(), flags };
    return flags;
  }

  /** Drops this instance's copy (after a write through this instance). */
  invalidate(): void {
    this.cache = undefined;
  }

  private defaultFor(feature: PremiumFeature): FlagState {
    const enabled = this.config[FEATURES[feature].flag.env];
    return { feature, enabled, rollout_percentage: 100, variants: [{ name: defaultVariant(feature), weight: 100 }] };
  }
}

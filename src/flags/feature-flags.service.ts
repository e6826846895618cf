import { Inject, Injectable } from '@nestjs/common';
import { defaultVariant, FEATURES, PREMIUM_FEATURES, type PremiumFeature } from '../common/features/index.js';
import { APP_CONFIG } from '../config/index.js';
import type { AppConfig } from '../config/index.js';
import { decide, type FlagDecision, type FlagState} from './feature-flags.js';
import { FeatureFlagsRepository } from './feature-flags.repository.js';

/** How long an instance trusts its copy of the flags table: changes reach every instance within this. */
const REFRESH_MS = 5000;

/**
 * Feature flags: the ENABLE_* settings are the defaults, the feature_flags table overrides them
 * at run time.
 */
@Injectable()
export class FeatureFlagsService {
  private cache?: { at: number; flags: Map<PremiumFeature, FlagState> };

  constructor(
    private readonly stored: FeatureFlagsRepository,
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
    const flags = new Map<PremiumFeature, FlagState>(PREMIUM_FEATURES.map((f) => [f, this.defaultFor(f)]));
    for (const row of await this.stored.all()) flags.set(row.feature, row);
    this.cache = { at: Date.now(), flags };
    return flags;
  }

  /** Stores a changed flag with its audit entry; this instance sees it at once, the others within REFRESH_MS. */
  async save(after: FlagState, before: FlagState, changedBy: string): Promise<void> {
    await this.stored.save(after, before, changedBy);
    this.invalidate();
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

import { Inject, Injectable } from '@nestjs/common';
import { Memo } from '../common/cache/index.js';
import { defaultVariant, FEATURES, PREMIUM_FEATURES, type PremiumFeature } from '../common/features/index.js';
import { configSlice, type ConfigOf } from '../config/index.js';
import { decide, type FlagDecision, type FlagState} from './feature-flags.js';
import { FeatureFlagsRepository } from './feature-flags.repository.js';

/** How long an instance trusts its copy of the flags table: changes reach every instance within this. */
const REFRESH_MS = 5000;

/** Each feature's ENABLE_* setting: its flag's default. */
export const featureFlagsConfig = configSlice('feature-flags', PREMIUM_FEATURES.map((f) => FEATURES[f].flag.env));

/**
 * Feature flags: the ENABLE_* settings are the defaults, the feature_flags table overrides them
 * at run time.
 */
@Injectable()
export class FeatureFlagsService {
  private readonly cache = new Memo<Promise<Map<PremiumFeature, FlagState>>>({ max: 1, ttlMs: REFRESH_MS });

  constructor(
    private readonly stored: FeatureFlagsRepository,
    @Inject(featureFlagsConfig.KEY) private readonly config: ConfigOf<typeof featureFlagsConfig>,
  ) {}

  async decide(feature: PremiumFeature, studentId: string): Promise<FlagDecision> {
    return decide(await this.get(feature), studentId);
  }

  async get(feature: PremiumFeature): Promise<FlagState> {
    return (await this.all()).get(feature)!;
  }

  all(): Promise<Map<PremiumFeature, FlagState>> {
    return this.cache.get('flags', async () => {
      const flags = new Map<PremiumFeature, FlagState>(PREMIUM_FEATURES.map((f) => [f, this.defaultFor(f)]));
      for (const row of await this.stored.all()) flags.set(row.feature, row);
      return flags;
    });
  }

  /** Stores a changed flag with its audit entry; this instance sees it at once, the others within REFRESH_MS. */
  async save(after: FlagState, before: FlagState, changedBy: string): Promise<void> {
    await this.stored.save(after, before, changedBy);
    this.invalidate();
  }

  /** Drops this instance's copy (after a write through this instance). */
  invalidate(): void {
    this.cache.clear();
  }

  private defaultFor(feature: PremiumFeature): FlagState {
    const enabled = this.config[FEATURES[feature].flag.env];
    return { feature, enabled, rollout_percentage: 100, variants: [{ name: defaultVariant(feature), weight: 100 }] };
  }
}

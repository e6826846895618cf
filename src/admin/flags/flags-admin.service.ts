import { Injectable } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import type { PremiumFeature } from '../../common/features/index.js';
import type { FlagState } from '../../flags/index.js';
import { FeatureFlagsService } from '../../flags/index.js';
import type { UpdateFlagDto } from './flags.dto.js';

/** Writes feature flags, each change in the audit log with who and when, in one transaction. */
@Injectable()
export class FlagsAdminService {
  constructor(private readonly flags: FeatureFlagsService) {}

  async list(): Promise<FlagState[]> {
    this.flags.invalidate();
    return [...(await this.flags.all()).values()];
  }

  async update(feature: PremiumFeature, change: UpdateFlagDto, adminId: string): Promise<FlagState> {
    if (change.variants && change.variants.length > 0) {
      const names = change.variants.map((v) => v.name);
      if (new Set(names).size !== names.length) throw ApiException.validation([{ field: 'variants', issue: 'names must be unique' }]);
      if (change.variants.every((v) => v.weight === 0)) throw ApiException.validation([{ field: 'variants', issue: 'at least one weight must be above 0' }]);
    }
    this.flags.invalidate();
    const before = await this.flags.get(feature);
    const after: FlagState = {
      feature,
      enabled: change.enabled ?? before.enabled,
      rollout_percentage: change.rollout_percentage ?? before.rollout_percentage,
      variants: change.variants?.map((v) => ({ name: v.name, weight: v.weight })) ?? before.variants,
    };
    await this.flags.save(after, before, adminId);
    return after;
  }
}

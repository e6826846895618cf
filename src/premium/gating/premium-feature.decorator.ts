import { SetMetadata } from '@nestjs/common';
import type { PremiumFeature } from '../../common/features/index.js';

export const PREMIUM_FEATURE = 'premiumFeature';

/** Names the flag that gates a premium route (checked by PremiumGuard). */
export const ForFeature = (feature: PremiumFeature): MethodDecorator => SetMetadata(PREMIUM_FEATURE, feature);

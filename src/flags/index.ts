/** Public API of flags. */
export { FeatureFlagsModule } from './feature-flags.module.js';
export { FeatureFlagsService } from './feature-flags.service.js';
export { PREMIUM_FEATURES, type FlagDecision, type FlagState, type PremiumFeature } from './feature-flags.js';

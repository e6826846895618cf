/** Public API of flags. */
export { FeatureFlagsModule } from './feature-flags.module.js';
export { FeatureFlagsService } from './feature-flags.service.js';
export type { FlagDecision, FlagState } from './feature-flags.js';

/** Public API of common/features: the premium feature registry, the one list every module derives from. */
export {
  defaultVariant,
  featureLabel,
  LLM_FEATURES,
  PREMIUM_FEATURES,
  type FeatureDefinition,
  type FlagSetting,
  type LlmFeature,
  type ModelSetting,
  type PremiumFeature,
  type QuotaLimitSetting,
} from './features.js';
export { FEATURES, type FeatureSpec } from './feature-registry.js';

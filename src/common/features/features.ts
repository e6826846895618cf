// What the rest of the code reads about the premium features, all of it derived from the registry's table.
import { FEATURES } from './feature-registry.js';

export type PremiumFeature = keyof typeof FEATURES;
/** One feature's entry (a union over the registry, so its settings' names stay literal types). */
export type FeatureDefinition = (typeof FEATURES)[PremiumFeature];

/** Every premium feature, in registry order. */
export const PREMIUM_FEATURES = Object.freeze(Object.keys(FEATURES)) as readonly [PremiumFeature, ...PremiumFeature[]];

/** The features that call a model: each premium feature has a model setting. */
export type LlmFeature = PremiumFeature;
export const LLM_FEATURES: readonly LlmFeature[] = PREMIUM_FEATURES;

/** The names of the per-feature settings, as configuration keys. */
export type QuotaLimitSetting = FeatureDefinition['quota']['env'];
export type ModelSetting = FeatureDefinition['model']['env'];
export type FlagSetting = FeatureDefinition['flag']['env'];

/** The variant a student gets when the flag lists none. */
export function defaultVariant(name: PremiumFeature): string {
  return FEATURES[name].flag.variants[0];
}

/** The name in prose (`adaptive paths`), for messages. */
export function featureLabel(name: PremiumFeature): string {
  return name.replaceAll('_', ' ');
}

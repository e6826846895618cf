import { FEATURES, LLM_FEATURES, type LlmFeature, type ModelSetting } from '../../common/features/index.js';
import type { AppConfig } from '../../config/index.js';

/**
 * The model each feature uses: its own setting, else LLM_MODEL, else ANTHROPIC_MODEL, else the
 * feature's default from the registry (a Claude model: the OpenAI-compatible provider must be given a name).
 */
export type ModelSettings = Partial<Pick<AppConfig, 'ANTHROPIC_MODEL' | 'LLM_MODEL' | ModelSetting>>;

export function configuredModel(feature: LlmFeature, config: ModelSettings): string | undefined {
  return config[FEATURES[feature].model.env] ?? config.LLM_MODEL ?? config.ANTHROPIC_MODEL;
}

export function modelFor(feature: LlmFeature, config: ModelSettings): string {
  return configuredModel(feature, config) ?? FEATURES[feature].model.default;
}

/** The boot error for an OpenAI-compatible server with a feature that has no model name. */
export function missingModelProblem(config: ModelSettings): string | undefined {
  const missing = LLM_FEATURES.filter((feature) => configuredModel(feature, config) === undefined);
  if (missing.length === 0) return undefined;
  return (
    `Invalid configuration: LLM_BASE_URL is set but no model is named for ${inProse(missing)}; ` +
    `set LLM_MODEL (or ${inProse(LLM_FEATURES.map((f) => FEATURES[f].model.env))}) to a model the server serves`
  );
}


/** `a`, `a and b`, `a, b and c`. */
function inProse(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

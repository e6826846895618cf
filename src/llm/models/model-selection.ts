import type { AppConfig } from '../../config/index.js';
import type { LlmFeature } from '../llm-client.port.js';

/**
 * Each feature's model when nothing is configured: planning a path reads the whole course map and
 * the student's evidence (Sonnet); grading one short answer against its rubric is a small, tightly
 * checked task (Haiku, a twentieth of Sonnet's price per token; grade-guards.ts bounds what any
 * model may award).
 */
export const LLM_FEATURES: readonly LlmFeature[] = ['adaptive_paths', 'assessments'];

export const DEFAULT_MODELS: Readonly<Record<LlmFeature, string>> = {
  adaptive_paths: 'claude-sonnet-5-5',
  assessments: 'claude-haiku-5-5',
};

/**
 * The model each feature uses: its own setting, else LLM_MODEL, else ANTHROPIC_MODEL, else the
 * feature's default (a Claude model: the OpenAI-compatible provider must be given a name).
 */
export type ModelSettings = Partial<Pick<AppConfig, 'ANTHROPIC_MODEL' | 'LLM_MODEL' | 'LLM_MODEL_ADAPTIVE_PATH' | 'LLM_MODEL_ASSESSMENT'>>;

export function configuredModel(feature: LlmFeature, config: ModelSettings): string | undefined {
  const own = feature === 'adaptive_paths' ? config.LLM_MODEL_ADAPTIVE_PATH : config.LLM_MODEL_ASSESSMENT;
  return own ?? config.LLM_MODEL ?? config.ANTHROPIC_MODEL;
}

export function modelFor(feature: LlmFeature, config: ModelSettings): string {
  return configuredModel(feature, config) ?? DEFAULT_MODELS[feature];
}

/** The boot error for an OpenAI-compatible server with a feature that has no model name. */
export function missingModelProblem(config: ModelSettings): string | undefined {
  const missing = LLM_FEATURES.filter((feature) => configuredModel(feature, config) === undefined);
  if (missing.length === 0) return undefined;
  return (
    `Invalid configuration: LLM_BASE_URL is set but no model is named for ${missing.join(' and ')}; ` +
    'set LLM_MODEL (or LLM_MODEL_ADAPTIVE_PATH and LLM_MODEL_ASSESSMENT) to a model the server serves'
  );
}


import type { AppConfig } from '../../config/index.js';
import type { LlmFeature } from '../llm-client.port.js';

/**
 * Each feature's model when nothing is configured: planning a path reads the whole course map and
 * the student's evidence (Sonnet); grading one short answer against its rubric is a small, tightly
 * checked task (Haiku, a twentieth of Sonnet's price per token; grade-guards.ts bounds what any
 * model may award).
 */
export const DEFAULT_MODELS: Readonly<Record<LlmFeature, string>> = {
  adaptive_paths: 'claude-sonnet-5-5',
  assessments: 'claude-haiku-5-5',
};

/** The model each feature uses: its own setting, else ANTHROPIC_MODEL, else the feature's default. */
export type ModelSettings = Partial<Pick<AppConfig, 'ANTHROPIC_MODEL' | 'LLM_MODEL_ADAPTIVE_PATH' | 'LLM_MODEL_ASSESSMENT'>>;

export function modelFor(feature: LlmFeature, config: ModelSettings): string {
  switch (feature) {
    case 'adaptive_paths':
      return config.LLM_MODEL_ADAPTIVE_PATH ?? config.ANTHROPIC_MODEL ?? DEFAULT_MODELS.adaptive_paths;
    case 'assessments':
      return config.LLM_MODEL_ASSESSMENT ?? config.ANTHROPIC_MODEL ?? DEFAULT_MODELS.assessments;
  }
}

export const LLM_FEATURES: readonly LlmFeature[] = ['adaptive_paths', 'assessments'];

import type { AppConfig } from '../../config/config.loader.js';
import type { LlmFeature } from '../llm-client.port.js';

/** The model each feature uses: its own setting, else ANTHROPIC_MODEL. */
export type ModelSettings = Pick<AppConfig, 'ANTHROPIC_MODEL'> &
  Partial<Pick<AppConfig, 'LLM_MODEL_ADAPTIVE_PATH' | 'LLM_MODEL_ASSESSMENT'>>;

export function modelFor(feature: LlmFeature, config: ModelSettings): string {
  switch (feature) {
    case 'adaptive_paths':
      return config.LLM_MODEL_ADAPTIVE_PATH ?? config.ANTHROPIC_MODEL;
    case 'assessments':
      return config.LLM_MODEL_ASSESSMENT ?? config.ANTHROPIC_MODEL;
  }
}

export const LLM_FEATURES: readonly LlmFeature[] = ['adaptive_paths', 'assessments'];

import { ConfigError, type AppConfig } from './config/config.loader.js';
import { missingModelProblem } from './llm/models/model-selection.js';
import { priceSettingsProblem } from './llm/pricing/configured-price.js';
import { gradingBudgetProblems } from './premium/assessments/grading-budget.js';

/**
 * Settings that are valid one by one but cannot work together: an OpenAI-compatible server with
 * no model name, half a price, a job timeout no grading fits in. Throws a one-line ConfigError.
 */
export function assertBootable(config: AppConfig): AppConfig {
  const problem =
    priceSettingsProblem(config) ??
    (config.ANTHROPIC_API_KEY || !config.LLM_BASE_URL ? undefined : missingModelProblem(config)) ??
    gradingBudgetProblems(config).error;
  if (problem) throw new ConfigError(problem);
  return config;
}

import { ConfigError, type AppConfig } from './config/index.js';
import { missingModelProblem, priceSettingsProblem } from './llm/index.js';
import { gradingBudgetProblems } from './premium/index.js';

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

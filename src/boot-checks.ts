import { ConfigError, configFromEnvironment, type AppConfig } from './config/index.js';
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

/**
 * The configuration both entry points (API and worker) boot with, or its one-line error on stderr
 * and exit code 1: a bad setting is the operator's to fix, not a stack trace.
 */
export function bootConfigOrExit(): AppConfig {
  try {
    return assertBootable(configFromEnvironment());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

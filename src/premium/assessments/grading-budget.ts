import type { AppConfig } from '../../config/index.js';

type BudgetSettings = Pick<AppConfig, 'GRADING_JOB_TIMEOUT_SECONDS' | 'ANTHROPIC_TIMEOUT' | 'ANTHROPIC_MAX_RETRIES'>;

/** Left between the grading deadline and the job's expiry: saving the grade, the lease's margin. */
const SAVE_MARGIN_MS = 1500;
const MIN_BUDGET_MS = 1000;

/**
 * The whole grading's deadline (every model call, retry and regrade), always below the job's
 * expiry: pg-boss hands an expired job to another worker, so a grading that outlived it would be
 * done, and paid for, twice.
 */
export function gradingBudgetMs(config: Pick<BudgetSettings, 'GRADING_JOB_TIMEOUT_SECONDS'>): number {
  const jobMs = config.GRADING_JOB_TIMEOUT_SECONDS * 1000;
  return jobMs - Math.max(SAVE_MARGIN_MS, Math.round(jobMs * 0.1));
}

/** A boot error when no grading fits in the job timeout, else warnings about cut-short attempts. */
export function gradingBudgetProblems(config: BudgetSettings): { error?: string; warnings: string[] } {
  const budget = gradingBudgetMs(config);
  if (budget < MIN_BUDGET_MS) {
    return {
      error:
        `Invalid configuration: GRADING_JOB_TIMEOUT_SECONDS=${config.GRADING_JOB_TIMEOUT_SECONDS} leaves ${Math.max(0, budget)} ms ` +
        `for grading; it must be at least ${Math.ceil((MIN_BUDGET_MS + SAVE_MARGIN_MS) / 1000)}`,
      warnings: [],
    };
  }
  const attemptMs = config.ANTHROPIC_TIMEOUT * 1000;
  const warnings: string[] = [];
  if (attemptMs > budget) {
    warnings.push(`ANTHROPIC_TIMEOUT=${config.ANTHROPIC_TIMEOUT}s exceeds the grading deadline of ${budget} ms (from GRADING_JOB_TIMEOUT_SECONDS); grading attempts are cut at the deadline`);
  } else if (attemptMs * (config.ANTHROPIC_MAX_RETRIES + 1) > budget) {
    warnings.push(
      `${config.ANTHROPIC_MAX_RETRIES + 1} attempts of ANTHROPIC_TIMEOUT=${config.ANTHROPIC_TIMEOUT}s do not fit the grading deadline of ` +
        `${budget} ms (from GRADING_JOB_TIMEOUT_SECONDS); retries stop at the deadline and the rules grader answers`,
    );
  }
  return { warnings };
}

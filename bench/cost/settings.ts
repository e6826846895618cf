/** The simulated month and the documented facts the cost bench rests on (sources beside each). */
import { MINUTE } from './workload.js';

export const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 1000);
export const FULL_POPULATION = 1000;
export const SEED = process.env.BENCH_SEED ?? 'cost-per-student-v1';
export const MONTH_START = Date.UTC(2026, 10, 1); // November 2026: the price list's current rows apply.
export const DAYS = 30;
/** LLM_COST_ALERT_THRESHOLD in the quickstart (seeds/001): alert above $0.50 per student-month. */
export const BUDGET_MICRO = 500_000;
export const TARGET_MICRO = 50_000;
/** Issue 15: the realistic month (today's use plus 20 tutor questions and 8 study requests) at or under $0.06 in total. */
export const MONTH_TARGET_MICRO = 60_000;
export const CACHE_TTL_MS = 5 * MINUTE;

/**
 * Minimum cacheable prompt length per model family: a marked prefix shorter than this is silently
 * not cached (no error, billed as plain input).
 */
export const CACHE_MINIMUMS: readonly { match: RegExp; tokens: number }[] = [
  { match: /^claude-opus-5(-|$)/, tokens: 512 },
  { match: /^claude-sonnet-5(-|$)/, tokens: 1024 },
  // Not published for Haiku 5.5 in the sources found; Haiku 4.5's 4,096 is assumed.
  { match: /^claude-haiku-5(-|$)/, tokens: 4096 },
  { match: /^claude-sonnet-4-5/, tokens: 1024 },
  { match: /^claude-(haiku|opus)-4-5/, tokens: 4096 },
];
export const CACHE_MINIMUM_SOURCES = [
  'https://docs.litellm.ai/docs/completion/prompt_caching (2026-10-07: Opus 5 512; Sonnet 5, Sonnet 4.x 1,024; Haiku 4.5, Opus 4.5 4,096)',
  'https://dev.to/creeta/claudes-prompt-cache-fails-silently-below-1024-tokens-1ch1 (same table; no error below it)',
  'https://github.com/anthropics/anthropic-sdk-python/issues/1194 (Anthropic docs quoted: Sonnet 4.5 1,024; Haiku 4.5 4,096)',
];
export const cacheMinimum = (model: string): number => CACHE_MINIMUMS.find((m) => m.match.test(model))?.tokens ?? 4096;

/**
 * Thinking tokens per call (assumption; adaptive thinking, billed as output and counted against
 * max_tokens): with probability `p` the model thinks, for a log-normal count around `median`
 * (sigma 0.6). The API's default effort is high. The tutor answers from given passages (about
 * as much thinking as a path); a study generation reads a whole chapter (more than grading).
 */
export const THINKING = {
  low: { adaptive_paths: { p: 0.4, median: 120 }, assessments: { p: 0.5, median: 180 }, tutor_questions: { p: 0.4, median: 150 }, study_tools: { p: 0.6, median: 300 } },
  medium: { adaptive_paths: { p: 0.8, median: 300 }, assessments: { p: 0.85, median: 450 }, tutor_questions: { p: 0.8, median: 350 }, study_tools: { p: 0.9, median: 700 } },
  high: { adaptive_paths: { p: 1, median: 450 }, assessments: { p: 1, median: 800 }, tutor_questions: { p: 1, median: 600 }, study_tools: { p: 1, median: 1200 } },
} as const;
export const THINKING_SIGMA = 0.6;
/** Share of model grades whose total disagrees with its criteria (the app then regrades once). */
export const INCONSISTENT_GRADES = 0.01;

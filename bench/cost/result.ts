/** What one simulated configuration of the cost bench adds up to (filled by the stand-ins, printed by report.ts). */
import type { TokenUsage } from '../../src/llm/pricing/cost-calculator.js';
import type { PremiumRequestRecord } from '../../src/usage/premium-requests.service.js';

export type Feature = 'adaptive_paths' | 'assessments';

export type Tokens = { input: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number; output: number; thinking: number };
export const noTokens = (): Tokens => ({ input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0, thinking: 0 });

/** One provider call, for the re-pricing what-ifs. */
export type CallRecord = {
  feature: Feature;
  model: string;
  at: number;
  usage: TokenUsage;
  prefixTokens: number;
  prefixKey: number;
  reasoningTokens: number;
  student: number;
};

export type Sources = Record<PremiumRequestRecord['source'], number>;
export const noSources = (): Sources => ({ llm: 0, rules: 0, cache: 0, fallback: 0, rejected: 0 });

export type Result = {
  key: string;
  title: string;
  models: Record<Feature, string>;
  effort: string;
  responseCache: boolean;
  promptCacheMinimum: Record<Feature, number>;
  perStudent: number[];
  perStudentFeature: Record<Feature, number[]>;
  totalMicro: number;
  featureMicro: Record<Feature, number>;
  requests: Record<Feature, Sources>;
  quotaRefused: number;
  calls: Record<Feature, { total: number; ok: number; badOutput: number; otherErrors: number; truncated: number }>;
  tokens: Record<Feature, Tokens>;
  composition: { schema: number; system: number; perCall: number };
  cacheCalls: { read: number; write: number; neither: number };
  pricingMismatches: number;
  usageMismatches: number;
  log: CallRecord[];
  seconds: number;
};

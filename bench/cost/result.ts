/** What one simulated configuration of the cost bench adds up to (filled by the stand-ins, printed by report.ts). */
import type { TokenUsage } from '../../src/llm/pricing/cost-calculator.js';
import type { PremiumRequestRecord } from '../../src/usage/premium-requests.service.js';

/** The features the simulation runs through the app's services. */
export type Feature = 'adaptive_paths' | 'assessments' | 'tutor_questions' | 'study_tools';
export const SIMULATED: readonly Feature[] = ['adaptive_paths', 'assessments', 'tutor_questions', 'study_tools'];
export const perFeature = <T>(make: (f: Feature) => T): Record<Feature, T> =>
  Object.fromEntries(SIMULATED.map((f) => [f, make(f)])) as Record<Feature, T>;

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
  /** The tutor's own figures (cache hits by kind of question, off-course answers). */
  tutor: TutorTally;
  /** The study tools' own figures (per tool, served from the store). */
  study: StudyTally;
  seconds: number;
};

/** How the tutor's questions were served, by kind of question (see tutor-workload.ts). */
export type TutorTally = {
  asked: number;
  offCourse: number;
  sharedHits: number;
  /** Questions that could use the shared cache (no conversation); hits are counted against these. */
  shareable: number;
  followUps: number;
  /** Questions the pool labels as on course that the search stand-in found nothing relevant for. */
  missedOnCourse: number;
  /** Off-course questions of the pool that the stand-in found relevant sections for. */
  answeredOffCourse: number;
};
export const noTutorTally = (): TutorTally => ({ asked: 0, offCourse: 0, sharedHits: 0, shareable: 0, followUps: 0, missedOnCourse: 0, answeredOffCourse: 0 });

/** How the study requests were served, per tool of the workload (study-tools.ts). */
export type StudyTally = {
  requests: number;
  /** Requests that generated (the model, or the rules after a failure): not served from the store. */
  generations: number;
  served: number;
  byTool: Record<'summary' | 'flashcards' | 'practice', { requests: number; generations: number; micro: number }>;
  /** Tokens of each generation's prompt parts, from the bodies the fake received. */
  prompt: { systemMin: number; systemMax: number; schemaMin: number; schemaMax: number; chapterMin: number; chapterMax: number };
};
export const noStudyTally = (): StudyTally => ({
  requests: 0,
  generations: 0,
  served: 0,
  byTool: { summary: { requests: 0, generations: 0, micro: 0 }, flashcards: { requests: 0, generations: 0, micro: 0 }, practice: { requests: 0, generations: 0, micro: 0 } },
  prompt: { systemMin: Infinity, systemMax: 0, schemaMin: Infinity, schemaMax: 0, chapterMin: 0, chapterMax: 0 },
});

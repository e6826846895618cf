/**
 * LLM cost per premium student-month. `npm run bench:cost` (no database, no Redis, no network).
 *
 * Simulates a calendar month of premium students (BENCH_STUDENTS, default 1,000), each using every
 * premium feature up to the quota, and runs every premium request through the app's own code: the
 * real AdaptivePathService (rules draft, 24 h response cache invalidated by a finished quiz, quota
 * unit, static/LLM decision) and the real AssessmentGraderService (grader prompt with its cached
 * prefix, one regrade on a bad answer, rules fallback), both over the real LlmGateway and Anthropic
 * adapter (model per feature, effort, cache_control placement, resilience, exact pricing), talking
 * HTTP to the fake Messages API. The fake is given a real tokenizer, the simulated clock, each
 * model's minimum cacheable prefix, thinking tokens per effort and the structured-output schema as
 * input, so the usage it reports is what the real API would bill. Money is integer micro-dollars,
 * priced by the app's price list and cost calculator from that usage.
 *
 * Two configurations over the same month: (a) the app's defaults; (b) a naive one: Sonnet for
 * everything, no prompt caching, no response cache, effort high. Prints figures and one JSON line.
 */
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { getTokenizer } from '@anthropic-ai/tokenizer';
import { Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { progress, type Progress } from '../../src/common/cli/index.js';
import type { DataSource } from 'typeorm';
import type { KeyValueStore } from '../../src/common/cache/key-value-store.js';
import { projectRoot } from '../../src/common/paths/project-root.js';
import { loadConfig, type AppConfig } from '../../src/config/config.loader.js';
import type { ChaptersService } from '../../src/core/content/chapters.service.js';
import type { ChapterAttempts, QuizResultsRepository } from '../../src/core/quizzes/quiz-results.repository.js';
import { loadCourse } from '../../src/database/seeding/content.loader.js';
import { LlmGateway } from '../../src/llm/llm-gateway.service.js';
import { createAdapter } from '../../src/llm/llm.module.js';
import { modelFor } from '../../src/llm/models/model-selection.js';
import { formatUsd, parseUsd } from '../../src/common/money/index.js';
import { computeCost, type TokenUsage } from '../../src/llm/pricing/cost-calculator.js';
import { LlmPolicies, policyOptions } from '../../src/llm/resilience/llm-policies.js';
import { pathSchema, pathSystemPrompt } from '../../src/premium/adaptive/adaptive-path.prompt.js';
import { AdaptivePathService } from '../../src/premium/adaptive/adaptive-path.service.js';
import type { AdaptivePathsRepository } from '../../src/premium/adaptive/adaptive-paths.repository.js';
import { rulesPath, type ChapterEvidence, type Recommendation } from '../../src/premium/adaptive/path-rules.js';
import { AssessmentGraderService, billingOf, type Pending } from '../../src/premium/assessments/assessment-grader.service.js';
import type { AssessmentQuestion } from '../../src/premium/assessments/assessment-questions.repository.js';
import { graderSchema, graderSystem } from '../../src/premium/assessments/grader.prompt.js';
import type { PremiumRequestRecord, PremiumRequestsService } from '../../src/usage/premium-requests.service.js';
import type { QuotaService } from '../../src/usage/quota/quota.service.js';
import type { UsageEntry, UsageLogService } from '../../src/usage/usage-log.service.js';
import { FakeAnthropicServer } from '../../test/fakes/anthropic/index.js';
import { logNormal, rngFor } from './random.js';
import { TextBank, type StudentAnswer } from './texts.js';
import { buildWorkload, DAY, MINUTE, type SimEvent, type Student } from './workload.js';

// --- Settings and documented facts -------------------------------------------------------------

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 1000);
const FULL_POPULATION = 1000;
const SEED = process.env.BENCH_SEED ?? 'cost-per-student-v1';
const MONTH_START = Date.UTC(2026, 10, 1); // November 2026: the price list's current rows apply.
const DAYS = 30;
/** LLM_COST_ALERT_THRESHOLD in the quickstart (seeds/001): alert above $0.50 per student-month. */
const BUDGET_MICRO = 500_000;
const TARGET_MICRO = 50_000;
const CACHE_TTL_MS = 5 * MINUTE;

/**
 * Minimum cacheable prompt length per model family: a marked prefix shorter than this is silently
 * not cached (no error, billed as plain input).
 */
const CACHE_MINIMUMS: readonly { match: RegExp; tokens: number }[] = [
  { match: /^claude-opus-5(-|$)/, tokens: 512 },
  { match: /^claude-sonnet-5(-|$)/, tokens: 1024 },
  // Not published for Haiku 5.5 in the sources found; Haiku 4.5's 4,096 is assumed.
  { match: /^claude-haiku-5(-|$)/, tokens: 4096 },
  { match: /^claude-sonnet-4-5/, tokens: 1024 },
  { match: /^claude-(haiku|opus)-4-5/, tokens: 4096 },
];
const CACHE_MINIMUM_SOURCES = [
  'https://docs.litellm.ai/docs/completion/prompt_caching (2026-10-07: Opus 5 512; Sonnet 5, Sonnet 4.x 1,024; Haiku 4.5, Opus 4.5 4,096)',
  'https://dev.to/creeta/claudes-prompt-cache-fails-silently-below-1024-tokens-1ch1 (same table; no error below it)',
  'https://github.com/anthropics/anthropic-sdk-python/issues/1194 (Anthropic docs quoted: Sonnet 4.5 1,024; Haiku 4.5 4,096)',
];
const cacheMinimum = (model: string): number => CACHE_MINIMUMS.find((m) => m.match.test(model))?.tokens ?? 4096;

/**
 * Thinking tokens per call (assumption; adaptive thinking, billed as output and counted against
 * max_tokens): with probability `p` the model thinks, for a log-normal count around `median`
 * (sigma 0.6). The API's default effort is high.
 */
const THINKING = {
  low: { adaptive_paths: { p: 0.4, median: 120 }, assessments: { p: 0.5, median: 180 } },
  medium: { adaptive_paths: { p: 0.8, median: 300 }, assessments: { p: 0.85, median: 450 } },
  high: { adaptive_paths: { p: 1, median: 450 }, assessments: { p: 1, median: 800 } },
} as const;
const THINKING_SIGMA = 0.6;
/** Share of model grades whose total disagrees with its criteria (the app then regrades once). */
const INCONSISTENT_GRADES = 0.01;

// --- Tokens ------------------------------------------------------------------------------------

const tokenizer = getTokenizer();
const memo = new Map<string, number>();
/** @anthropic-ai/tokenizer's count (NFKC, all special tokens allowed), with the one encoder kept. */
function countTokens(text: string): number {
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const n = tokenizer.encode(text.normalize('NFKC'), 'all').length;
  if (memo.size < 200_000) memo.set(text, n);
  return n;
}

// --- Simulation state shared with the fake's callbacks (calls run one at a time) ----------------

type Feature = 'adaptive_paths' | 'assessments';
type CallContext =
  | { feature: 'adaptive_paths'; seed: string; draft: Recommendation[] }
  | { feature: 'assessments'; seed: string; question: AssessmentQuestion; answer: StudentAnswer };

const clock = { now: MONTH_START };
let context: CallContext | null = null;
let callNo = 0;
let lastThinking = 0;
let lastReasoningTokens = 0;
/** Tokens of the answer text the fake was given for the last call (before any cut at max_tokens). */
let lastAnswerTokens = 0;

function thinkingFor(body: any): number {
  if (!context) return 0;
  const effort = (body?.output_config?.effort ?? 'high') as keyof typeof THINKING;
  const shape = THINKING[effort][context.feature];
  const rng = rngFor(SEED, 'think', context.seed, callNo);
  const tokens = rng() < shape.p ? Math.round(logNormal(rng, shape.median, THINKING_SIGMA)) : 0;
  lastThinking = Math.min(tokens, Number(body?.max_tokens ?? tokens));
  return tokens;
}

function answerFor(bank: TextBank) {
  return (): unknown => {
    if (!context) return undefined;
    callNo++;
    const rng = rngFor(SEED, 'answer', context.seed, callNo);
    if (context.feature === 'adaptive_paths') {
      const plan = bank.path(rng, context.draft);
      lastReasoningTokens = countTokens(JSON.stringify(plan.reasoning));
      lastAnswerTokens = countTokens(JSON.stringify(plan));
      return plan;
    }
    lastReasoningTokens = 0;
    const grade = bank.grade(rng, context.question, context.answer, rng() >= INCONSISTENT_GRADES);
    lastAnswerTokens = countTokens(JSON.stringify(grade));
    return grade;
  };
}

// --- Accounting --------------------------------------------------------------------------------

type Tokens = { input: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number; output: number; thinking: number };
const noTokens = (): Tokens => ({ input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0, thinking: 0 });

/** One provider call, for the re-pricing what-ifs. */
type CallRecord = {
  feature: Feature;
  model: string;
  at: number;
  usage: TokenUsage;
  prefixTokens: number;
  prefixKey: number;
  reasoningTokens: number;
  student: number;
};

type Sources = Record<PremiumRequestRecord['source'], number>;
const noSources = (): Sources => ({ llm: 0, rules: 0, cache: 0, fallback: 0, rejected: 0 });

type Result = {
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

// --- Stand-ins for PostgreSQL, Redis and the quota table ---------------------------------------

type StudentState = { attempts: Map<string, { attempts: number; best: number; passed: boolean }>; lastQuizAt: number | null };

function isoMicros(ms: number): string {
  // The repository's format: to_char(... 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"').
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

async function runScenario(
  scenario: { key: string; title: string; env: Record<string, string>; promptCaching: boolean; enforcePathQuota: boolean },
  students: Student[],
  events: SimEvent[],
  catalog: { chapter_id: string; title: string; order: number; prerequisites: string[] }[],
  bank: TextBank,
): Promise<Result> {
  const started = performance.now();
  const fake = await FakeAnthropicServer.start({
    countTokens,
    now: () => clock.now,
    minCacheableTokens: scenario.promptCaching ? cacheMinimum : () => Infinity,
    thinkingTokens: thinkingFor,
    countOutputFormat: true,
  });
  fake.respondWith(answerFor(bank));
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET_KEY: 'bench-secret-that-is-long-enough-0000000000',
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: fake.url,
    ...scenario.env,
  });
  const models = { adaptive_paths: modelFor('adaptive_paths', config), assessments: modelFor('assessments', config) };

  const result: Result = {
    key: scenario.key,
    title: scenario.title,
    models,
    effort: config.LLM_EFFORT,
    responseCache: config.ENABLE_PHASE2_CACHING,
    promptCacheMinimum: {
      adaptive_paths: scenario.promptCaching ? cacheMinimum(models.adaptive_paths) : Infinity,
      assessments: scenario.promptCaching ? cacheMinimum(models.assessments) : Infinity,
    },
    perStudent: students.map(() => 0),
    perStudentFeature: { adaptive_paths: students.map(() => 0), assessments: students.map(() => 0) },
    totalMicro: 0,
    featureMicro: { adaptive_paths: 0, assessments: 0 },
    requests: { adaptive_paths: noSources(), assessments: noSources() },
    quotaRefused: 0,
    calls: {
      adaptive_paths: { total: 0, ok: 0, badOutput: 0, otherErrors: 0, truncated: 0 },
      assessments: { total: 0, ok: 0, badOutput: 0, otherErrors: 0, truncated: 0 },
    },
    tokens: { adaptive_paths: noTokens(), assessments: noTokens() },
    composition: { schema: 0, system: 0, perCall: 0 },
    cacheCalls: { read: 0, write: 0, neither: 0 },
    pricingMismatches: 0,
    usageMismatches: 0,
    log: [],
    seconds: 0,
  };
  const indexOf = new Map(students.map((s) => [s.id, s.index]));
  const prefixIds = new Map<string, number>();

  const usage = {
    async record(entry: UsageEntry): Promise<void> {
      if (entry.attempt === 0) return; // a marker row (rejected before any call, or the fallback served)
      const feature = entry.feature as Feature;
      const student = indexOf.get(entry.studentId ?? '') ?? -1;
      const micro = parseUsd(entry.costUsd);
      const tokenUsage: TokenUsage = {
        inputTokens: entry.tokensInput,
        outputTokens: entry.tokensOutput,
        cacheReadTokens: entry.cacheReadTokens,
        cacheWrite5mTokens: entry.cacheWrite5mTokens,
        cacheWrite1hTokens: entry.cacheWrite1hTokens,
      };
      // The gateway priced it at the wall clock; the month is priced at its own dates. Same rows here.
      const batched = entry.providerRequestId?.startsWith('msgbatch_') === true;
      const atSim = computeCost(entry.model, tokenUsage, { at: new Date(clock.now), batch: batched });
      if (atSim.microUsd !== micro || atSim.priced !== 'listed' || entry.priceSource !== 'listed') result.pricingMismatches++;

      result.totalMicro += micro;
      result.featureMicro[feature] += micro;
      if (student >= 0) {
        result.perStudent[student]! += micro;
        result.perStudentFeature[feature][student]! += micro;
      }
      const calls = result.calls[feature];
      calls.total++;
      if (entry.outcome === 'success') calls.ok++;
      else if (entry.errorCode === 'bad_output') calls.badOutput++;
      else calls.otherErrors++;
      const t = result.tokens[feature];
      t.input += entry.tokensInput;
      t.cacheWrite5m += entry.cacheWrite5mTokens;
      t.cacheWrite1h += entry.cacheWrite1hTokens;
      t.cacheRead += entry.cacheReadTokens;
      t.output += entry.tokensOutput;
      t.thinking += lastThinking;
      if (entry.cacheReadTokens > 0) result.cacheCalls.read++;
      else if (entry.cacheWrite5mTokens + entry.cacheWrite1hTokens > 0) result.cacheCalls.write++;
      else result.cacheCalls.neither++;

      // What the request held, from the body the fake received (the last one: calls run one at a time).
      const body = fake.requests.at(-1)?.body;
      const schemaText = JSON.stringify(body?.output_config?.format?.schema ?? '');
      const systemTexts: string[] = (body?.system ?? []).map((b: { text: string }) => b.text);
      const schema = countTokens(schemaText);
      const system = systemTexts.reduce((s, text) => s + countTokens(text), 0);
      const perCall = countTokens(String(body?.messages?.[0]?.content ?? ''));
      if (schema + system + perCall !== entry.tokensInput + entry.cacheReadTokens + entry.cacheWrite5mTokens + entry.cacheWrite1hTokens) {
        result.usageMismatches++;
      }
      // Cut off: thinking plus the answer did not fit in max_tokens (the fake's rule, as the API's).
      if (entry.errorCode === 'bad_output' && lastThinking + lastAnswerTokens > Number(body?.max_tokens)) calls.truncated++;
      result.composition.schema += schema;
      result.composition.system += system;
      result.composition.perCall += perCall;
      const prefix = `${entry.model}\u0000${schemaText}\u0000${systemTexts.join('\u0000')}`;
      let prefixKey = prefixIds.get(prefix);
      if (prefixKey === undefined) prefixIds.set(prefix, (prefixKey = prefixIds.size));
      result.log.push({
        feature,
        model: entry.model,
        at: clock.now,
        usage: tokenUsage,
        prefixTokens: schema + system,
        prefixKey,
        reasoningTokens: entry.outcome === 'success' ? lastReasoningTokens : 0,
        student,
      });
    },
  } as unknown as UsageLogService;

  const requests = {
    record(entry: PremiumRequestRecord): void {
      result.requests[entry.feature][entry.source]++;
    },
  } as unknown as PremiumRequestsService;

  const policies = new LlmPolicies(policyOptions(config));
  const gateway = new LlmGateway(createAdapter(config), usage, policies, config);

  // Per-student quiz history, as quiz_results would hold it.
  const state: StudentState[] = students.map(() => ({ attempts: new Map(), lastQuizAt: null }));
  const byId = (studentId: string) => state[indexOf.get(studentId)!]!;
  const results = {
    async latestCompletedAt(studentId: string): Promise<string | null> {
      const at = byId(studentId).lastQuizAt;
      return at === null ? null : isoMicros(at);
    },
    async attemptsByChapter(studentId: string): Promise<ChapterAttempts[]> {
      const s = byId(studentId);
      const latest = s.lastQuizAt === null ? null : isoMicros(s.lastQuizAt);
      return catalog.map((c) => {
        const a = s.attempts.get(c.chapter_id);
        return {
          chapter_id: c.chapter_id,
          attempts: a?.attempts ?? 0,
          best_percentage: a ? String(a.best) : null,
          passed: a?.passed ?? false,
          latest_completed_at: latest,
        };
      });
    },
  } as unknown as QuizResultsRepository;
  const chapters = { catalog: async () => catalog } as unknown as ChaptersService;
  const store = new Map<string, { value: string; expiresAt: number }>();
  const kv: KeyValueStore = {
    kind: 'memory',
    async get(key) {
      const hit = store.get(key);
      return hit && hit.expiresAt > clock.now ? hit.value : null;
    },
    async set(key, value, ttlSeconds) {
      store.set(key, { value, expiresAt: clock.now + ttlSeconds * 1000 });
    },
    async delete(key) {
      store.delete(key);
    },
  };
  const used = new Map<string, number>();
  const pathLimit = scenario.enforcePathQuota ? config.PREMIUM_ADAPTIVE_PATHS_LIMIT : Number.POSITIVE_INFINITY;
  const quota = {
    async take(studentId: string, feature: Feature) {
      const key = `${studentId}:${feature}`;
      const n = used.get(key) ?? 0;
      const limit = feature === 'adaptive_paths' ? pathLimit : config.PREMIUM_ASSESSMENTS_LIMIT;
      const status = { feature, used: n, limit, period: '2026-11', resets_at: new Date(MONTH_START + DAYS * DAY).toISOString() };
      if (n >= limit) return { granted: false, status };
      used.set(key, n + 1);
      let settled = false;
      const refund = async () => {
        if (settled) return undefined;
        settled = true;
        used.set(key, (used.get(key) ?? 1) - 1);
        return used.get(key);
      };
      return {
        granted: true,
        status,
        charge: async () => {
          settled = true;
        },
        refund,
        giveBack: async () => void (await refund()),
      };
    },
    async mirrorUsed() {},
  } as unknown as QuotaService;
  const pathsDb = {
    query: async () => [],
    transaction: async <T>(work: (tx: { query: () => Promise<unknown[]> }) => Promise<T>) => work({ query: async () => [] }),
  } as unknown as DataSource;
  // Paths are cached in the store above; the stored-path fallback and build claims have nothing to add here.
  const pathRows = {
    latest: async () => undefined,
    insert: async () => undefined,
    claimBuild: async () => true,
    releaseBuild: async () => undefined,
  } as unknown as AdaptivePathsRepository;
  const paths = new AdaptivePathService(pathsDb, chapters, results, quota, gateway, kv, config, requests, pathRows);

  let pending: Record<string, unknown> | null = null;
  const graderDb = {
    query: async (sql: string) =>
      sql.trimStart().startsWith('SELECT') && pending ? [pending] : sql.includes('RETURNING') && pending ? [{ submission_id: pending.submission_id }] : [],
    transaction: async (work: (tx: { query: (sql: string) => Promise<unknown[]> }) => Promise<boolean>) =>
      work({ query: async (sql: string) => (sql.includes('INSERT INTO assessment_feedback') ? [{ submission_id: pending?.submission_id }] : []) }),
  } as unknown as DataSource;
  const grader = new AssessmentGraderService(graderDb, gateway, requests, config);

  const evidenceOf = (s: StudentState): ChapterEvidence[] =>
    catalog.map((c) => {
      const a = s.attempts.get(c.chapter_id);
      return { ...c, attempts: a?.attempts ?? 0, best_percentage: a ? a.best : null, passed: a?.passed ?? false };
    });

  let simulated = 0;
  try {
    for (const ev of events) {
      if (++simulated % 500 === 0) reportProgress(scenario.key, simulated);
      clock.now = ev.at;
      const student = students[ev.student]!;
      const s = state[ev.student]!;
      if (ev.kind === 'quiz') {
        const a = s.attempts.get(ev.chapterId) ?? { attempts: 0, best: 0, passed: false };
        s.attempts.set(ev.chapterId, { attempts: a.attempts + 1, best: Math.max(a.best, ev.percentage), passed: a.passed || ev.passed });
        s.lastQuizAt = ev.at;
        continue;
      }
      callNo = 0;
      if (ev.kind === 'path') {
        context = { feature: 'adaptive_paths', seed: String(ev.seq), draft: rulesPath(evidenceOf(s)) };
        try {
          await paths.path({ studentId: student.id, forceRefresh: false, includeReasoning: false, variant: 'adaptive', requestId: `req-${ev.seq}` });
        } catch (error) {
          if ((error as { code?: string }).code !== 'RATE_LIMIT_EXCEEDED') throw error;
          result.quotaRefused++;
        }
      } else {
        context = { feature: 'assessments', seed: String(ev.seq), question: ev.question, answer: ev.answer };
        pending = {
          submission_id: ev.submissionId,
          student_id: student.id,
          answer_text: ev.answer.text,
          status: 'pending',
          variant: 'llm',
          ...ev.question,
        };
        if (config.GRADING_MODE === 'batch') {
          // Through the Message Batches API (a batch of one: what a batch costs does not depend on its size).
          const row = pending as unknown as Pending;
          const item = { customId: ev.submissionId, request: grader.request(row), billing: billingOf(row) };
          const batchId = await gateway.submitBatch([item]);
          const outcomes = await gateway.batchResults(batchId, [item], new Date());
          if (outcomes === 'in_progress') throw new Error('The fake batch should have ended');
          for (const outcome of outcomes) await grader.finishFromBatch(row, outcome, new Date());
        } else {
          await grader.grade(ev.submissionId);
        }
        pending = null;
      }
      context = null;
      fake.requests.length = 0;
    }
  } finally {
    await fake.close();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

// --- Checks of the fake's realism options ------------------------------------------------------

async function selfCheck(): Promise<string> {
  const fake = await FakeAnthropicServer.start({ countTokens, now: () => clock.now, minCacheableTokens: () => 50 });
  const client = new Anthropic({ apiKey: 'bench', baseURL: fake.url, maxRetries: 0 });
  try {
    const long = 'The rubric rewards a clear explanation of retrieval and grounding. '.repeat(8);
    const ask = (system: string) =>
      client.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 50,
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'An answer.' }],
      });
    const counted = await client.messages.countTokens({
      model: 'claude-sonnet-5-5',
      system: [{ type: 'text', text: long }],
      messages: [{ role: 'user', content: 'An answer.' }],
    });
    clock.now = MONTH_START;
    const first = await ask(long);
    clock.now += 4 * MINUTE;
    const second = await ask(long);
    clock.now += 6 * MINUTE;
    const third = await ask(long);
    const short = await ask('Too short to cache.');
    const u = first.usage;
    const total = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    const ok =
      counted.input_tokens === total &&
      total === countTokens(long) + countTokens('An answer.') &&
      (u.cache_creation_input_tokens ?? 0) === countTokens(long) &&
      second.usage.cache_read_input_tokens === countTokens(long) &&
      (third.usage.cache_read_input_tokens ?? 0) === 0 &&
      (third.usage.cache_creation_input_tokens ?? 0) === countTokens(long) &&
      (short.usage.cache_creation_input_tokens ?? 0) === 0 &&
      (short.usage.cache_read_input_tokens ?? 0) === 0;
    if (!ok) throw new Error(`The fake's token/caching options misbehave: ${JSON.stringify([counted, u, second.usage, third.usage, short.usage])}`);
    return 'count_tokens = billed input; prefix written, read 4 min later, written again 10 min later; short prefix never cached';
  } finally {
    await fake.close();
  }
}

/** Prefix sizes of every prompt the app builds, through the fake's count_tokens endpoint. */
async function prefixSizes(
  catalog: { chapter_id: string; title: string; order: number; prerequisites: string[] }[],
  questions: AssessmentQuestion[],
): Promise<{ grader: { min: number; max: number; task: number; schemaMin: number; schemaMax: number }; path: { total: number; schema: number; system: number } }> {
  const fake = await FakeAnthropicServer.start({ countTokens, countOutputFormat: true });
  const client = new Anthropic({ apiKey: 'bench', baseURL: fake.url, maxRetries: 0 });
  // count_tokens needs a message: an empty one adds nothing.
  const count = async (system: string[], schema: unknown, withSchema = true) =>
    (
      await client.messages.countTokens({
        model: 'claude-sonnet-5-5',
        system: system.map((text) => ({ type: 'text' as const, text })),
        messages: [{ role: 'user', content: '' }],
        ...(withSchema && { output_config: { format: { type: 'json_schema', schema: schema as Record<string, unknown> } } }),
      })
    ).input_tokens;
  try {
    const graders = await Promise.all(
      questions.map(async (q) => {
        const schema = zodOutputFormat(graderSchema(q)).schema;
        return { total: await count(graderSystem(q), schema), schema: (await count(graderSystem(q), schema)) - (await count(graderSystem(q), schema, false)) };
      }),
    );
    const evidence = catalog.map((c) => ({ ...c, attempts: 0, best_percentage: null, passed: false }));
    const pathSchemaJson = zodOutputFormat(pathSchema(catalog.map((c) => c.chapter_id))).schema;
    const pathTotal = await count(pathSystemPrompt(evidence), pathSchemaJson);
    const pathSystem = await count(pathSystemPrompt(evidence), pathSchemaJson, false);
    const task = await count([graderSystem(questions[0]!)[0]!], null, false);
    return {
      grader: {
        min: Math.min(...graders.map((g) => g.total)),
        max: Math.max(...graders.map((g) => g.total)),
        task,
        schemaMin: Math.min(...graders.map((g) => g.schema)),
        schemaMax: Math.max(...graders.map((g) => g.schema)),
      },
      path: { total: pathTotal, schema: pathTotal - pathSystem, system: pathSystem },
    };
  } finally {
    await fake.close();
  }
}

// --- Figures -----------------------------------------------------------------------------------

const dollars = (micro: number) => `$${formatUsd(micro)}`;
const int = (n: number) => n.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);
const pct2 = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100);
/** Nearest-rank percentile of integers. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
/** Exact mean in whole micro-dollars, rounded half-up. */
function mean(values: number[]): number {
  const total = values.reduce((s, v) => s + BigInt(v), 0n);
  const n = BigInt(Math.max(1, values.length));
  return Number((total * 2n + n) / (2n * n));
}
const scale = (micro: number) => Math.round((micro * FULL_POPULATION) / STUDENTS);

function priceLog(
  log: CallRecord[],
  model: (c: CallRecord) => string,
  usage: (c: CallRecord) => TokenUsage,
  batch: (c: CallRecord) => boolean = () => false,
): number[] {
  const perStudent = new Map<number, number>();
  for (const c of log) {
    const micro = computeCost(model(c), usage(c), { at: new Date(c.at), batch: batch(c) }).microUsd;
    perStudent.set(c.student, (perStudent.get(c.student) ?? 0) + micro);
  }
  return [...perStudent.values()];
}

/**
 * The prompt cache as if every prefix reached the model's minimum (padded with useful text up to
 * it): per call, a read when the same prefix was used within the TTL (a hit refreshes it), else a
 * write at that TTL's rate; the rest of the prompt stays plain input.
 */
function cacheIfPadded(log: CallRecord[], feature: Feature | null, ttl: '5m' | '1h' = '5m'): { calls: CallRecord[]; reads: number; total: number } {
  const ttlMs = ttl === '1h' ? 60 * MINUTE : CACHE_TTL_MS;
  const lastUse = new Map<number, number>();
  let reads = 0;
  let total = 0;
  const calls = log.map((c) => {
    if (feature !== null && c.feature !== feature) return c;
    total++;
    const padded = Math.max(c.prefixTokens, cacheMinimum(c.model));
    const read = (lastUse.get(c.prefixKey) ?? -Infinity) > c.at - ttlMs;
    lastUse.set(c.prefixKey, c.at);
    if (read) reads++;
    const plain = c.usage.inputTokens + c.usage.cacheReadTokens + c.usage.cacheWrite5mTokens + c.usage.cacheWrite1hTokens - c.prefixTokens;
    return {
      ...c,
      usage: {
        ...c.usage,
        inputTokens: plain,
        cacheReadTokens: read ? padded : 0,
        cacheWrite5mTokens: read || ttl === '1h' ? 0 : padded,
        cacheWrite1hTokens: read || ttl === '5m' ? 0 : padded,
      },
    };
  });
  return { calls, reads, total };
}

function summary(r: Result) {
  const perStudent = r.perStudent;
  const requestsOf = (f: Feature) => Object.values(r.requests[f]).reduce((s, n) => s + n, 0);
  const all = (['adaptive_paths', 'assessments'] as const).reduce((acc, f) => {
    const s = r.requests[f];
    return { total: acc.total + requestsOf(f), cache: acc.cache + s.cache, rules: acc.rules + s.rules + s.fallback, model: acc.model + s.llm, refused: acc.refused + s.rejected };
  }, { total: 0, cache: 0, rules: 0, model: 0, refused: 0 });
  const tokens = (['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output', 'thinking'] as const).reduce(
    (acc, k) => ({ ...acc, [k]: r.tokens.adaptive_paths[k] + r.tokens.assessments[k] }),
    {} as Tokens,
  );
  return {
    mean: mean(perStudent),
    p50: percentile(perStudent, 50),
    p95: percentile(perStudent, 95),
    max: percentile(perStudent, 100),
    paths: mean(r.perStudentFeature.adaptive_paths),
    assessments: mean(r.perStudentFeature.assessments),
    overBudget: perStudent.filter((m) => m > BUDGET_MICRO).length,
    overTarget: perStudent.filter((m) => m > TARGET_MICRO).length,
    requests: all,
    tokens,
    calls: r.calls.adaptive_paths.total + r.calls.assessments.total,
  };
}

function printScenario(label: string, r: Result): ReturnType<typeof summary> {
  const s = summary(r);
  const f = (feature: Feature) => r.requests[feature];
  console.log(`\n${label} ${r.title}`);
  console.log(
    `  models: adaptive_paths=${r.models.adaptive_paths}, assessments=${r.models.assessments}; effort ${r.effort}; ` +
      `response cache ${r.responseCache ? 'on (24 h, until the next quiz)' : 'off'}; prompt caching ${Number.isFinite(r.promptCacheMinimum.assessments) ? `on (cache_control; cached from ${int(r.promptCacheMinimum.assessments)} tokens)` : 'off'}`,
  );
  console.log(`  $ per student-month: mean ${dollars(s.mean)}  p50 ${dollars(s.p50)}  p95 ${dollars(s.p95)}  max ${dollars(s.max)}`);
  console.log(`    of which adaptive paths ${dollars(s.paths)}, assessments ${dollars(s.assessments)} (means)`);
  console.log(
    `  premium requests ${int(s.requests.total)}: cache ${pct2(s.requests.cache, s.requests.total)}%, rules ${pct2(s.requests.rules, s.requests.total)}% ` +
      `(fallbacks after a model failure: ${int(f('adaptive_paths').fallback + f('assessments').fallback)}), model ${pct2(s.requests.model, s.requests.total)}%, ` +
      `refused (quota) ${int(r.quotaRefused)}`,
  );
  console.log(
    `    adaptive paths ${int(Object.values(f('adaptive_paths')).reduce((a, b) => a + b, 0))}: cache ${int(f('adaptive_paths').cache)}, model ${int(f('adaptive_paths').llm)}, ` +
      `rules ${int(f('adaptive_paths').rules + f('adaptive_paths').fallback)} | assessments ${int(Object.values(f('assessments')).reduce((a, b) => a + b, 0))}: ` +
      `model ${int(f('assessments').llm)}, rules ${int(f('assessments').rules + f('assessments').fallback)}`,
  );
  const c = r.calls;
  console.log(
    `  LLM calls ${int(s.calls)} (adaptive paths ${int(c.adaptive_paths.total)}, assessments ${int(c.assessments.total)}); ` +
      `answers cut off at max_tokens ${int(c.adaptive_paths.truncated + c.assessments.truncated)}, other bad answers ${int(c.adaptive_paths.badOutput + c.assessments.badOutput - c.adaptive_paths.truncated - c.assessments.truncated)}, ` +
      `grades failing the app's checks (regraded) ${int(c.assessments.total - c.assessments.badOutput - c.assessments.otherErrors - f('assessments').llm)}`,
  );
  const t = s.tokens;
  console.log(
    `  tokens: input ${int(t.input)}, cache write ${int(t.cacheWrite5m + t.cacheWrite1h)}, cache read ${int(t.cacheRead)}, ` +
      `output ${int(t.output)} (thinking ${int(t.thinking)}, answer text ${int(t.output - t.thinking)})`,
  );
  console.log(
    `    prompt make-up: structured-output schema ${int(r.composition.schema)}, system prefix ${int(r.composition.system)}, per-call input ${int(r.composition.perCall)}; ` +
      `per call: ${int(Math.round((t.input + t.cacheRead + t.cacheWrite5m) / Math.max(1, s.calls)))} in, ${int(Math.round(t.output / Math.max(1, s.calls)))} out`,
  );
  console.log(`  prompt cache: calls reading ${int(r.cacheCalls.read)}, writing ${int(r.cacheCalls.write)}, neither ${int(r.cacheCalls.neither)}`);
  console.log(
    `  checks: usage = tokenizer count of the request ${r.usageMismatches === 0 ? 'yes' : `NO (${r.usageMismatches})`}; ` +
      `cost at the simulated date = cost the gateway logged ${r.pricingMismatches === 0 ? 'yes' : `NO (${r.pricingMismatches})`}; ran in ${r.seconds.toFixed(1)} s`,
  );
  return s;
}

// --- Main --------------------------------------------------------------------------------------

type ScenarioSpec = { key: string; title: string; env: Record<string, string>; promptCaching: boolean; enforcePathQuota: boolean };

/** BENCH_GRADING_MODE=batch runs (a) with GRADING_MODE=batch: every grading through the Message Batches API. */
const BATCH_GRADING = process.env.BENCH_GRADING_MODE === 'batch';

const SCENARIOS: readonly ScenarioSpec[] = [
  BATCH_GRADING
    ? { key: 'defaults', title: 'our defaults with GRADING_MODE=batch (gradings through the Message Batches API)', env: { GRADING_MODE: 'batch' }, promptCaching: true, enforcePathQuota: true }
    : { key: 'defaults', title: 'our defaults (the app with no LLM settings changed)', env: {}, promptCaching: true, enforcePathQuota: true },
  {
    key: 'naive',
    title: 'naive: claude-sonnet-5-5 for everything, no prompt caching, no response cache (every path request calls the model), effort high',
    env: { ANTHROPIC_MODEL: 'claude-sonnet-5-5', LLM_EFFORT: 'high', ENABLE_PHASE2_CACHING: 'false' },
    promptCaching: false,
    enforcePathQuota: false,
  },
];

/** The course, the texts and the month: deterministic from the seed, so each worker builds the same. */
async function setup() {
  Logger.overrideLogger(false);
  const root = projectRoot();
  const course = await loadCourse();
  const catalog = [...course]
    .sort((a, b) => a.order - b.order)
    .map((c) => ({ chapter_id: c.chapter_id, title: c.title, order: c.order, prerequisites: c.prerequisites }));
  const questions: AssessmentQuestion[] = [...course]
    .sort((a, b) => a.order - b.order)
    .flatMap((c) => c.assessment_questions.map((q) => ({ ...q, chapter_id: c.chapter_id })));

  const semevalPath = join(root, '..', 'shared', 'eval', 'semeval2013-train.jsonl');
  const semeval = existsSync(semevalPath)
    ? readFileSync(semevalPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => String((JSON.parse(line) as { answer: string }).answer))
    : [];
  const bank = new TextBank(course, semeval);
  const defaults = loadConfig({ NODE_ENV: 'test' });

  const workload = buildWorkload({
    students: STUDENTS,
    monthStart: MONTH_START,
    days: DAYS,
    chapters: catalog,
    questions,
    bank,
    maxAnswerChars: defaults.ASSESSMENT_MAX_CHARS,
    pathLimit: defaults.PREMIUM_ADAPTIVE_PATHS_LIMIT,
    assessmentLimit: defaults.PREMIUM_ASSESSMENTS_LIMIT,
    seed: SEED,
  });
  return { root, catalog, questions, semeval, bank, defaults, workload };
}

/** Events simulated so far per configuration, shown on a terminal (see src/common/cli/progress.ts). */
const progressDone = new Map<string, number>();
let shownProgress: Progress | undefined;
function reportProgress(key: string, done: number): void {
  if (!isMainThread) {
    parentPort!.postMessage({ progress: key, done });
    return;
  }
  progressDone.set(key, done);
  shownProgress?.update([...progressDone.values()].reduce((a, b) => a + b, 0));
}

/** Runs one configuration in a worker thread (one per core), or here when BENCH_WORKERS=0. */
function runElsewhere(key: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { scenario: key } });
    worker.on('message', (message: Result | { progress: string; done: number }) => {
      if ('progress' in message) reportProgress(message.progress, message.done);
      else resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`The ${key} worker exited with ${code}`)));
  });
}

async function worker(key: string): Promise<void> {
  const { catalog, bank, workload } = await setup();
  const spec = SCENARIOS.find((s) => s.key === key)!;
  parentPort!.postMessage(await runScenario(spec, workload.students, workload.events, catalog, bank));
}

async function main(): Promise<void> {
  const { root, catalog, questions, semeval, bank, defaults, workload } = await setup();
  const { students, events } = workload;
  const count = (kind: SimEvent['kind']) => events.filter((e) => e.kind === kind).length;
  const paths = events.filter((e) => e.kind === 'path');
  const submits = events.filter((e): e is Extract<SimEvent, { kind: 'submit' }> => e.kind === 'submit');
  const answerWords = submits.map((e) => e.answer.words);
  const kinds = submits.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.answer.kind]: (acc[e.answer.kind] ?? 0) + 1 }), {});
  const buildsPer = new Map<number, number>();
  for (const e of paths) if (e.expect === 'build') buildsPer.set(e.student, (buildsPer.get(e.student) ?? 0) + 1);
  const shortOfQuota = students.filter((s) => (buildsPer.get(s.index) ?? 0) < defaults.PREMIUM_ADAPTIVE_PATHS_LIMIT).length;
  const personas = students.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.persona]: (acc[s.persona] ?? 0) + 1 }), {});

  console.log('Course Companion: LLM cost per premium student-month (bench/cost/cost-per-student.bench.ts)');
  console.log(
    `Simulated month: November 2026 (${DAYS} days), ${int(STUDENTS)} premium students` +
      (STUDENTS === FULL_POPULATION ? ' (all simulated, no sampling)' : ` (sample; totals scaled to ${int(FULL_POPULATION)})`) +
      `, ${int(Math.ceil(STUDENTS / 25))} cohorts of 25 with weekly deadlines in 6 time zones; ` +
      `personas ${Object.entries(personas).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
  console.log(
    `Events: ${int(count('quiz'))} quiz attempts, ${int(paths.length)} adaptive-path requests ` +
      `(${int(paths.filter((e) => e.expect === 'build').length)} needing a new path, ${int(paths.filter((e) => e.expect === 'hit').length)} repeats within 24 h with no quiz since), ` +
      `${int(submits.length)} graded answers; quotas ${defaults.PREMIUM_ADAPTIVE_PATHS_LIMIT} paths + ${defaults.PREMIUM_ASSESSMENTS_LIMIT} assessments per student ` +
      `(${shortOfQuota} students did not use all path units)`,
  );
  console.log(
    `Answers: words p10 ${percentile(answerWords, 10)}, p50 ${percentile(answerWords, 50)}, p90 ${percentile(answerWords, 90)}, max ${percentile(answerWords, 100)} ` +
      `(honest lengths from ${semeval.length > 0 ? `${int(semeval.length)} SemEval-2013 student answers` : 'the seeded reference answers only (../shared/eval missing)'} ` +
      `and the seeded reference answers); kinds ${Object.entries(kinds).map(([k, v]) => `${k} ${int(v)}`).join(', ')}`,
  );
  console.log(
    `Token counts: @anthropic-ai/tokenizer ${readPackageVersion(root, '@anthropic-ai/tokenizer')} (Anthropic's published Claude tokenizer; an approximation for current models), ` +
      `used by the fake Messages API for usage and its count_tokens endpoint`,
  );
  console.log(`Fake API self-check: ${await selfCheck()}`);

  const sizes = await prefixSizes(catalog, questions);
  const sonnetMin = cacheMinimum('claude-sonnet-5-5');
  console.log(
    `Cached prefixes (count_tokens): grader ${sizes.grader.min}-${sizes.grader.max} tokens per question (task ${sizes.grader.task}, schema ${sizes.grader.schemaMin}-${sizes.grader.schemaMax}, ` +
      `question+rubric+reference the rest); adaptive path ${sizes.path.total} (system ${sizes.path.system}, schema ${sizes.path.schema}). ` +
      `Minimum cacheable: claude-sonnet-5-5 ${int(sonnetMin)}, claude-haiku-5-5 ${int(cacheMinimum('claude-haiku-5-5'))} (assumed), claude-opus-5-5 ${cacheMinimum('claude-opus-5-5')} ` +
      `=> ${sizes.grader.max < sonnetMin && sizes.path.total < sonnetMin ? 'NO prefix the app builds can be cached on Sonnet 5.5' : 'some prefixes are cacheable'}`,
  );
  console.log(`  sources: ${CACHE_MINIMUM_SOURCES.join('; ')}`);

  const started = performance.now();
  shownProgress = progress('simulating both configurations (events)', 2 * events.length);
  const [a, b]: [Result, Result] =
    process.env.BENCH_WORKERS === '0'
      ? [await runScenario(SCENARIOS[0]!, students, events, catalog, bank), await runScenario(SCENARIOS[1]!, students, events, catalog, bank)]
      : await Promise.all([runElsewhere(SCENARIOS[0]!.key), runElsewhere(SCENARIOS[1]!.key)]);
  shownProgress.done();
  console.log(
    `Ran both configurations ${process.env.BENCH_WORKERS === '0' ? 'one after the other' : 'side by side in two worker threads'}: ` +
      `${int(a.calls.adaptive_paths.total + a.calls.assessments.total + b.calls.adaptive_paths.total + b.calls.assessments.total)} LLM calls in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const sa = printScenario('(a)', a);
  const sb = printScenario('(b)', b);

  console.log('\nBudget per student-month');
  for (const [label, s] of [['(a) defaults', sa], ['(b) naive', sb]] as const) {
    console.log(
      `  ${label.padEnd(13)} mean ${dollars(s.mean)} = ${pct(s.mean, BUDGET_MICRO)}% of the quickstart budget ${dollars(BUDGET_MICRO)}, ` +
        `${pct(s.mean, TARGET_MICRO)}% of our target ${dollars(TARGET_MICRO)}; students over budget ${s.overBudget}, over target ${s.overTarget} of ${STUDENTS}`,
    );
  }
  console.log(`  naive / defaults: ${(sb.mean / Math.max(1, sa.mean)).toFixed(2)}x; population of ${int(FULL_POPULATION)}: (a) ${dollars(scale(a.totalMicro))} a month, (b) ${dollars(scale(b.totalMicro))}`);

  // What-ifs: (a)'s exact calls re-priced; token counts unchanged (the model's own verbosity is not modelled).
  const haikuAll = priceLog(a.log, () => 'claude-haiku-5-5', (c) => c.usage);
  const sonnetGrading = priceLog(a.log, (c) => (c.feature === 'assessments' ? 'claude-sonnet-5-5' : c.model), (c) => c.usage);
  const padded = cacheIfPadded(a.log, null);
  const paddedPrice = priceLog(padded.calls, (c) => c.model, (c) => c.usage);
  const paddedGrading = cacheIfPadded(a.log, 'assessments');
  const paddedPaths = cacheIfPadded(a.log, 'adaptive_paths');
  const padded1h = cacheIfPadded(a.log, null, '1h');
  const padded1hPrice = priceLog(padded1h.calls, (c) => c.model, (c) => c.usage);
  const padded1hGrading = cacheIfPadded(a.log, 'assessments', '1h');
  const padded1hPaths = cacheIfPadded(a.log, 'adaptive_paths', '1h');
  const noReasoning = priceLog(a.log, (c) => c.model, (c) => ({ ...c.usage, outputTokens: c.usage.outputTokens - c.reasoningTokens }));
  const batchGrading = priceLog(a.log, (c) => c.model, (c) => c.usage, (c) => c.feature === 'assessments');
  const haikuBatchGrading = priceLog(a.log, () => 'claude-haiku-5-5', (c) => c.usage, (c) => c.feature === 'assessments');
  const reasoningTokens = a.log.reduce((sum, c) => sum + c.reasoningTokens, 0);
  const whatIf = {
    haiku_all: mean(haikuAll),
    sonnet_assessments: mean(sonnetGrading),
    padded_prefix: mean(paddedPrice),
    padded_read_share_assessments: pct(paddedGrading.reads, paddedGrading.total),
    padded_read_share_paths: pct(paddedPaths.reads, paddedPaths.total),
    padded_1h: mean(padded1hPrice),
    padded_1h_read_share_assessments: pct(padded1hGrading.reads, padded1hGrading.total),
    padded_1h_read_share_paths: pct(padded1hPaths.reads, padded1hPaths.total),
    no_path_reasoning: mean(noReasoning),
    path_reasoning_tokens: reasoningTokens,
    batch_assessments: mean(batchGrading),
    haiku_all_batch_assessments: mean(haikuBatchGrading),
  };
  console.log('\nWhat-ifs on (a), re-priced from its exact token counts (not re-simulated; output length assumed unchanged)');
  console.log(`  claude-haiku-5-5 for both features:        mean ${dollars(whatIf.haiku_all)} per student-month`);
  console.log(`  claude-sonnet-5-5 grading too (paths' model): mean ${dollars(whatIf.sonnet_assessments)}`);
  console.log(
    `  cached prefixes padded to ${int(sonnetMin)} tokens (e.g. graded examples): mean ${dollars(whatIf.padded_prefix)}; ` +
      `5-min cache reads would be ${whatIf.padded_read_share_assessments}% of grading calls, ${whatIf.padded_read_share_paths}% of path calls`,
  );
  console.log(
    `  the same with the 1-hour TTL (cache_control ttl "1h", writes at 2x input): mean ${dollars(whatIf.padded_1h)}; ` +
      `reads ${whatIf.padded_1h_read_share_assessments}% of grading calls, ${whatIf.padded_1h_read_share_paths}% of path calls`,
  );
  console.log(
    `  no "reasoning" asked of the path model when include_reasoning is false (${int(reasoningTokens)} output tokens): mean ${dollars(whatIf.no_path_reasoning)}`,
  );
  console.log(`  grading through the Message Batches API (50% off; feedback in minutes to hours): mean ${dollars(whatIf.batch_assessments)}`);
  console.log(`  claude-haiku-5-5 for both, grading batched:  mean ${dollars(whatIf.haiku_all_batch_assessments)}`);

  const figures = (r: Result, s: ReturnType<typeof summary>) => ({
    models: r.models,
    effort: r.effort,
    response_cache: r.responseCache,
    prompt_cache_min_tokens: Number.isFinite(r.promptCacheMinimum.assessments) ? r.promptCacheMinimum : null,
    micro_usd_per_student_month: { mean: s.mean, p50: s.p50, p95: s.p95, max: s.max, adaptive_paths_mean: s.paths, assessments_mean: s.assessments },
    micro_usd_total_for_1000_students: scale(r.totalMicro),
    premium_requests: s.requests,
    request_share_percent: {
      cache: pct2(s.requests.cache, s.requests.total),
      rules: pct2(s.requests.rules, s.requests.total),
      model: pct2(s.requests.model, s.requests.total),
    },
    requests_by_feature: r.requests,
    llm_calls: { total: s.calls, by_feature: r.calls },
    tokens: s.tokens,
    tokens_by_feature: r.tokens,
    prompt_make_up: r.composition,
    prompt_cache_calls: r.cacheCalls,
    students_over_budget: s.overBudget,
    students_over_target: s.overTarget,
    checks: { usage_mismatches: r.usageMismatches, pricing_mismatches: r.pricingMismatches },
  });
  console.log(
    JSON.stringify({
      bench: 'cost-per-student',
      month: '2026-11',
      students_simulated: STUDENTS,
      scaled_to: FULL_POPULATION,
      seed: SEED,
      tokenizer: `@anthropic-ai/tokenizer@${readPackageVersion(root, '@anthropic-ai/tokenizer')}`,
      budget_micro_usd: BUDGET_MICRO,
      target_micro_usd: TARGET_MICRO,
      events: { quiz_attempts: count('quiz'), path_requests: paths.length, graded_answers: submits.length },
      answer_words: { p10: percentile(answerWords, 10), p50: percentile(answerWords, 50), p90: percentile(answerWords, 90), max: percentile(answerWords, 100) },
      prefix_tokens: sizes,
      cache_min_tokens: { 'claude-sonnet-5-5': sonnetMin, 'claude-haiku-5-5': cacheMinimum('claude-haiku-5-5'), 'claude-opus-5-5': cacheMinimum('claude-opus-5-5') },
      thinking_assumption: { ...THINKING, sigma: THINKING_SIGMA },
      defaults: figures(a, sa),
      naive: figures(b, sb),
      naive_over_defaults: Math.round((100 * sb.mean) / Math.max(1, sa.mean)) / 100,
      what_if_micro_usd_mean: whatIf,
    }),
  );
}

function readPackageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

if (isMainThread) await main();
else await worker((workerData as { scenario: string }).scenario);

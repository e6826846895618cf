/**
 * Stand-ins for what the cost bench runs without: PostgreSQL (the owners' repositories and
 * services: usage log, premium request records, quotas, quiz results, the catalog), Redis (the
 * key-value store) and the premium services' own persistence. Each keeps what the simulated month
 * needs in memory, on the simulated clock; the usage log's stand-in also does the accounting.
 */
import type { KeyValueStore } from '../../src/common/cache/key-value-store.js';
import type { ChaptersService } from '../../src/core/content/chapters.service.js';
import type { ChapterAttempts, QuizResultsRepository } from '../../src/core/quizzes/quiz-results.repository.js';
import { parseUsd } from '../../src/common/money/index.js';
import { computeCost, type TokenUsage } from '../../src/llm/pricing/cost-calculator.js';
import type { AdaptivePathBuildsRepository } from '../../src/premium/adaptive/adaptive-path-builds.repository.js';
import type { AdaptivePathsRepository } from '../../src/premium/adaptive/adaptive-paths.repository.js';
import type { PendingSubmission } from '../../src/premium/assessments/assessment.js';
import type { AssessmentSubmissionsRepository } from '../../src/premium/assessments/assessment-submissions.repository.js';
import type { PremiumRequestRecord, PremiumRequestsService } from '../../src/usage/premium-requests.service.js';
import type { QuotaService } from '../../src/usage/quota/quota.service.js';
import type { UsageEntry, UsageLogService } from '../../src/usage/usage-log.service.js';
import type { Feature, Result, Sources } from './result.js';
import { countTokens } from './tokens.js';

export type CatalogEntry = { chapter_id: string; title: string; order: number; prerequisites: string[] };

/** One student's quiz history, as quiz_results would hold it. */
export type StudentState = { attempts: Map<string, { attempts: number; best: number; passed: boolean }>; lastQuizAt: number | null };

/** What the usage log's stand-in learns about the call it records (calls run one at a time). */
export type CallProbe = {
  now: () => number;
  /** The body the fake Messages API received last. */
  lastBody: () => any;
  thinkingTokens: () => number;
  reasoningTokens: () => number;
  answerTokens: () => number;
};

function isoMicros(ms: number): string {
  // The repository's format: to_char(... 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"').
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * The usage log: every provider call the gateway records is priced again at the simulated date
 * (it must match what the gateway logged), summed per student and feature, and checked against
 * the tokenizer's count of the request.
 */
export function usageLog(result: Result, studentIndex: Map<string, number>, call: CallProbe): UsageLogService {
  const prefixIds = new Map<string, number>();
  return {
    async record(entry: UsageEntry): Promise<void> {
      if (entry.attempt === 0) return; // a marker row (rejected before any call, or the fallback served)
      const feature = entry.feature as Feature;
      const student = studentIndex.get(entry.studentId ?? '') ?? -1;
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
      const atSim = computeCost(entry.model, tokenUsage, { at: new Date(call.now()), batch: batched });
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
      t.thinking += call.thinkingTokens();
      if (entry.cacheReadTokens > 0) result.cacheCalls.read++;
      else if (entry.cacheWrite5mTokens + entry.cacheWrite1hTokens > 0) result.cacheCalls.write++;
      else result.cacheCalls.neither++;

      // What the request held, from the body the fake received.
      const body = call.lastBody();
      const schemaText = JSON.stringify(body?.output_config?.format?.schema ?? '');
      const systemTexts: string[] = (body?.system ?? []).map((b: { text: string }) => b.text);
      const schema = countTokens(schemaText);
      const system = systemTexts.reduce((s, text) => s + countTokens(text), 0);
      const perCall = countTokens(String(body?.messages?.[0]?.content ?? ''));
      if (schema + system + perCall !== entry.tokensInput + entry.cacheReadTokens + entry.cacheWrite5mTokens + entry.cacheWrite1hTokens) {
        result.usageMismatches++;
      }
      // Cut off: thinking plus the answer did not fit in max_tokens (the fake's rule, as the API's).
      if (entry.errorCode === 'bad_output' && call.thinkingTokens() + call.answerTokens() > Number(body?.max_tokens)) calls.truncated++;
      result.composition.schema += schema;
      result.composition.system += system;
      result.composition.perCall += perCall;
      const prefix = `${entry.model}\u0000${schemaText}\u0000${systemTexts.join('\u0000')}`;
      let prefixKey = prefixIds.get(prefix);
      if (prefixKey === undefined) prefixIds.set(prefix, (prefixKey = prefixIds.size));
      result.log.push({
        feature,
        model: entry.model,
        at: call.now(),
        usage: tokenUsage,
        prefixTokens: schema + system,
        prefixKey,
        reasoningTokens: entry.outcome === 'success' ? call.reasoningTokens() : 0,
        student,
      });
    },
  } as unknown as UsageLogService;
}

/** The premium request records: counted by feature and how each request was served. */
export function premiumRequests(result: Result): PremiumRequestsService {
  return {
    record(entry: PremiumRequestRecord): void {
      // The simulation drives three of the premium features; any other would have no counters here.
      const sources = (result.requests as Partial<Record<string, Sources>>)[entry.feature];
      if (sources) sources[entry.source]++;
    },
  } as unknown as PremiumRequestsService;
}

/** Core's quiz results repository over the students' simulated histories. */
export function quizResults(state: StudentState[], studentIndex: Map<string, number>, catalog: CatalogEntry[]): QuizResultsRepository {
  const byId = (studentId: string) => state[studentIndex.get(studentId)!]!;
  return {
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
}

/** Core's catalog: the seeded course. */
export function chapters(catalog: CatalogEntry[]): ChaptersService {
  return { catalog: async () => catalog } as unknown as ChaptersService;
}

/** The key-value store (Redis in production): entries expire on the simulated clock. */
export function keyValueStore(now: () => number): KeyValueStore {
  const store = new Map<string, { value: string; expiresAt: number }>();
  return {
    kind: 'memory',
    async get(key) {
      const hit = store.get(key);
      return hit && hit.expiresAt > now() ? hit.value : null;
    },
    async set(key, value, ttlSeconds) {
      store.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async delete(key) {
      store.delete(key);
    },
  };
}

/** A key-value store that keeps nothing: a response cache turned off. */
export function forgetfulStore(): KeyValueStore {
  return { kind: 'memory', get: async () => null, set: async () => undefined, delete: async () => undefined };
}

/** The monthly quotas: a count per student and feature, a unit held per request and kept or given back. */
export function quota(limits: Record<Feature, number>, month: { period: string; resetsAt: string }): QuotaService {
  const used = new Map<string, number>();
  return {
    async take(studentId: string, feature: Feature) {
      const key = `${studentId}:${feature}`;
      const n = used.get(key) ?? 0;
      const limit = limits[feature];
      const status = { feature, used: n, limit, period: month.period, resets_at: month.resetsAt };
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
}

/**
 * The adaptive paths' persistence: paths are cached in the key-value store, so the stored-path
 * fallback and build claims have nothing to add here; saving a path runs its settlement (the
 * quota charge) at once.
 */
export function adaptivePathStorage(): { paths: AdaptivePathsRepository; builds: AdaptivePathBuildsRepository } {
  const paths = {
    latest: async () => undefined,
    save: async <T>(_path: unknown, _source: unknown, _evidenceAt: unknown, settle: (tx: { query: () => Promise<unknown[]> }) => Promise<T>) =>
      settle({ query: async () => [] }),
  } as unknown as AdaptivePathsRepository;
  const builds = { claim: async () => true, release: async () => undefined } as unknown as AdaptivePathBuildsRepository;
  return { paths, builds };
}

/** The submissions repository holding the one submission being graded: no other worker holds its lease. */
export function submissions(pending: () => PendingSubmission | null): AssessmentSubmissionsRepository {
  return {
    lease: async () => true,
    releaseLease: async () => undefined,
    status: async () => pending()?.status,
    pending: async () => {
      const row = pending();
      return row ? [row] : [];
    },
    saveGrade: async () => true,
  } as unknown as AssessmentSubmissionsRepository;
}

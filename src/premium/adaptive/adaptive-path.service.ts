import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiException } from '../../common/errors/index.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '../../common/cache/index.js';
import { FEATURES } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { ChaptersService } from '../../core/index.js';
import { QuizResultsRepository } from '../../core/index.js';
import type { LlmClient } from '../../llm/index.js';
import { LlmError } from '../../llm/index.js';
import { LLM_CLIENT } from '../../llm/index.js';
import { PremiumRequestsService, type PremiumRequestRecord } from '../../usage/index.js';
import { QuotaService } from '../../usage/index.js';
import { clientGone } from '../client-gone.js';
import { quotaExceeded, serviceBusy } from '../premium-errors.js';
import type { AdaptivePathDto } from './adaptive-path.dto.js';
import { AdaptivePathsRepository, type StoredPath } from './adaptive-paths.repository.js';
import { pathInput, pathSchema, pathSystemPrompt, type PathPlan } from './adaptive-path.prompt.js';
import { rulesPath, type ChapterEvidence } from './path-rules.js';

const CACHE_TTL_SECONDS = 24 * 3600;
/** The model gets this long, retries included; then the rules' path is served. */
const LLM_DEADLINE_MS = 8000;

/**
 * How long one student's plain build may run before another request may take it over: the model's
 * deadline and a margin for the queries around it. A claim left by a build that died (its process,
 * or the database under it) stops others for no longer than this.
 */
const BUILD_CLAIM_SECONDS = Math.ceil(LLM_DEADLINE_MS / 1000) + 4;
/** A plain view waits for another request's build at most until that build's claim has expired; it looks this often. */
const SINGLE_FLIGHT_WAIT_MS = BUILD_CLAIM_SECONDS * 1000 + 1000;
const SINGLE_FLIGHT_POLL_MS = 100;

type StoredPathBody = Omit<StoredPath, 'decision_source'>;
type CachedPath = { path: StoredPathBody; evidence_at: string | null };
type Served = AdaptivePathDto & { fell_back: boolean };

export type PathRequest = {
  studentId: string;
  forceRefresh: boolean;
  includeReasoning: boolean;
  variant: string;
  requestId: string;
  /** Aborts when the client has gone: no unit is taken for it, and a model call for it is cut off. */
  signal?: AbortSignal;
};

export const adaptivePathConfig = configSlice('adaptive-paths', ['ENABLE_PHASE2_CACHING']);

/**
 * The adaptive learning path: rules first (they alone make a valid path), the model second to
 * refine order and reasons, the rules again if the model fails. Cached per student for a day,
 * until the student finishes another quiz.
 */
@Injectable()
export class AdaptivePathService {
  private readonly logger = new Logger('AdaptivePaths');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly chapters: ChaptersService,
    private readonly results: QuizResultsRepository,
    private readonly quota: QuotaService,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    @Inject(KEY_VALUE_STORE) private readonly cache: KeyValueStore,
    @Inject(adaptivePathConfig.KEY) private readonly config: ConfigOf<typeof adaptivePathConfig>,
    private readonly requests: PremiumRequestsService,
    private readonly paths: AdaptivePathsRepository,
  ) {}

  async path(request: PathRequest): Promise<AdaptivePathDto> {
    const started = performance.now();
    let source: PremiumRequestRecord['source'] = 'rejected';
    try {
      const path = await this.serve(request);
      source = path.decision_source === 'rules' && path.fell_back ? 'fallback' : path.decision_source;
      const { fell_back: _fellBack, ...answer } = path;
      return answer;
    } finally {
      this.requests.record({
        feature: FEATURES.adaptive_paths.name,
        variant: request.variant,
        studentId: request.studentId,
        source,
        latencyMs: performance.now() - started,
      });
    }
  }

  private async serve(request: PathRequest): Promise<Served> {
    if (!this.config.ENABLE_PHASE2_CACHING) return this.buildAndStore(request);
    if (request.forceRefresh) return this.buildAndStore(request);
    const cached = await this.cached(request.studentId);
    if (cached) return this.fromCache(cached, request);
    return this.buildOnce(request);
  }

  /**
   * A plain view with nothing cached: one request per student builds (on any instance), the
   * others wait for its path and are served it from the cache, for no unit.
   */
  private async buildOnce(request: PathRequest): Promise<Served> {
    const giveUpAt = Date.now() + SINGLE_FLIGHT_WAIT_MS;
    for (;;) {
      if (request.signal?.aborted) throw clientGone();
      const buildId = randomUUID();
      if (await this.paths.claimBuild(request.studentId, buildId, BUILD_CLAIM_SECONDS)) {
        try {
          // A build that finished just before this claim already made the path.
          const cached = await this.cached(request.studentId);
          if (cached) return this.fromCache(cached, request);
          return await this.buildAndStore(request);
        } finally {
          await this.paths.releaseBuild(request.studentId, buildId).catch((error: unknown) => {
            // The claim expires by itself; meanwhile the other requests wait for it or give up.
            this.logger.warn({ err: error }, 'Could not release an adaptive path build claim');
          });
        }
      }
      await sleep(SINGLE_FLIGHT_POLL_MS);
      const cached = await this.cached(request.studentId);
      if (cached) return this.fromCache(cached, request);
      if (Date.now() > giveUpAt) {
        throw new ApiException('SERVICE_BUSY', 'Your learning path is still being built; retry shortly', { retry_after_seconds: 2 });
      }
    }
  }

  /** Takes a unit, builds (the model may refine the rules' path) and stores the path with the unit settled. */
  private async buildAndStore(request: PathRequest): Promise<Served> {
    if (request.signal?.aborted) throw clientGone();
    // The unit and the evidence at once (independent queries); a unit taken is given back if the
    // evidence cannot be read, as on any other failure below.
    const [taken, gathered] = await Promise.allSettled([
      this.quota.take(request.studentId, FEATURES.adaptive_paths.name),
      this.evidence(request.studentId),
    ]);
    if (taken.status === 'rejected') throw taken.reason;
    const unit = taken.value;
    if (!unit.granted) throw quotaExceeded(unit.status);
    try {
      if (gathered.status === 'rejected') throw gathered.reason;
      const built = await this.build(request, gathered.value.evidence);
      // Nobody is waiting for this answer: the unit goes back (the model call's usage is logged).
      if (request.signal?.aborted) throw clientGone();
      const { fellBack, ...path } = built;
      // The path and its unit commit together: kept when served, given back when the model failed.
      const used = await this.db.transaction(async (tx) => {
        await this.paths.insert(tx, path, gathered.value.evidenceAt);
        if (fellBack) return unit.refund(tx);
        await unit.charge(tx);
        return undefined;
      });
      if (used !== undefined) await this.quota.mirrorUsed(request.studentId, FEATURES.adaptive_paths.name, used);
      await this.remember(path, gathered.value.evidenceAt);
      return { ...this.shape(path, request.includeReasoning), fell_back: fellBack };
    } catch (error) {
      // Never throws: with the database away, the unit's hold gives it back when it expires.
      await unit.giveBack();
      if (error instanceof LlmError && error.kind === 'busy') throw serviceBusy(error);
      throw error;
    }
  }

  private fromCache(path: StoredPathBody, request: PathRequest): Served {
    return { ...this.shape({ ...path, decision_source: 'cache' }, request.includeReasoning), fell_back: false };
  }

  private async build(
    request: PathRequest,
    evidence: ChapterEvidence[],
  ): Promise<StoredPath & { fellBack: boolean }> {
    const rules: PathPlan = {
      recommendations: rulesPath(evidence),
      reasoning: 'Built by the course rules from your quiz results: weak chapters first, then the next chapter you can start.',
    };
    const pathId = randomUUID();
    const now = new Date();
    const base = {
      path_id: pathId,
      student_id: request.studentId,
      variant: request.variant,
      generated_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CACHE_TTL_SECONDS * 1000).toISOString(),
    };
    // The `static` variant is the control group: rules only, never the model.
    if (request.variant === 'static') return { ...base, ...rules, decision_source: 'rules', fellBack: false };

    const result = await this.llm.complete(
      {
        feature: FEATURES.adaptive_paths.name,
        system: pathSystemPrompt(evidence),
        input: pathInput(evidence, rules.recommendations),
        schema: pathSchema(evidence.map((c) => c.chapter_id)),
        maxTokens: 800,
        fallback: () => rules,
        deadlineMs: LLM_DEADLINE_MS,
        signal: request.signal,
      },
      { studentId: request.studentId, referenceId: pathId, requestId: request.requestId, variant: request.variant },
    );
    const plan = result.value as PathPlan;
    const recommendations = [...plan.recommendations]
      .sort((a, b) => a.priority - b.priority)
      .map((r, i) => ({ ...r, priority: i + 1 }));
    return {
      ...base,
      recommendations,
      reasoning: plan.reasoning,
      decision_source: result.source === 'llm' ? 'llm' : 'rules',
      fellBack: result.source === 'fallback',
    };
  }

  /** The student's quiz evidence per chapter, and when it last changed (the cache's freshness key). */
  private async evidence(studentId: string): Promise<{ evidence: ChapterEvidence[]; evidenceAt: string | null }> {
    const [catalog, attempts] = await Promise.all([this.chapters.catalog(), this.results.attemptsByChapter(studentId)]);
    const byChapter = new Map(attempts.map((a) => [a.chapter_id, a]));
    const evidenceAt = attempts[0]?.latest_completed_at ?? null;
    const evidence = catalog.map((c) => {
      const a = byChapter.get(c.chapter_id);
      return {
        ...c,
        attempts: a?.attempts ?? 0,
        best_percentage: a?.best_percentage === null || a === undefined ? null : Number(a.best_percentage),
        passed: a?.passed ?? false,
      };
    });
    return { evidence, evidenceAt };
  }

  /**
   * The student's current path: from Redis, else the newest stored path in PostgreSQL (so a lost
   * or unreachable Redis costs no unit), if no quiz was finished since it was built.
   */
  private async cached(studentId: string): Promise<StoredPathBody | null> {
    // Both at once: the cache answers most of these requests, and the freshness check is one row.
    const [raw, evidenceAt] = await Promise.all([this.cache.get(cacheKey(studentId)), this.results.latestCompletedAt(studentId)]);
    if (raw) {
      const entry = JSON.parse(raw) as CachedPath;
      if (isFresh(entry.path, entry.evidence_at, evidenceAt)) return entry.path;
    }
    const stored = await this.paths.latest(studentId);
    if (!stored || !isFresh(stored.path, stored.evidenceAt, evidenceAt)) return null;
    const { decision_source: _source, ...path } = stored.path;
    await this.remember(stored.path, stored.evidenceAt);
    return path;
  }

  /** Into Redis (best effort: a failed write is a later miss, served from PostgreSQL). */
  private async remember(path: StoredPath, evidenceAt: string | null): Promise<void> {
    const { decision_source: _source, ...stored } = path;
    const ttl = Math.max(1, Math.ceil((Date.parse(path.expires_at) - Date.now()) / 1000));
    await this.cache.set(cacheKey(path.student_id), JSON.stringify({ path: stored, evidence_at: evidenceAt }), Math.min(ttl, CACHE_TTL_SECONDS));
  }

  private shape(path: Omit<AdaptivePathDto, 'reasoning'> & { reasoning: string }, includeReasoning: boolean): AdaptivePathDto {
    const { reasoning, ...rest } = path;
    return includeReasoning ? { ...rest, reasoning } : rest;
  }
}

/** A quiz finished since the path was built makes it stale, on every instance; so does its expiry. */
function isFresh(path: { expires_at: string }, builtFrom: string | null, evidenceAt: string | null): boolean {
  return builtFrom === evidenceAt && Date.parse(path.expires_at) > Date.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function cacheKey(studentId: string): string {
  return `adaptive_path:${studentId}`;
}


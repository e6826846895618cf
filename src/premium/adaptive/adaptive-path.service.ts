import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KEY_VALUE_STORE, type KeyValueStore } from '../../common/cache/index.js';
import { APP_CONFIG } from '../../config/index.js';
import type { AppConfig } from '../../config/index.js';
import { ChaptersService } from '../../core/index.js';
import { QuizResultsRepository } from '../../core/index.js';
import type { LlmClient } from '../../llm/index.js';
import { LlmError } from '../../llm/index.js';
import { LLM_CLIENT } from '../../llm/index.js';
import { PremiumRequestsService, type PremiumRequestRecord } from '../../usage/index.js';
import { QuotaService } from '../../usage/index.js';
import { quotaExceeded, serviceBusy } from '../premium-errors.js';
import type { AdaptivePathDto } from './adaptive-path.dto.js';
import { pathInput, pathSchema, pathSystemPrompt, type PathPlan } from './adaptive-path.prompt.js';
import { rulesPath, type ChapterEvidence } from './path-rules.js';

const CACHE_TTL_SECONDS = 24 * 3600;
/** The model gets this long, retries included; then the rules' path is served. */
const LLM_DEADLINE_MS = 8000;

type CachedPath = { path: Omit<AdaptivePathDto, 'decision_source'> & { reasoning: string }; evidence_at: string | null };

export type PathRequest = { studentId: string; forceRefresh: boolean; includeReasoning: boolean; variant: string; requestId: string };

/**
 * The adaptive learning path: rules first (they alone make a valid path), the model second to
 * refine order and reasons, the rules again if the model fails. Cached per student for a day,
 * until the student finishes another quiz.
 */
@Injectable()
export class AdaptivePathService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly chapters: ChaptersService,
    private readonly results: QuizResultsRepository,
    private readonly quota: QuotaService,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
    @Inject(KEY_VALUE_STORE) private readonly cache: KeyValueStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: PremiumRequestsService,
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
        feature: 'adaptive_paths',
        variant: request.variant,
        studentId: request.studentId,
        source,
        latencyMs: performance.now() - started,
      });
    }
  }

  private async serve(request: PathRequest): Promise<AdaptivePathDto & { fell_back: boolean }> {
    if (this.config.ENABLE_PHASE2_CACHING && !request.forceRefresh) {
      const cached = await this.cached(request.studentId);
      if (cached) return { ...this.shape({ ...cached, decision_source: 'cache' }, request.includeReasoning), fell_back: false };
    }

    // The unit and the evidence at once (independent queries); a unit taken is given back if the
    // evidence cannot be read, as on any other failure below.
    const [taken, gathered] = await Promise.allSettled([
      this.quota.take(request.studentId, 'adaptive_paths'),
      this.evidence(request.studentId),
    ]);
    if (taken.status === 'rejected') throw taken.reason;
    const unit = taken.value;
    if (!unit.granted) throw quotaExceeded(unit.status);
    try {
      if (gathered.status === 'rejected') throw gathered.reason;
      const built = await this.build(request, gathered.value.evidence);
      if (built.decision_source === 'rules' && built.fellBack) await unit.release();
      const { fellBack, ...path } = built;
      await this.save(path, gathered.value.evidenceAt);
      return { ...this.shape(path, request.includeReasoning), fell_back: fellBack };
    } catch (error) {
      await unit.release();
      if (error instanceof LlmError && error.kind === 'busy') throw serviceBusy(error);
      throw error;
    }
  }

  private async build(
    request: PathRequest,
    evidence: ChapterEvidence[],
  ): Promise<AdaptivePathDto & { reasoning: string; fellBack: boolean }> {
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
        feature: 'adaptive_paths',
        system: pathSystemPrompt(evidence),
        input: pathInput(evidence, rules.recommendations),
        schema: pathSchema(evidence.map((c) => c.chapter_id)),
        maxTokens: 800,
        fallback: () => rules,
        deadlineMs: LLM_DEADLINE_MS,
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

  private async cached(studentId: string): Promise<CachedPath['path'] | null> {
    // Both at once: the cache answers most of these requests, and the freshness check is one row.
    const [raw, evidenceAt] = await Promise.all([this.cache.get(cacheKey(studentId)), this.results.latestCompletedAt(studentId)]);
    if (!raw) return null;
    const entry = JSON.parse(raw) as CachedPath;
    // A quiz finished since the path was built makes it stale, on every instance.
    if (entry.evidence_at !== evidenceAt || Date.parse(entry.path.expires_at) <= Date.now()) return null;
    return entry.path;
  }

  private async save(path: AdaptivePathDto & { reasoning: string }, evidenceAt: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO adaptive_paths (path_id, student_id, recommendations, reasoning, decision_source, variant, evidence_at, generated_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [path.path_id, path.student_id, JSON.stringify(path.recommendations), path.reasoning, path.decision_source, path.variant,
        evidenceAt, path.generated_at, path.expires_at],
    );
    if (this.config.ENABLE_PHASE2_CACHING) {
      const { decision_source: _source, ...stored } = path;
      await this.cache.set(cacheKey(path.student_id), JSON.stringify({ path: stored, evidence_at: evidenceAt }), CACHE_TTL_SECONDS);
    }
  }

  private shape(path: AdaptivePathDto & { reasoning: string }, includeReasoning: boolean): AdaptivePathDto {
    const { reasoning, ...rest } = path;
    return includeReasoning ? { ...rest, reasoning } : rest;
  }
}

export function cacheKey(studentId: string): string {
  return `adaptive_path:${studentId}`;
}


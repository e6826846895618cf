import { Inject, Injectable } from '@nestjs/common';
import { FEATURES } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { LlmError } from '../../llm/index.js';
import { QuotaService } from '../../usage/index.js';
import { clientGone } from '../client-gone.js';
import { quotaExceeded, serviceBusy } from '../premium-errors.js';
import type { LearningPath, ServedPath } from './adaptive-path.js';
import { PathAnalytics } from './path-analytics.js';
import { PathEvidenceCollector } from './path-evidence.collector.js';
import { PathGenerator, type PathBuild } from './path-generator.js';
import { PathSingleFlight } from './path-single-flight.js';
import { PathStore } from './path-store.js';

export type PathRequest = PathBuild & { forceRefresh: boolean };

export const adaptivePathConfig = configSlice('adaptive-paths', ['ENABLE_PHASE2_CACHING']);

/**
 * The adaptive learning path: the student's current one from the store when it is still fresh
 * (no unit), else a new one for a quota unit, built once per student however many requests ask.
 */
@Injectable()
export class AdaptivePathService {
  constructor(
    private readonly quota: QuotaService,
    private readonly evidence: PathEvidenceCollector,
    private readonly generator: PathGenerator,
    private readonly store: PathStore,
    private readonly singleFlight: PathSingleFlight,
    private readonly analytics: PathAnalytics,
    @Inject(adaptivePathConfig.KEY) private readonly config: ConfigOf<typeof adaptivePathConfig>,
  ) {}

  async path(request: PathRequest): Promise<ServedPath> {
    const started = performance.now();
    let served: ServedPath | undefined;
    try {
      served = await this.serve(request);
      return served;
    } finally {
      this.analytics.record(request, served, performance.now() - started);
    }
  }

  private async serve(request: PathRequest): Promise<ServedPath> {
    if (!this.config.ENABLE_PHASE2_CACHING || request.forceRefresh) return this.buildAndStore(request);
    const current = await this.store.current(request.studentId);
    if (current) return fromCache(current);
    // A plain view with nothing cached: one request per student builds, the others are served its path for no unit.
    return this.singleFlight.run(request.studentId, request.signal, {
      ready: async () => {
        const path = await this.store.current(request.studentId);
        return path && fromCache(path);
      },
      build: () => this.buildAndStore(request),
    });
  }

  /** Takes a unit, builds (the model may refine the rules' path) and stores the path with the unit settled. */
  private async buildAndStore(request: PathRequest): Promise<ServedPath> {
    if (request.signal?.aborted) throw clientGone();
    // The unit and the evidence at once (independent queries); a unit taken is given back if the
    // evidence cannot be read, as on any other failure below.
    const [taken, gathered] = await Promise.allSettled([this.quota.take(request.studentId, FEATURES.adaptive_paths.name), this.evidence.collect(request.studentId)]);
    if (taken.status === 'rejected') throw taken.reason;
    const unit = taken.value;
    if (!unit.granted) throw quotaExceeded(unit.status);
    try {
      if (gathered.status === 'rejected') throw gathered.reason;
      const evidence = gathered.value;
      const built = await this.generator.generate(request, evidence.chapters);
      // Nobody is waiting for this answer: the unit goes back (the model call's usage is logged).
      if (request.signal?.aborted) throw clientGone();
      // Kept when served, given back when the model failed and the rules answered.
      const used = await this.store.saveSettled(built, evidence.changedAt, (first) => unit.settlement(built.fellBack ? 'refund' : 'charge', first));
      if (used !== undefined) await this.quota.mirrorUsed(request.studentId, FEATURES.adaptive_paths.name, used);
      return built;
    } catch (error) {
      // Never throws: with the database away, the unit's hold gives it back when it expires.
      await unit.giveBack();
      if (error instanceof LlmError && error.kind === 'busy') throw serviceBusy(error);
      throw error;
    }
  }
}

function fromCache(path: LearningPath): ServedPath {
  return { path, source: 'cache', fellBack: false };
}

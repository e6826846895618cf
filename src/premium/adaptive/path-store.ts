import { Inject, Injectable } from '@nestjs/common';
import { KEY_VALUE_STORE, type KeyValueStore } from '../../common/cache/index.js';
import type { QuotaSettlement, SqlExecutor } from '../../usage/index.js';
import { PATH_TTL_SECONDS, type BuiltPath, type LearningPath } from './adaptive-path.js';
import { AdaptivePathsRepository, PATH_PARAMETERS } from './adaptive-paths.repository.js';
import { PathEvidenceCollector } from './path-evidence.collector.js';

/** A cache entry: the path and the quiz evidence it was built from. */
type CachedPath = { path: LearningPath; evidence_at: string | null };

/**
 * The student's current path: kept in PostgreSQL (every path) and cached in Redis (the newest),
 * current until it expires or the student finishes another quiz, on every instance.
 */
@Injectable()
export class PathStore {
  constructor(
    @Inject(KEY_VALUE_STORE) private readonly cache: KeyValueStore,
    private readonly paths: AdaptivePathsRepository,
    private readonly evidence: PathEvidenceCollector,
  ) {}

  /**
   * From Redis, else the newest stored path in PostgreSQL (so a lost or unreachable Redis costs no
   * unit), if no quiz was finished since it was built.
   */
  async current(studentId: string): Promise<LearningPath | null> {
    // Both at once: the cache answers most of these requests, and the freshness check is one row.
    const [raw, evidenceAt] = await Promise.all([this.cache.get(cacheKey(studentId)), this.evidence.changedAt(studentId)]);
    if (raw) {
      const entry = JSON.parse(raw) as CachedPath;
      if (isFresh(entry.path, entry.evidence_at, evidenceAt)) return entry.path;
    }
    const stored = await this.paths.latest(studentId);
    if (!stored || !isFresh(stored.path, stored.evidenceAt, evidenceAt)) return null;
    await this.remember(stored.path, stored.evidenceAt);
    return stored.path;
  }

  /** Stores a path built from `evidenceAt` with `settle` in its transaction (see the repository), then caches it. */
  async save<T>(built: BuiltPath, evidenceAt: string | null, settle: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const settled = await this.paths.save(built.path, built.source, evidenceAt, settle);
    await this.remember(built.path, evidenceAt);
    return settled;
  }

  /**
   * As `save`, with the unit's settlement in the path's own statement: one round trip. `settle`
   * makes it with the first parameter number it may use.
   */
  async saveSettled(built: BuiltPath, evidenceAt: string | null, settle: (first: number) => QuotaSettlement): Promise<number | undefined> {
    const used = await this.paths.saveSettled(built.path, built.source, evidenceAt, settle(PATH_PARAMETERS + 1));
    await this.remember(built.path, evidenceAt);
    return used;
  }

  /** Into Redis (best effort: a failed write is a later miss, served from PostgreSQL). */
  private async remember(path: LearningPath, evidenceAt: string | null): Promise<void> {
    const ttl = Math.max(1, Math.ceil((Date.parse(path.expires_at) - Date.now()) / 1000));
    const entry: CachedPath = { path, evidence_at: evidenceAt };
    await this.cache.set(cacheKey(path.student_id), JSON.stringify(entry), Math.min(ttl, PATH_TTL_SECONDS));
  }
}

/** A quiz finished since the path was built makes it stale, on every instance; so does its expiry. */
export function isFresh(path: Pick<LearningPath, 'expires_at'>, builtFrom: string | null, evidenceAt: string | null, now = Date.now()): boolean {
  return builtFrom === evidenceAt && Date.parse(path.expires_at) > now;
}

export function cacheKey(studentId: string): string {
  return `adaptive_path:${studentId}`;
}

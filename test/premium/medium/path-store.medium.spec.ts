import { KEY_VALUE_STORE, type KeyValueStore } from '../../../src/common/cache/index.js';
import { FEATURES } from '../../../src/common/features/index.js';
import { QuotaService } from '../../../src/usage/index.js';
import type { BuiltPath } from '../../../src/premium/adaptive/adaptive-path.js';
import { AdaptivePathBuildsRepository } from '../../../src/premium/adaptive/adaptive-path-builds.repository.js';
import { pathHeader } from '../../../src/premium/adaptive/path-generator.js';
import { PathSingleFlight } from '../../../src/premium/adaptive/path-single-flight.js';
import { cacheKey, PathStore } from '../../../src/premium/adaptive/path-store.js';
import { PremiumModule } from '../../../src/premium/premium.module.js';
import { startMediumModule, type MediumModule } from '../../support/medium-module.js';
import { TEST_REDIS_URL } from '../../support/test-redis.js';

/** PathStore on the real adaptive_paths repository, Core's quiz results and the test Redis. */
describe('PathStore and single-flight builds (medium: real repositories on PostgreSQL and Redis)', () => {
  let m: MediumModule;
  let store: PathStore;
  let cache: KeyValueStore;

  beforeAll(async () => {
    m = await startMediumModule([PremiumModule], { REDIS_URL: TEST_REDIS_URL });
    store = m.module.get(PathStore);
    cache = m.module.get(KEY_VALUE_STORE);
  });
  afterAll(() => m?.close());

  const built = (studentId: string, at = new Date(), source: BuiltPath['source'] = 'llm'): BuiltPath => ({
    path: {
      ...pathHeader({ studentId, variant: 'adaptive' }, at),
      recommendations: [{ chapter_id: '02-prompting', action: 'review', priority: 1, reason: 'Best quiz score 40% is well under the pass mark' }],
      reasoning: 'Prompting first.',
    },
    source,
    fellBack: false,
  });
  const rows = async (studentId: string) =>
    (
      await m.pool.query(
        `SELECT path_id, decision_source, variant, reasoning, recommendations, evidence_at FROM adaptive_paths WHERE student_id = $1 ORDER BY generated_at`,
        [studentId],
      )
    ).rows;
  /** A finished quiz of the student's: returns its completed_at as the quiz results keep it (microseconds). */
  const finishQuiz = async (studentId: string): Promise<string> =>
    (
      await m.pool.query<{ at: string }>(
        `INSERT INTO quiz_results (student_id, quiz_id, answers, score, max_score, percentage, passed)
         VALUES ($1, '01-intro-quiz', '{}', 1, 2, 50, false)
         RETURNING to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`,
        [studentId],
      )
    ).rows[0]!.at;

  it('has no current path for a student who has none', async () => {
    expect(await store.current(await m.newStudent())).toBeNull();
  });

  it('stores a path with its source and evidence, settles inside the same transaction, and serves it as current', async () => {
    const student = await m.newStudent();
    const evidenceAt = await finishQuiz(student);
    const path = built(student);
    const settled = await store.save(path, evidenceAt, async (tx) => {
      // Inside the transaction: the path is there for it, not yet for anyone else.
      const [seen] = await tx.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM adaptive_paths WHERE path_id = $1`, [path.path.path_id]);
      const outside = (await m.pool.query(`SELECT 1 FROM adaptive_paths WHERE path_id = $1`, [path.path.path_id])).rowCount;
      return { seen: seen!.n, outside };
    });
    expect(settled).toEqual({ seen: 1, outside: 0 });
    expect(await rows(student)).toEqual([
      {
        path_id: path.path.path_id,
        decision_source: 'llm',
        variant: 'adaptive',
        reasoning: 'Prompting first.',
        recommendations: path.path.recommendations,
        evidence_at: new Date(evidenceAt.replace(/(\.\d{3})\d*Z$/, '$1Z')),
      },
    ]);
    expect(await store.current(student)).toEqual(path.path);
  });

  it('stores nothing and caches nothing when the settlement fails', async () => {
    const student = await m.newStudent();
    await expect(
      store.save(built(student), null, () => Promise.reject(new Error('the unit could not be charged'))),
    ).rejects.toThrow('the unit could not be charged');
    expect(await rows(student)).toEqual([]);
    expect(await cache.get(cacheKey(student))).toBeNull();
    expect(await store.current(student)).toBeNull();
  });

  it('stores a path with its unit settled in the same statement: a charge keeps it, a refund gives it back, a failure stores neither', async () => {
    const quota = m.module.get(QuotaService, { strict: false });
    const student = await m.newStudent();
    const counter = async () =>
      (
        await m.pool.query(
          `SELECT used, (SELECT count(*)::int FROM premium_quota_holds WHERE student_id = $1) AS holds FROM premium_usage_quotas WHERE student_id = $1`,
          [student],
        )
      ).rows;
    const held = async () => {
      const unit = await quota.take(student, FEATURES.adaptive_paths.name);
      if (!unit.granted) throw new Error('expected a unit');
      return unit;
    };

    const charged = await held();
    const first = built(student);
    expect(await store.saveSettled(first, null, (n) => charged.settlement('charge', n))).toBeUndefined();
    expect(await counter()).toEqual([{ used: 1, holds: 0 }]);
    expect(await store.current(student)).toEqual(first.path);

    const refunded = await held();
    expect(await store.saveSettled(built(student), null, (n) => refunded.settlement('refund', n))).toBe(1);
    expect(await counter()).toEqual([{ used: 1, holds: 0 }]);
    expect(await rows(student)).toHaveLength(2);

    const failing = await held();
    const broken = { ...failing.settlement('charge', 10), select: 'SELECT 1 / 0 AS used' };
    await expect(store.saveSettled(built(student), null, () => broken)).rejects.toThrow(/division by zero/);
    expect(await rows(student)).toHaveLength(2);
    expect(await counter()).toEqual([{ used: 2, holds: 1 }]);
  });

  it('without the cache entry, serves the newest stored path from PostgreSQL and caches it again', async () => {
    const student = await m.newStudent();
    const older = built(student, new Date(Date.now() - 60_000), 'rules');
    const newer = built(student);
    await store.save(older, null, () => Promise.resolve(undefined));
    await store.save(newer, null, () => Promise.resolve(undefined));
    await cache.delete(cacheKey(student));
    expect(await store.current(student)).toEqual(newer.path);
    expect(JSON.parse((await cache.get(cacheKey(student)))!)).toEqual({ path: newer.path, evidence_at: null });
  });

  it('a quiz finished since the path was built makes it stale, in the cache and in PostgreSQL', async () => {
    const student = await m.newStudent();
    await store.save(built(student), null, () => Promise.resolve(undefined));
    expect(await store.current(student)).not.toBeNull();
    await finishQuiz(student);
    expect(await store.current(student)).toBeNull();
    await cache.delete(cacheKey(student));
    expect(await store.current(student)).toBeNull();
  });

  it('an expired path is not current', async () => {
    const student = await m.newStudent();
    await store.save(built(student, new Date(Date.now() - 25 * 3600 * 1000)), null, () => Promise.resolve(undefined));
    expect(await store.current(student)).toBeNull();
  });

  it('build claims: one holder at a time, released by its holder only, taken over once expired', async () => {
    const builds = m.module.get(AdaptivePathBuildsRepository);
    const student = await m.newStudent();
    expect(await builds.claim(student, 'a0000000-0000-4000-8000-000000000001', 30)).toBe(true);
    expect(await builds.claim(student, 'b0000000-0000-4000-8000-000000000002', 30)).toBe(false);
    await builds.release(student, 'b0000000-0000-4000-8000-000000000002');
    expect(await builds.claim(student, 'b0000000-0000-4000-8000-000000000002', 30)).toBe(false);
    await builds.release(student, 'a0000000-0000-4000-8000-000000000001');
    expect(await builds.claim(student, 'b0000000-0000-4000-8000-000000000002', 30)).toBe(true);
    await m.pool.query(`UPDATE adaptive_path_builds SET expires_at = now() - interval '1 second' WHERE student_id = $1`, [student]);
    expect(await builds.claim(student, 'c0000000-0000-4000-8000-000000000003', 30)).toBe(true);
  });

  it('single flight: of five requests at once, one builds and the other four are served its path', async () => {
    const flight = m.module.get(PathSingleFlight);
    const student = await m.newStudent();
    let builds = 0;
    const work = {
      ready: () => store.current(student),
      build: async () => {
        builds++;
        const path = built(student);
        await new Promise((r) => setTimeout(r, 300));
        await store.save(path, null, () => Promise.resolve(undefined));
        return path.path;
      },
    };
    const served = await Promise.all(Array.from({ length: 5 }, () => flight.run(student, undefined, work)));
    expect(builds).toBe(1);
    expect(new Set(served.map((p) => p.path_id)).size).toBe(1);
    expect(await rows(student)).toHaveLength(1);
    expect((await m.pool.query(`SELECT 1 FROM adaptive_path_builds WHERE student_id = $1`, [student])).rowCount).toBe(0);
  });
});

/**
 * Retrieval over the course, measured: a fresh database is migrated and seeded (which splits and
 * indexes the chapters), then every question of bench/retrieval/questions.json is searched.
 * Prints recall@1, recall@3 and MRR (first relevant section within the top 10), query latency, and
 * how the relevance threshold treats the off-course questions, for the shipped tuning and the
 * variants it was chosen over. `npm run bench:retrieval` (DATABASE_URL's server, else
 * 127.0.0.1:5432). Asserts nothing but the question set's own consistency.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { projectRoot } from '../../src/common/paths/index.js';
import { CourseSearchService } from '../../src/core/content/course-search.service.js';
import { DEFAULT_TUNING, SectionsRepository, type SearchTuning } from '../../src/core/content/sections.repository.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { prepareDatabase } from '../../src/database/database-setup.js';
import { createBenchDatabase } from '../support/bench-database.js';

type Question = { id: string; kind: 'direct' | 'paraphrase'; question: string; relevant: string[] };
type QuestionSet = { questions: Question[]; off_course: { id: string; question: string }[] };

const VARIANTS: { name: string; tuning: SearchTuning }[] = [
  { name: 'shipped', tuning: DEFAULT_TUNING },
  { name: 'AND, then OR fallback (exact words, no length norm)', tuning: { prefix: false, order: 'all-first', normalization: 0 } },
  { name: 'AND, then OR fallback, prefixes', tuning: { prefix: true, order: 'all-first', normalization: 0 } },
  { name: 'AND, then OR fallback, prefixes, length norm', tuning: { prefix: true, order: 'all-first', normalization: 1 } },
  { name: 'OR by ts_rank_cd only, prefixes, length norm', tuning: { prefix: true, order: 'rank-cd', normalization: 1 } },
  { name: 'OR by coverage, prefixes, length norm', tuning: { prefix: true, order: 'coverage', normalization: 1 } },
  { name: 'OR by coverage, exact words, length norm', tuning: { prefix: false, order: 'coverage', normalization: 1 } },
  { name: 'OR by coverage, prefixes, no length norm', tuning: { prefix: true, order: 'coverage', normalization: 0 } },
  { name: 'OR by idf coverage, exact words, length norm', tuning: { prefix: false, order: 'idf-coverage', normalization: 1 } },
  { name: 'OR by idf coverage, prefixes, no length norm', tuning: { prefix: true, order: 'idf-coverage', normalization: 0 } },
  { name: 'OR by idf coverage, prefixes, length norm', tuning: { prefix: true, order: 'idf-coverage', normalization: 1 } },
  { name: 'BM25F, prefixes', tuning: { prefix: true, order: 'bm25', normalization: 1 } },
  { name: 'BM25F, exact words', tuning: { prefix: false, order: 'bm25', normalization: 1 } },
];

const TOP = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const set = JSON.parse(await readFile(join(projectRoot(), 'bench/retrieval/questions.json'), 'utf8')) as QuestionSet;
  const bench = await createBenchDatabase('cc_bench_retrieval');
  let db: DataSource | undefined;
  try {
    const started = performance.now();
    const setup = await prepareDatabase(bench.url, { NODE_ENV: 'production', DATABASE_MIGRATE_ON_START: true, SEED_ON_START: true });
    const seedMs = performance.now() - started;
    db = await new DataSource(dataSourceOptions(bench.url, 2)).initialize();
    const search = new CourseSearchService(new SectionsRepository(db));

    const known = new Set(
      ((await db.query(`SELECT chapter_id || '/' || section_id AS id FROM course_sections`)) as { id: string }[]).map((r) => r.id),
    );
    for (const q of set.questions) {
      for (const id of q.relevant) if (!known.has(id)) throw new Error(`${q.id}: no section ${id}`);
    }
    console.log(
      `course: ${setup.seeded?.chapters} chapters, ${known.size} sections indexed, migrate + seed ${seedMs.toFixed(0)} ms; ` +
        `${set.questions.length} questions (${set.questions.filter((q) => q.kind === 'paraphrase').length} paraphrased), ` +
        `${set.off_course.length} off-course\n`,
    );

    const rows: string[][] = [];
    for (const variant of VARIANTS) {
      let r1 = 0;
      let r3 = 0;
      let rr = 0;
      let falseRejects = 0;
      const misses: string[] = [];
      for (const q of set.questions) {
        const hits = await search.search(q.question, { limit: TOP, tuning: variant.tuning });
        const at = hits.findIndex((h) => q.relevant.includes(`${h.chapter_id}/${h.section_id}`));
        if (at === 0) r1++;
        if (at >= 0 && at < 3) r3++;
        if (at >= 0) rr += 1 / (at + 1);
        if (!CourseSearchService.onCourse(hits)) falseRejects++;
        if (variant.tuning === DEFAULT_TUNING && (at < 0 || at >= 3)) {
          misses.push(`  ${q.id} (${at < 0 ? `not in top ${TOP}` : `rank ${at + 1}`}): ${q.question}\n    got ${hits.slice(0, 3).map((h) => `${h.chapter_id}/${h.section_id}`).join(', ') || 'nothing'}`);
        }
      }
      let rejected = 0;
      for (const q of set.off_course) if (!CourseSearchService.onCourse(await search.search(q.question, { limit: TOP, tuning: variant.tuning }))) rejected++;
      const n = set.questions.length;
      rows.push([
        variant.name,
        (r1 / n).toFixed(3),
        (r3 / n).toFixed(3),
        (rr / n).toFixed(3),
        `${rejected}/${set.off_course.length}`,
        `${falseRejects}/${n}`,
      ]);
      if (misses.length) console.log(`${variant.name}: outside the top 3\n${misses.join('\n')}\n`);
    }
    const header = ['tuning', 'recall@1', 'recall@3', 'MRR', 'off-course rejected', 'on-course false rejects'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));

    // Latency of the shipped search, warm, one query at a time, as the tutor issues them.
    const latencies: number[] = [];
    const all = [...set.questions.map((q) => q.question), ...set.off_course.map((q) => q.question)];
    for (const q of all) await search.search(q, { limit: 5 });
    for (let round = 0; round < 10; round++) {
      for (const q of all) {
        const t0 = performance.now();
        await search.search(q, { limit: 5 });
        latencies.push(performance.now() - t0);
      }
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `\nquery latency (shipped tuning, top 5, ${latencies.length} queries): p50 ${percentile(latencies, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
    );
  } finally {
    await db?.destroy();
    await bench.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * Retrieval over the course, measured: a fresh database is migrated and seeded (which splits and
 * indexes the chapters), then every question of bench/retrieval/questions.json is searched.
 * Prints recall@1, recall@3 and MRR (first relevant section within the top 10), how the relevance
 * threshold treats off-course and on-course questions, for the shipped tuning and the variants it
 * was chosen over; then the shipped tuning on the held-out questions (not used to choose), and
 * query latency. `npm run bench:retrieval` (DATABASE_URL's server, else 127.0.0.1:5432). Asserts
 * nothing but the question set's own consistency.
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
type OffCourse = { id: string; question: string };
type QuestionSet = { questions: Question[]; off_course: OffCourse[]; heldout: Question[]; heldout_off_course: OffCourse[] };

const VARIANTS: { name: string; tuning: SearchTuning }[] = [
  { name: 'shipped: BM25F, prefixes', tuning: DEFAULT_TUNING },
  { name: 'AND, then OR fallback (exact words, no length norm)', tuning: { prefix: false, order: 'all-first', normalization: 0 } },
  { name: 'AND, then OR fallback, prefixes', tuning: { prefix: true, order: 'all-first', normalization: 0 } },
  { name: 'AND, then OR fallback, prefixes, length norm', tuning: { prefix: true, order: 'all-first', normalization: 1 } },
  { name: 'OR by ts_rank_cd only, prefixes, length norm', tuning: { prefix: true, order: 'rank-cd', normalization: 1 } },
  { name: 'OR by coverage, prefixes, length norm', tuning: { prefix: true, order: 'coverage', normalization: 1 } },
  { name: 'OR by coverage, exact words, length norm', tuning: { prefix: false, order: 'coverage', normalization: 1 } },
  { name: 'OR by idf coverage, prefixes, length norm', tuning: { prefix: true, order: 'idf-coverage', normalization: 1 } },
  { name: 'OR by idf coverage, exact words, length norm', tuning: { prefix: false, order: 'idf-coverage', normalization: 1 } },
  { name: 'BM25F, exact words', tuning: { prefix: false, order: 'bm25', normalization: 1 } },
];

const TOP = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type Scores = { row: string[]; misses: string[] };

async function evaluate(search: CourseSearchService, name: string, tuning: SearchTuning, questions: Question[], offCourse: OffCourse[]): Promise<Scores> {
  let r1 = 0;
  let r3 = 0;
  let rr = 0;
  let falseRejects = 0;
  const misses: string[] = [];
  for (const q of questions) {
    const hits = await search.search(q.question, { limit: TOP, tuning });
    const at = hits.findIndex((h) => q.relevant.includes(`${h.chapter_id}/${h.section_id}`));
    if (at === 0) r1++;
    if (at >= 0 && at < 3) r3++;
    if (at >= 0) rr += 1 / (at + 1);
    if (!CourseSearchService.onCourse(hits)) falseRejects++;
    if (at < 0 || at >= 3) {
      const got = hits.slice(0, 3).map((h) => `${h.chapter_id}/${h.section_id}`).join(', ') || 'nothing';
      misses.push(`  ${q.id} (${at < 0 ? `not in top ${TOP}` : `rank ${at + 1}`}): ${q.question}\n    got ${got}`);
    }
  }
  let rejected = 0;
  for (const q of offCourse) if (!CourseSearchService.onCourse(await search.search(q.question, { limit: TOP, tuning }))) rejected++;
  const n = questions.length;
  const row = [name, (r1 / n).toFixed(3), (r3 / n).toFixed(3), (rr / n).toFixed(3), `${rejected}/${offCourse.length}`, `${falseRejects}/${n}`];
  return { row, misses };
}

function table(rows: string[][]): string {
  const header = ['tuning', 'recall@1', 'recall@3', 'MRR', 'off-course rejected', 'on-course false rejects'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
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
    for (const q of [...set.questions, ...set.heldout]) {
      for (const id of q.relevant) if (!known.has(id)) throw new Error(`${q.id}: no section ${id}`);
    }
    const paraphrased = (qs: Question[]) => qs.filter((q) => q.kind === 'paraphrase').length;
    console.log(
      `course: ${setup.seeded?.chapters} chapters, ${known.size} sections indexed, migrate + seed ${seedMs.toFixed(0)} ms\n` +
        `tuning set: ${set.questions.length} questions (${paraphrased(set.questions)} paraphrased), ${set.off_course.length} off-course; ` +
        `held out: ${set.heldout.length} questions (${paraphrased(set.heldout)} paraphrased), ${set.heldout_off_course.length} off-course\n`,
    );

    const rows: string[][] = [];
    for (const variant of VARIANTS) {
      const scores = await evaluate(search, variant.name, variant.tuning, set.questions, set.off_course);
      rows.push(scores.row);
      if (variant.tuning === DEFAULT_TUNING) console.log(`shipped, outside the top 3:\n${scores.misses.join('\n')}\n`);
    }
    const heldout = await evaluate(search, 'shipped: BM25F, prefixes', DEFAULT_TUNING, set.heldout, set.heldout_off_course);
    if (heldout.misses.length) console.log(`held out, shipped, outside the top 3:\n${heldout.misses.join('\n')}\n`);
    console.log(`Questions the tuning was chosen on:\n${table(rows)}\n`);
    console.log(`Held-out questions (not used to choose):\n${table([heldout.row])}\n`);
    const all = await evaluate(
      search,
      'shipped: BM25F, prefixes',
      DEFAULT_TUNING,
      [...set.questions, ...set.heldout],
      [...set.off_course, ...set.heldout_off_course],
    );
    console.log(`Both sets together:\n${table([all.row])}`);

    // Latency of the shipped search, warm, one query at a time, as the tutor issues them.
    const latencies: number[] = [];
    const texts = [...set.questions, ...set.heldout, ...set.off_course, ...set.heldout_off_course].map((q) => q.question);
    for (const q of texts) await search.search(q, { limit: 5 });
    for (let round = 0; round < 10; round++) {
      for (const q of texts) {
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

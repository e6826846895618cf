/**
 * The cost report at 1,000,000 usage rows: median time of the report query per group_by over one
 * month, with the report index and (the baseline, same run) with index scans switched off.
 * `npm run bench:costs` (DATABASE_URL's server, else 127.0.0.1:5432). Prints figures.
 */
import { DataSource } from 'typeorm';
import { AlertsRepository } from '../src/admin/alerts/alerts.repository.js';
import { CostReportService } from '../src/admin/costs/cost-report.service.js';
import { StudentsRepository, StudentsService } from '../src/core/index.js';
import { UsageReportRepository } from '../src/usage/index.js';
import { loadConfig } from '../src/config/config.loader.js';
import { prepareDatabase } from '../src/database/database-setup.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { createBenchDatabase } from './support/bench-database.js';
import { progress } from '../src/common/cli/index.js';

const SEED_BATCH = 100_000;

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const bench = await createBenchDatabase('cc_bench_costs');
const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: bench.url, JWT_SECRET_KEY: 'x'.repeat(40) });
await prepareDatabase(bench.url, config);
const db = await new DataSource(dataSourceOptions(bench.url, 2)).initialize();
try {
  const seeded = performance.now();
  // A year of rows for 2,000 students: the report reads one month of it.
  await db.query(`INSERT INTO students (student_id, email, password_hash, full_name)
                  SELECT gen_random_uuid(), 'bench' || i || '@example.com', 'x', 'Bench ' || i FROM generate_series(1, 2000) i`);
  // In batches, so a terminal can show how far the seeding is.
  const seeding = progress('seeding usage rows', ROWS);
  for (let from = 1; from <= ROWS; from += SEED_BATCH) {
    seeding.update(from - 1);
    await db.query(
      `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, variant, provider, model, outcome, success,
                                   tokens_input, tokens_output, cost_usd, latency_ms, created_at, deleted_at)
       SELECT gen_random_uuid(), 1, s.ids[1 + (i % 2000)],
              CASE WHEN i % 5 < 3 THEN 'assessments' ELSE 'adaptive_paths' END,
              CASE WHEN i % 2 = 0 THEN 'adaptive' ELSE 'static' END, 'anthropic',
              CASE WHEN i % 3 = 0 THEN 'claude-haiku-5-5' ELSE 'claude-sonnet-5-5' END,
              CASE WHEN i % 50 = 0 THEN 'error' ELSE 'success' END, i % 50 <> 0,
              300 + i % 900, 200 + i % 600, ((i % 9000) + 17) / 1000000.0, 500 + i % 3000,
              timestamptz '2026-01-01' + (i::float / $1) * interval '365 days',
              CASE WHEN i % 100 = 0 THEN now() ELSE NULL END
         FROM generate_series($2::int, $3::int) i, (SELECT array_agg(student_id) AS ids FROM students) s`,
      [ROWS, from, Math.min(ROWS, from + SEED_BATCH - 1)],
    );
  }
  seeding.done();
  await db.query('VACUUM ANALYZE llm_usage_logs');
  console.log(`seeded ${ROWS.toLocaleString('en')} usage rows in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  // The baseline: the same report on connections whose planner may not use any index.
  const seqscan = await new DataSource({
    ...dataSourceOptions(bench.url, 2),
    extra: { options: '-c enable_indexscan=off -c enable_indexonlyscan=off -c enable_bitmapscan=off' },
  }).initialize();
  try {
    const on = (source: DataSource) =>
      new CostReportService(new UsageReportRepository(source), new StudentsService(new StudentsRepository(source)), new AlertsRepository(source), config);
    const service = on(db);
    const baseline = on(seqscan);
    for (const group of ['feature', 'model', 'day', 'student'] as const) {
      const indexed = await median(7, () => service.report('2026-11-01', '2026-11-30', group));
      const scanned = await median(5, () => baseline.report('2026-11-01', '2026-11-30', group));
      console.log(
        `group_by=${group.padEnd(7)} report ${indexed.toFixed(1).padStart(7)} ms | same report without indexes ${scanned.toFixed(1).padStart(7)} ms | ratio ${(indexed / scanned).toFixed(2)}`,
      );
    }
  } finally {
    await seqscan.destroy();
  }
} finally {
  await db.destroy();
  await bench.drop();
}

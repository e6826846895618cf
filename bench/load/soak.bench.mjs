// Soak benchmark: the same set-up as load.bench.mjs (production build in a child process, fresh
// PostgreSQL database, Redis, the fake Anthropic API answering at once), then a mixed workload at
// a moderate, fixed rate for a long time, sampling the app's memory every 10 s.
// `npm run bench:soak`. Prints the samples and a summary, then one JSON line; asserts nothing.
//
// Settings (env): SOAK_SECONDS (600) measured, SOAK_WARMUP_SECONDS (30) before the first memory
// baseline, SOAK_CONNECTIONS (50) of which SOAK_PREMIUM_CONNECTIONS (15) premium, SOAK_RATE (100
// requests/s over all connections; 0 = as fast as possible), SOAK_SAMPLE_SECONDS (10),
// LOAD_STUDENTS (40) / LOAD_PREMIUM_STUDENTS (20), LOAD_PG_ADMIN_URL, LOAD_REDIS_URL.
import {
  QUIZ_ID,
  REDIS_URL,
  compileFakes,
  createDatabase,
  diffCounts,
  envNumber,
  expectOk,
  fetchJson,
  fmt,
  forgetRedisKeys,
  get,
  jsonPost,
  makeStudents,
  metricValue,
  out,
  percentiles,
  printHeader,
  premiumSources,
  quizAnswers,
  runLoad,
  scrapeMetrics,
  slope,
  sleep,
  startApp,
  startFakeLlm,
  waitIdle,
} from './harness.mjs';

const SECONDS = envNumber('SOAK_SECONDS', 600);
const WARMUP = envNumber('SOAK_WARMUP_SECONDS', 30);
const CONNECTIONS = envNumber('SOAK_CONNECTIONS', 50);
const PREMIUM_CONNECTIONS = Math.min(CONNECTIONS, envNumber('SOAK_PREMIUM_CONNECTIONS', 15));
const RATE = envNumber('SOAK_RATE', 100);
const SAMPLE_SECONDS = envNumber('SOAK_SAMPLE_SECONDS', 10);
const STUDENTS = envNumber('LOAD_STUDENTS', 40);
const PREMIUM = Math.min(STUDENTS, envNumber('LOAD_PREMIUM_STUDENTS', 20));
const PATH = '/api/v2/adaptive/path';

const mb = (kb) => kb / 1024;

async function main() {
  const started = Date.now();
  const info = printHeader('soak');
  out(`workload: ${CONNECTIONS} connections (${PREMIUM_CONNECTIONS} premium), ${RATE > 0 ? `${RATE} requests/s in all` : 'unthrottled'}, ` +
    `${WARMUP} s warm-up then ${SECONDS} s measured; memory sampled every ${SAMPLE_SECONDS} s`);

  compileFakes();
  const db = await createDatabase('bench_soak');
  const cleanups = [() => db.drop()];
  try {
    const fake = await startFakeLlm();
    cleanups.unshift(() => fake.stop());
    // No timing preload: it keeps a sample per request, which would grow the very memory measured here.
    const app = await startApp({ databaseUrl: db.url, llmUrl: fake.url, timing: false, extraEnv: { LLM_MAX_CONCURRENCY: '64', LLM_MAX_QUEUE: '1000' } });
    cleanups.unshift(() => app.stop());
    await db.client.connect();
    out(`app: node dist/src/main.js (pid ${app.pid}), NODE_ENV=production, LOG_LEVEL=warn, Redis ${REDIS_URL}, no timing preload`);

    const students = await makeStudents(app, db.client, { count: STUDENTS, premium: PREMIUM, tag: `soak-${Date.now()}` });
    cleanups.unshift(() => forgetRedisKeys(students.ids));
    const token = students.all[0];
    const answers = await quizAnswers(app, token);
    const chapters = await expectOk(await fetchJson(app.url, 'GET', '/api/v1/chapters', { token }), 'chapters');
    const chapterIds = chapters.chapters.map((c) => c.chapter_id);

    // Free students read and take quizzes; premium students also ask for paths. A quiz finished
    // makes the student's cached path stale, so the next `{}` asks the (fake) model again.
    const v1 = (i) => [
      get('/api/v1/chapters'),
      get(`/api/v1/chapters/${chapterIds[i % chapterIds.length]}`),
      get(`/api/v1/quizzes/${QUIZ_ID}`),
      jsonPost(`/api/v1/quizzes/${QUIZ_ID}/submit`, answers),
      get('/api/v1/progress'),
      get('/api/v1/progress/quiz-history?limit=10'),
    ];
    const premium = () => [
      get('/api/v1/chapters'),
      jsonPost(PATH, {}),
      get('/api/v2/usage/quota'),
      jsonPost(PATH, {}),
      jsonPost(`/api/v1/quizzes/${QUIZ_ID}/submit`, answers),
      jsonPost(PATH, {}),
      jsonPost(PATH, { force_refresh: true }),
    ];
    const perConnection = (i) =>
      i < PREMIUM_CONNECTIONS
        ? { token: students.premium[i % students.premium.length], requests: premium() }
        : { token: students.free.length > 0 ? students.free[i % students.free.length] : students.all[i % students.all.length], requests: v1(i) };
    out(`students: ${STUDENTS} registered through the API (${PREMIUM} premium); premium connections cycle ` +
      `chapters, path {}, quota, path {}, quiz submit, path {}, path {force_refresh}; the others chapters, a chapter, the quiz, quiz submit, progress, history`);
    out('');

    const sourcesBefore = await premiumSources(db.client);
    const samples = [];
    let window = { n: 0, bad: 0, latencies: [] };
    const t0 = Date.now();
    let stopSampling = false;
    const sampler = (async () => {
      out(`${'t s'.padStart(5)} ${'RSS MB'.padStart(8)} ${'heap used'.padStart(10)} ${'heap total'.padStart(10)} ${'external'.padStart(9)} ${'req/s'.padStart(7)} ${'p99 ms'.padStart(8)} ${'non2xx'.padStart(7)} ${'loop p99'.padStart(9)}`);
      for (let k = 1; !stopSampling; k++) {
        await sleep(Math.max(0, t0 + k * SAMPLE_SECONDS * 1000 - Date.now()));
        if (stopSampling) break;
        const current = window;
        window = { n: 0, bad: 0, latencies: [] };
        const rss = app.rssKb();
        let metrics = [];
        try {
          metrics = await scrapeMetrics(app.url);
        } catch {
          // the app is too busy to answer in time: keep RSS only
        }
        const sample = {
          t: (Date.now() - t0) / 1000,
          rss_mb: mb(rss),
          heap_used_mb: metricValue(metrics, 'nodejs_heap_size_used_bytes') / 2 ** 20,
          heap_total_mb: metricValue(metrics, 'nodejs_heap_size_total_bytes') / 2 ** 20,
          external_mb: metricValue(metrics, 'nodejs_external_memory_bytes') / 2 ** 20,
          rps: current.n / SAMPLE_SECONDS,
          p99: percentiles(current.latencies).p99,
          non2xx: current.bad,
          loop_lag_p99_ms: metricValue(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        };
        samples.push(sample);
        out(`${fmt(sample.t, 0).padStart(5)} ${fmt(sample.rss_mb, 1).padStart(8)} ${fmt(sample.heap_used_mb, 1).padStart(10)} ${fmt(sample.heap_total_mb, 1).padStart(10)} ` +
          `${fmt(sample.external_mb, 1).padStart(9)} ${fmt(sample.rps, 0).padStart(7)} ${fmt(sample.p99, 1).padStart(8)} ${String(sample.non2xx).padStart(7)} ${fmt(sample.loop_lag_p99_ms, 1).padStart(9)}` +
          `${sample.t <= WARMUP + 0.5 ? '  (warm-up)' : ''}`);
        if (app.exited() !== undefined) break;
      }
    })();

    const run = await runLoad({
      url: app.url,
      connections: CONNECTIONS,
      seconds: WARMUP + SECONDS,
      perConnection,
      rate: RATE > 0 ? RATE : undefined,
      onResponse: (status, ms) => {
        window.n++;
        if (status < 200 || status >= 300) window.bad++;
        window.latencies.push(ms);
      },
    });
    stopSampling = true;
    await sampler;
    if (app.exited() !== undefined) throw new Error(`the app died during the soak (${app.exited()}):\n${app.log.tail()}`);
    const idleAfterMs = await waitIdle(app.pid);
    const rssIdleMb = mb(app.rssKb());
    const sources = diffCounts(await premiumSources(db.client), sourcesBefore);
    const { rows: [size] } = await db.client.query('SELECT pg_database_size(current_database()) AS bytes');

    // Memory: baseline = the first sample after the warm-up.
    const measured = samples.filter((s) => s.t >= WARMUP - 0.5);
    const first = measured[0] ?? samples[0];
    const last = samples.at(-1);
    const perMinute = (key, list) => slope(list.map((s) => s.t / 60), list.map((s) => s[key]));
    const secondHalf = measured.slice(Math.floor(measured.length / 2));
    const memory = {
      rss_start_mb: first.rss_mb,
      rss_end_mb: last.rss_mb,
      rss_max_mb: Math.max(...samples.map((s) => s.rss_mb)),
      rss_slope_mb_per_min: perMinute('rss_mb', measured),
      rss_slope_second_half_mb_per_min: perMinute('rss_mb', secondHalf),
      rss_after_idle_mb: rssIdleMb,
      heap_start_mb: first.heap_used_mb,
      heap_end_mb: last.heap_used_mb,
      heap_max_mb: Math.max(...samples.map((s) => s.heap_used_mb).filter(Number.isFinite)),
      heap_slope_mb_per_min: perMinute('heap_used_mb', measured.filter((s) => Number.isFinite(s.heap_used_mb))),
      heap_slope_second_half_mb_per_min: perMinute('heap_used_mb', secondHalf.filter((s) => Number.isFinite(s.heap_used_mb))),
    };

    out('');
    out('## Soak summary');
    out(`requests: ${run.requests} in ${fmt(run.seconds, 0)} s = ${fmt(run.rps, 1)} req/s (target rate ${RATE || 'max'}); ` +
      `latency p50 ${fmt(run.p50)} ms, p90 ${fmt(run.p90)} ms, p99 ${fmt(run.p99)} ms, max ${fmt(run.max)} ms`);
    out(`non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts}; status codes ${JSON.stringify(run.statuses)} (target: zero errors)`);
    if (RATE > 0) {
      out('(autocannon paces a rate per connection in one-second bursts: every connection sends its share at the start of each second, ' +
        'so these latencies include draining that burst; the soak is for memory and errors, load.bench.mjs for latency)');
    }
    out(`premium paths served as ${JSON.stringify(sources)}`);
    out(`RSS: start ${fmt(memory.rss_start_mb, 1)} MB (after warm-up), end ${fmt(memory.rss_end_mb, 1)} MB, max ${fmt(memory.rss_max_mb, 1)} MB, ` +
      `slope ${fmt(memory.rss_slope_mb_per_min, 3)} MB/min over the measured part (${fmt(memory.rss_slope_second_half_mb_per_min, 3)} MB/min over its second half); ` +
      `${fmt(memory.rss_after_idle_mb, 1)} MB once idle (${(idleAfterMs / 1000).toFixed(0)} s after the load)`);
    out(`heap used: start ${fmt(memory.heap_start_mb, 1)} MB, end ${fmt(memory.heap_end_mb, 1)} MB, max ${fmt(memory.heap_max_mb, 1)} MB, ` +
      `slope ${fmt(memory.heap_slope_mb_per_min, 3)} MB/min (${fmt(memory.heap_slope_second_half_mb_per_min, 3)} MB/min over the second half) — from the app's /metrics`);
    out(`database size at the end: ${fmt(Number(size.bytes) / 2 ** 20, 1)} MB`);
    const log = app.log.summary();
    out(`app log at warn and above (${log.length} distinct):`);
    for (const { message, count, example } of log) out(`  ${String(count).padStart(7)} × ${message}${count <= 3 ? `\n            ${example}` : ''}`);
    out(`total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    out('');
    const figures = {
      machine: info,
      settings: { seconds: SECONDS, warmup_seconds: WARMUP, connections: CONNECTIONS, premium_connections: PREMIUM_CONNECTIONS, rate: RATE, students: STUDENTS, premium_students: PREMIUM, redis: REDIS_URL },
      load: run,
      sources,
      memory,
      database_mb: Number(size.bytes) / 2 ** 20,
      samples,
      log: log.map(({ message, count }) => ({ message, count })),
    };
    out(JSON.stringify(figures, (_k, v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v)));
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`cleanup: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }
}

await main();

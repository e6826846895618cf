// Load benchmark: the production build (`node dist/src/main.js`, NODE_ENV=production) on a fresh
// PostgreSQL database, Redis, and the fake Anthropic API answering at once, under autocannon at
// 100 and 500 connections, each figure next to a bare Fastify server serving the same chapters
// bytes in the same run (the machine is shared and noisy: ratios are what compare).
// `npm run bench:load`. Prints figures and targets, then one JSON line; asserts nothing.
//
// Settings (env): LOAD_SECONDS (10) per measured run, LOAD_WARMUP_SECONDS (2) before each,
// LOAD_CONNECTIONS ("100,500"), LOAD_STUDENTS (40) of whom LOAD_PREMIUM_STUDENTS (20) premium,
// LOAD_SEQUENTIAL (300) one-at-a-time requests per route for the no-queueing figures and the paired
// overhead, LOAD_LLM_MAX_CONCURRENCY (64) / LOAD_LLM_MAX_QUEUE (1000) for the app's LLM bulkhead (with
// its defaults, 8 / 50, a trial served ~5 % of forced refreshes at 100 connections and ~90 % at 500
// from the rules, the bulkhead being full: that measures the fallback, not the LLM path),
// LOAD_DATABASE_POOL_SIZE (app default), LOAD_PG_ADMIN_URL, LOAD_REDIS_URL (default db 11, so the
// throttle counters stay apart from tests using db 0), LOAD_SERVER_TIMING=0 to leave out the
// in-process timing preload (the app unobserved: its own throughput; in-process figures are then
// n/a, the client-side pairs remain), LOAD_NODE_ARGS for extra node flags on the app (e.g. --cpu-prof).
// LOAD_SCENARIOS: a comma-separated subset of the scenarios to run (default all): chapters, chapter,
// quiz, progress (v1 reads), submit (quiz submission), path-cache, path-llm (forced refresh); the
// one-at-a-time figures follow the same selection (chapters, submit, path-cache, path-llm).
// LOAD_CPU_PROFILE=N (e.g. 10): V8's sampling profiler in the app around each measured run (a
// preload, started and stopped over IPC), the N functions with the most self time printed per
// scenario and each profile written to LOAD_CPU_PROFILE_DIR (default dist/bench-profiles) as a
// .cpuprofile (open in Chrome DevTools or speedscope); sampling adds a little overhead, so take
// throughput figures from runs without it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  QUIZ_ID,
  REDIS_URL,
  call,
  diffCounts,
  forgetRedisKeys,
  premiumSources,
  compileFakes,
  cpuMs,
  createDatabase,
  ROOT,
  profileTop,
  envNumber,
  expectOk,
  fetchJson,
  fmt,
  get,
  histogramPercentiles,
  jsonPost,
  makeStudents,
  metricValue,
  out,
  percentiles,
  printHeader,
  quizAnswers,
  runLoad,
  sampleDatabase,
  scrapeMetrics,
  startApp,
  startBareServer,
  startFakeLlm,
  waitIdle,
  withCpu,
} from './harness.mjs';

const SECONDS = envNumber('LOAD_SECONDS', 10);
const WARMUP = envNumber('LOAD_WARMUP_SECONDS', 2);
const CONNECTIONS = (process.env.LOAD_CONNECTIONS ?? '100,500').split(',').map((c) => Number(c.trim()));
const STUDENTS = envNumber('LOAD_STUDENTS', 40);
const PREMIUM = Math.min(STUDENTS, envNumber('LOAD_PREMIUM_STUDENTS', 20));
const SEQUENTIAL = envNumber('LOAD_SEQUENTIAL', 300);
const LLM_MAX_CONCURRENCY = process.env.LOAD_LLM_MAX_CONCURRENCY ?? '64';
const LLM_MAX_QUEUE = process.env.LOAD_LLM_MAX_QUEUE ?? '1000';
const TIMING = process.env.LOAD_SERVER_TIMING !== '0';
const SELECTED = process.env.LOAD_SCENARIOS ? new Set(process.env.LOAD_SCENARIOS.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
const PROFILE_TOP = envNumber('LOAD_CPU_PROFILE', 0);
const PROFILE_DIR = process.env.LOAD_CPU_PROFILE_DIR ?? join(ROOT, 'dist', 'bench-profiles');
const selected = (key) => !SELECTED || SELECTED.has(key);

const TARGET = { v1ReadRatio: 0.5, p99At100: 25, overheadP50: 2, overheadP99: 10 };
const PATH = '/api/v2/adaptive/path';
const QUIZ_SUBMIT = `/api/v1/quizzes/${QUIZ_ID}/submit`;

const pad = (v, n) => String(v).padStart(n);
const mb = (kb) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(1)} MB` : 'n/a');

async function main() {
  const started = Date.now();
  const info = printHeader('load');
  out(`runs: ${SECONDS} s measured after ${WARMUP} s warm-up, connections ${CONNECTIONS.join(' and ')}; autocannon in this process`);

  compileFakes();
  const db = await createDatabase('bench_load');
  const cleanups = [() => db.drop()];
  const figures = { machine: info, settings: {}, scenarios: [], bare: {}, overhead: {}, rss: {}, log: [] };
  try {
    const fake = await startFakeLlm();
    cleanups.unshift(() => fake.stop());
    const app = await startApp({
      databaseUrl: db.url,
      llmUrl: fake.url,
      extraEnv: {
        LLM_MAX_CONCURRENCY,
        LLM_MAX_QUEUE,
        ...(process.env.LOAD_DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.LOAD_DATABASE_POOL_SIZE } : {}),
      },
    });
    cleanups.unshift(() => app.stop());
    await db.client.connect();
    figures.settings = {
      seconds: SECONDS,
      warmup_seconds: WARMUP,
      connections: CONNECTIONS,
      students: STUDENTS,
      premium_students: PREMIUM,
      redis: REDIS_URL,
      database_pool_size: app.env.DATABASE_POOL_SIZE ?? '10 (default)',
      llm_max_concurrency: LLM_MAX_CONCURRENCY,
      llm_max_queue: LLM_MAX_QUEUE,
      server_timing: process.env.LOAD_SERVER_TIMING !== '0',
    };
    out(`app: node dist/src/main.js (pid ${app.pid}), NODE_ENV=production, LOG_LEVEL=warn, Redis ${REDIS_URL}, ` +
      `DATABASE_POOL_SIZE ${figures.settings.database_pool_size}, LLM_MAX_CONCURRENCY ${LLM_MAX_CONCURRENCY}, LLM_MAX_QUEUE ${LLM_MAX_QUEUE}, ` +
      `throttler limits ${app.env.THROTTLE_LIMIT_PER_IP}`);
    out(`fake LLM: test/fakes/anthropic in its own process (pid ${fake.pid}), answering at once`);
    figures.rss.after_start_kb = app.rssKb();

    const students = await makeStudents(app, db.client, { count: STUDENTS, premium: PREMIUM, tag: `load-${Date.now()}` });
    cleanups.unshift(() => forgetRedisKeys(students.ids));
    out(`students: ${STUDENTS} registered through the API (${PREMIUM} promoted to premium in SQL); ` +
      `connection i signs in as student i mod n (v1: all ${STUDENTS}; v2: the ${PREMIUM} premium ones)`);

    const chapters = await fetchJson(app.url, 'GET', '/api/v1/chapters', { token: students.all[0] });
    await expectOk(chapters, 'chapters');
    const answers = await quizAnswers(app, students.all[0]);
    const bare = await startBareServer(chapters.raw, chapters.headers['content-type']);
    cleanups.unshift(() => bare.stop());
    out(`bare Fastify: the same ${chapters.raw.length} bytes of chapters JSON from its own process (pid ${bare.pid})`);
    out('');

    // The reference: the bare server at the same connection count, measured right before each
    // app run, so both see the same background load on this shared machine.
    const bareRun = async (connections) => {
      await waitIdle(app.pid);
      if (WARMUP > 0) await runLoad({ url: bare.url, connections, seconds: WARMUP, requests: [get('/api/v1/chapters')] });
      const { result, cpu } = await withCpu({ bare: bare.pid }, () =>
        runLoad({ url: bare.url, connections, seconds: SECONDS, requests: [get('/api/v1/chapters')] }));
      return { ...result, cpu };
    };

    // --- The app's scenarios. ---
    const chapterPath = `/api/v1/chapters/${chapters.json.chapters[0].chapter_id}`;
    const quizPath = `/api/v1/quizzes/${QUIZ_ID}`;
    const allScenarios = [
      { key: 'chapters', name: 'GET /api/v1/chapters', kind: 'v1-read', route: ['GET', '/api/v1/chapters'], path: '/api/v1/chapters',
        requests: [get('/api/v1/chapters')], tokens: students.all },
      { key: 'chapter', name: `GET ${chapterPath}`, kind: 'v1-read', route: ['GET', '/api/v1/chapters/:chapter_id'], path: chapterPath,
        requests: [get(chapterPath)], tokens: students.all },
      { key: 'quiz', name: `GET ${quizPath}`, kind: 'v1-read', route: ['GET', '/api/v1/quizzes/:quiz_id'], path: quizPath,
        requests: [get(quizPath)], tokens: students.all },
      { key: 'progress', name: 'GET /api/v1/progress', kind: 'v1-read', route: ['GET', '/api/v1/progress'], path: '/api/v1/progress',
        requests: [get('/api/v1/progress')], tokens: students.all },
      { key: 'submit', name: `POST ${QUIZ_SUBMIT}`, kind: 'v1-write', route: ['POST', '/api/v1/quizzes/:quiz_id/submit'], path: QUIZ_SUBMIT,
        requests: [jsonPost(QUIZ_SUBMIT, answers)], tokens: students.all },
      { key: 'path-cache', name: `POST ${PATH} {} (cache)`, kind: 'v2-cache', route: ['POST', PATH], path: PATH,
        requests: [jsonPost(PATH, {})], tokens: students.premium, before: () => primePathCache(app, students.premium) },
      { key: 'path-llm', name: `POST ${PATH} {"force_refresh":true}`, kind: 'v2-llm', route: ['POST', PATH], path: PATH,
        requests: [jsonPost(PATH, { force_refresh: true })], tokens: students.premium },
    ];
    const scenarios = allScenarios.filter((s) => selected(s.key));
    if (SELECTED) {
      const unknown = [...SELECTED].filter((key) => !allScenarios.some((s) => s.key === key));
      if (unknown.length > 0) throw new Error(`LOAD_SCENARIOS: unknown ${unknown.join(', ')}; known: ${allScenarios.map((s) => s.key).join(', ')}`);
      out(`scenarios: ${scenarios.map((s) => s.key).join(', ')} (LOAD_SCENARIOS)`);
    }
    if (PROFILE_TOP > 0) mkdirSync(PROFILE_DIR, { recursive: true });
    const byKey = Object.fromEntries(allScenarios.map((s) => [s.key, s]));

    const results = [];
    for (const scenario of scenarios) {
      for (const connections of CONNECTIONS) {
        const bareFigures = await bareRun(connections);
        if (scenario.before) await scenario.before();
        const options = { url: app.url, connections, requests: scenario.requests, tokens: scenario.tokens };
        if (WARMUP > 0) await runLoad({ ...options, seconds: WARMUP });
        await app.timingReset();
        await fake.reset();
        const sourcesBefore = await premiumSources(db.client);
        const metricsBefore = await scrapeMetrics(app.url);
        const stopSampling = sampleDatabase(db.client, db.name);
        await app.profileStart();
        const { result: run, cpu } = await withCpu({ app: app.pid, fake: fake.pid }, () => runLoad({ ...options, seconds: SECONDS }));
        const profile = await app.profileStop();
        const database = stopSampling();
        const metricsAfter = await scrapeMetrics(app.url);
        const timings = await app.timings();
        const fakeTimes = await fake.durations();
        const sources = diffCounts(await premiumSources(db.client), sourcesBefore);
        const serverSamples = timings?.[`${scenario.route[0]} ${scenario.path} 2xx`] ?? [];
        results.push({
          scenario: scenario.name,
          kind: scenario.kind,
          ...run,
          bare: bareFigures,
          database,
          cpu,
          server: timings ? percentiles(serverSamples, [50, 90, 99]) : undefined,
          prometheus: histogramPercentiles(metricsBefore, metricsAfter, scenario.route[0], scenario.route[1]),
          fake: scenario.kind.startsWith('v2') ? { ...percentiles(fakeTimes, [50, 90, 99]) } : undefined,
          sources: scenario.kind.startsWith('v2') ? sources : undefined,
          event_loop_lag_p99_ms: metricValue(metricsAfter, 'nodejs_eventloop_lag_p99_seconds') * 1000,
          rss_kb: app.rssKb(),
          otherStatuses: timings ? otherStatuses(timings) : undefined,
          profile: profile ? saveProfile(profile, `${scenario.key}-${connections}`) : undefined,
        });
        if (app.exited() !== undefined) throw new Error(`the app died during "${scenario.name}" at ${connections} connections (${app.exited()}):\n${app.log.tail()}`);
        out(`  done: ${scenario.name} @ ${connections}: ${fmt(run.rps, 0)} req/s (bare just before: ${fmt(bareFigures.rps, 0)} req/s)`);
      }
    }
    await waitIdle(app.pid);

    for (const connections of CONNECTIONS) {
      const runs = results.filter((r) => r.connections === connections).map((r) => r.bare);
      const rps = runs.map((r) => r.rps);
      figures.bare[connections] = {
        runs: runs.length,
        rps: rps.reduce((a, b) => a + b, 0) / rps.length,
        rps_min: Math.min(...rps),
        rps_max: Math.max(...rps),
        p50: percentiles(runs.map((r) => r.p50)).p50,
        p99: percentiles(runs.map((r) => r.p99)).p50,
        non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
        errors: runs.reduce((a, r) => a + r.errors, 0),
        timeouts: runs.reduce((a, r) => a + r.timeouts, 0),
      };
    }

    // --- One request at a time: each route's own cost with no queueing anywhere. ---
    const single = [];
    if (SEQUENTIAL > 0) {
      const token = students.premium[0];
      for (const key of ['chapters', 'chapter', 'quiz', 'progress']) {
        if (selected(key)) single.push({ scenario: byKey[key].name, ...(await oneAtATime(app, { method: 'GET', path: byKey[key].path, token })) });
      }
      if (selected('submit')) single.push({ scenario: byKey.submit.name, ...(await oneAtATime(app, { method: 'POST', path: QUIZ_SUBMIT, body: answers, token })) });
      if (selected('path-cache')) {
        await primePathCache(app, [token]);
        single.push({ scenario: byKey['path-cache'].name, ...(await oneAtATime(app, { method: 'POST', path: PATH, body: {}, token })) });
      }
    }
    // The forced refresh, paired request by request with the fake's own time.
    const sequential = SEQUENTIAL > 0 && selected('path-llm') ? await sequentialOverhead(app, fake, db.client, students.premium[0]) : undefined;
    if (sequential) {
      single.push({ scenario: byKey['path-llm'].name, client: sequential.via_app, server: sequential.server, cpu_ms: sequential.cpu_ms });
    }
    figures.one_at_a_time = single.map((r) => ({ scenario: r.scenario, client_p50: r.client.p50, client_p99: r.client.p99,
      server_p50: r.server.p50, server_p99: r.server.p99, app_cpu_ms_per_request: r.cpu_ms }));

    figures.rss.end_kb = app.rssKb();
    figures.rss.max_sampled_kb = Math.max(figures.rss.after_start_kb, ...results.map((r) => r.rss_kb), figures.rss.end_kb);
    const endMetrics = await scrapeMetrics(app.url);
    figures.heap_used_end_mb = metricValue(endMetrics, 'nodejs_heap_size_used_bytes') / 2 ** 20;

    report(results, figures, sequential, single);
    figures.log = app.log.summary().map(({ message, count }) => ({ message, count }));
    out('');
    out(`app log at warn and above during the run (${figures.log.length} distinct):`);
    for (const { message, count, example } of app.log.summary()) out(`  ${pad(count, 7)} × ${message}${count <= 3 ? `\n            ${example}` : ''}`);
    out(`total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    out('');
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

  function report(results, figures, sequential, single) {
    out('');
    out('## Throughput and latency (latency measured by the client: includes load-generator queueing)');
    out('targets: zero non-2xx/errors/timeouts; v1 read req/s ≥ 50 % of bare; p99 < 25 ms at 100 connections');
    out(`${'scenario'.padEnd(52)} ${pad('conns', 5)} ${pad('req/s', 8)} ${pad('vs bare', 8)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('non2xx', 7)} ${pad('errors', 7)} ${pad('t/o', 5)}  verdict`);
    for (const connections of CONNECTIONS) {
      const b = figures.bare[connections];
      out(`${`bare Fastify, same bytes (mean of ${b.runs} runs)`.padEnd(52)} ${pad(connections, 5)} ${pad(fmt(b.rps, 0), 8)} ${pad('1.00', 8)} ${pad(fmt(b.p50), 8)} ${pad(fmt(b.p99), 8)} ${pad(b.non2xx, 7)} ${pad(b.errors, 7)} ${pad(b.timeouts, 5)}  req/s ranged ${fmt(b.rps_min, 0)}–${fmt(b.rps_max, 0)} (median p50/p99 shown)`);
    }
    out('(vs bare = req/s over the bare server\'s req/s measured just before that run, at the same connections)');
    for (const r of results) {
      const ratio = r.rps / r.bare.rps;
      const verdicts = [];
      verdicts.push(r.non2xx + r.errors + r.timeouts === 0 ? 'errors ok' : 'ERRORS');
      if (r.kind === 'v1-read') verdicts.push(ratio >= TARGET.v1ReadRatio ? `≥50% ok` : `<50% MISS`);
      if (r.connections === 100) verdicts.push(r.p99 < TARGET.p99At100 ? 'p99 ok' : 'p99 MISS');
      out(`${r.scenario.padEnd(52)} ${pad(r.connections, 5)} ${pad(fmt(r.rps, 0), 8)} ${pad(fmt(ratio), 8)} ${pad(fmt(r.p50), 8)} ${pad(fmt(r.p99), 8)} ${pad(r.non2xx, 7)} ${pad(r.errors, 7)} ${pad(r.timeouts, 5)}  ${verdicts.join(', ')}`);
      r.ratio_to_bare = ratio;
      r.verdicts = verdicts;
      if (r.non2xx > 0) out(`${''.padEnd(58)}status codes: ${JSON.stringify(r.statuses)}; app side: ${JSON.stringify(r.otherStatuses)}`);
    }
    out('');
    out('## Server-side time per request (inside the app process: isolates our work from client queueing)');
    out('in-process = Node `request` → response `finish` (diagnostics_channel preload); prom = the app\'s http_request_duration_seconds (bucket-interpolated, coarse)');
    out(`${'scenario'.padEnd(52)} ${pad('conns', 5)} ${pad('in p50', 8)} ${pad('in p90', 8)} ${pad('in p99', 8)} ${pad('prom p50', 9)} ${pad('prom p99', 9)} ${pad('loop lag p99', 12)}  served as`);
    for (const r of results) {
      const s = r.server ?? {};
      out(`${r.scenario.padEnd(52)} ${pad(r.connections, 5)} ${pad(fmt(s.p50), 8)} ${pad(fmt(s.p90), 8)} ${pad(fmt(s.p99), 8)} ${pad(fmt(r.prometheus.p50), 9)} ${pad(fmt(r.prometheus.p99), 9)} ${pad(fmt(r.event_loop_lag_p99_ms), 12)}  ${r.sources ? JSON.stringify(r.sources) : ''}`);
    }
    if (single.length > 0) {
      out('');
      out(`## One request at a time (${SEQUENTIAL} sequential requests by one premium student on one keep-alive connection): each route's own cost`);
      out(`${'scenario'.padEnd(52)} ${pad('client p50', 11)} ${pad('client p99', 11)} ${pad('in p50', 8)} ${pad('in p99', 8)} ${pad('app CPU ms/req', 15)}`);
      for (const r of single) {
        out(`${r.scenario.padEnd(52)} ${pad(fmt(r.client.p50), 11)} ${pad(fmt(r.client.p99), 11)} ${pad(fmt(r.server.p50), 8)} ${pad(fmt(r.server.p99), 8)} ${pad(fmt(r.cpu_ms), 15)}`);
      }
      out('(app CPU ms/req = the app process\'s user+system CPU during the run / requests; the rest of the time it waits on PostgreSQL, Redis or the fake)');
    }
    out('');
    out(`## PostgreSQL during each run (pg_stat_activity every 250 ms; the app's pool is ${figures.settings.database_pool_size} connections, pg-boss keeps its own)`);
    out(`${'scenario'.padEnd(52)} ${pad('conns', 5)} ${pad('busy avg', 9)} ${pad('busy max', 9)} ${pad('open', 5)}  busy connections were waiting on`);
    for (const r of results) {
      const d = r.database;
      out(`${r.scenario.padEnd(52)} ${pad(r.connections, 5)} ${pad(fmt(d.busy_avg, 1), 9)} ${pad(d.busy_max, 9)} ${pad(fmt(d.connections_avg, 0), 5)}  ${d.waits.join(', ')}`);
    }
    out('');
    out('## CPU during each run (% of one core per process; machine = % of all cores, neighbours included)');
    out('(µs/req = the process\'s CPU time over the responses: less sensitive to the neighbours than req/s, though not immune)');
    out(`${'scenario'.padEnd(52)} ${pad('conns', 5)} ${pad('app', 6)} ${pad('µs/req', 7)} ${pad('loadgen', 8)} ${pad('fake', 6)} ${pad('machine', 8)}   ${pad('bare', 6)} ${pad('µs/req', 7)} ${pad('loadgen', 8)} ${pad('machine', 8)} (its bare run)`);
    for (const r of results) {
      const c = r.cpu;
      const b = r.bare.cpu;
      r.app_cpu_us_per_request = (c.app * 10_000) / r.rps;
      r.bare_cpu_us_per_request = (b.bare * 10_000) / r.bare.rps;
      out(`${r.scenario.padEnd(52)} ${pad(r.connections, 5)} ${pad(fmt(c.app, 0), 6)} ${pad(fmt(r.app_cpu_us_per_request, 0), 7)} ${pad(fmt(c.loadgen, 0), 8)} ${pad(fmt(c.fake, 0), 6)} ${pad(fmt(c.machine, 0), 8)}   ${pad(fmt(b.bare, 0), 6)} ${pad(fmt(r.bare_cpu_us_per_request, 0), 7)} ${pad(fmt(b.loadgen, 0), 8)} ${pad(fmt(b.machine, 0), 8)}`);
    }
    if (PROFILE_TOP > 0) {
      out('');
      out(`## CPU profile of the app during each run (LOAD_CPU_PROFILE): the ${PROFILE_TOP} functions with the most self time, % of non-idle samples`);
      for (const r of results) {
        out(`${r.scenario} @ ${r.connections} → ${r.profile.file}`);
        for (const t of r.profile.top) out(`  ${pad(fmt(t.percent, 1), 5)} %  ${t.name}  ${t.where}`);
      }
    }
    out('');
    out('## Premium path, our own overhead = forced-refresh time − the fake LLM\'s own time');
    out(`targets: overhead p50 < ${TARGET.overheadP50} ms, p99 < ${TARGET.overheadP99} ms (LiteLLM publishes 2 / 8 / 13 ms at p50 / p95 / p99)`);
    out('fake time = the fake\'s handler, body read → answer sent, timed in its own process');
    for (const r of results.filter((x) => x.kind === 'v2-llm')) {
      const f = r.fake;
      const s = r.server ?? {};
      const overhead = { server_p50: s.p50 - f.p50, server_p99: s.p99 - f.p99, client_p50: r.p50 - f.p50, client_p99: r.p99 - f.p99 };
      figures.overhead[`c${r.connections}`] = { fake_p50: f.p50, fake_p99: f.p99, fake_calls: f.count, responses: r.requests, ...overhead };
      out(`  @${pad(r.connections, 3)} conns: fake p50 ${fmt(f.p50, 3)} / p99 ${fmt(f.p99, 3)} ms over ${f.count} calls (${r.requests} responses); ` +
        `overhead in-process p50 ${fmt(overhead.server_p50)} ms ${verdict(overhead.server_p50 < TARGET.overheadP50)}, p99 ${fmt(overhead.server_p99)} ms ${verdict(overhead.server_p99 < TARGET.overheadP99)}; ` +
        `client-side (with queueing) p50 ${fmt(overhead.client_p50)} / p99 ${fmt(overhead.client_p99)} ms`);
    }
    out('  (at 100/500 connections these are differences of percentiles, not per-request pairs)');
    if (sequential) {
      const q = sequential;
      figures.overhead.sequential = q;
      out(`  one at a time, ${q.n} forced refreshes by one student, paired request by request${q.paired ? '' : ' (WARNING: counts differ, pairs are approximate)'}:`);
      out(`    in-process − fake:   p50 ${fmt(q.paired_server.p50)} ms ${verdict(q.paired_server.p50 < TARGET.overheadP50)}, p90 ${fmt(q.paired_server.p90)}, p99 ${fmt(q.paired_server.p99)} ms ${verdict(q.paired_server.p99 < TARGET.overheadP99)}`);
      out(`    client − fake:       p50 ${fmt(q.paired_client.p50)} ms, p90 ${fmt(q.paired_client.p90)}, p99 ${fmt(q.paired_client.p99)} ms (adds the loopback hop and the client)`);
      out(`    LiteLLM-style, latency via the app − latency calling the fake directly (same body, same client): ` +
        `p50 ${fmt(q.via_app.p50 - q.direct.p50)} ms, p99 ${fmt(q.via_app.p99 - q.direct.p99)} ms ` +
        `(via app p50 ${fmt(q.via_app.p50)} / p99 ${fmt(q.via_app.p99)}; direct p50 ${fmt(q.direct.p50)} / p99 ${fmt(q.direct.p99)})`);
      out(`    fake time p50 ${fmt(q.fake.p50, 3)} / p99 ${fmt(q.fake.p99, 3)} ms; served as ${JSON.stringify(q.sources)}`);
    }
    out('');
    out(`app RSS: ${mb(figures.rss.after_start_kb)} after start, ${mb(figures.rss.max_sampled_kb)} max sampled (after each run), ${mb(figures.rss.end_kb)} at the end; heap used at the end ${fmt(figures.heap_used_end_mb, 1)} MB`);
    figures.scenarios = results.map((r) => ({
      scenario: r.scenario, connections: r.connections, rps: r.rps, bare_rps: r.bare.rps, ratio_to_bare: r.ratio_to_bare, p50: r.p50, p90: r.p90, p99: r.p99, max: r.max,
      requests: r.requests, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, statuses: r.statuses,
      server_p50: r.server?.p50, server_p99: r.server?.p99, prom_p50: r.prometheus.p50, prom_p99: r.prometheus.p99,
      event_loop_lag_p99_ms: r.event_loop_lag_p99_ms, app_cpu_us_per_request: r.app_cpu_us_per_request,
      bare_cpu_us_per_request: r.bare_cpu_us_per_request, sources: r.sources, profile_top: r.profile?.top, database: r.database, cpu: r.cpu, bare_cpu: r.bare.cpu, verdicts: r.verdicts,
    }));
  }
}

/** Writes the profile next to the others and returns its file and top functions. */
function saveProfile(profile, name) {
  const file = join(PROFILE_DIR, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return { file, top: profileTop(profile, PROFILE_TOP) };
}

const verdict = (ok) => (ok ? '(ok)' : '(MISS)');

/** One forced refresh per premium student, so the `{}` runs are served from the cache. */
async function primePathCache(app, tokens) {
  for (const token of tokens) await expectOk(await call(app.url, 'POST', PATH, { token, body: { force_refresh: true } }), 'prime path');
}

/** `SEQUENTIAL` requests one after the other on one connection: latencies and the app's CPU per request. */
async function oneAtATime(app, { method, path, body, token }) {
  for (let i = 0; i < 30; i++) await expectOk(await call(app.url, method, path, { token, body }), `${method} ${path} (warm-up)`);
  await waitIdle(app.pid);
  await app.timingReset();
  const latencies = [];
  const cpu0 = cpuMs(app.pid);
  for (let i = 0; i < SEQUENTIAL; i++) {
    const res = await call(app.url, method, path, { token, body });
    await expectOk(res, `${method} ${path}`);
    latencies.push(res.ms);
  }
  const cpu = (cpuMs(app.pid) - cpu0) / SEQUENTIAL;
  const server = (await app.timings())?.[`${method} ${path} 2xx`] ?? [];
  return { client: percentiles(latencies), server: percentiles(server), cpu_ms: cpu };
}

async function sequentialOverhead(app, fake, client, token) {
  for (let i = 0; i < 30; i++) await expectOk(await call(app.url, 'POST', PATH, { token, body: { force_refresh: true } }), 'warm-up');
  const { body: llmBody, headers: llmHeaders } = await fake.lastRequest();
  await waitIdle(app.pid);
  await app.timingReset();
  await fake.reset();
  const before = await premiumSources(client);
  const viaApp = [];
  const cpu0 = cpuMs(app.pid);
  for (let i = 0; i < SEQUENTIAL; i++) {
    const res = await call(app.url, 'POST', PATH, { token, body: { force_refresh: true } });
    await expectOk(res, 'forced refresh');
    viaApp.push(res.ms);
  }
  const cpu = (cpuMs(app.pid) - cpu0) / SEQUENTIAL;
  const server = (await app.timings())?.[`POST ${PATH} 2xx`] ?? [];
  const fakeTimes = await fake.durations();
  const sources = diffCounts(await premiumSources(client), before);
  const direct = [];
  const headers = { 'x-api-key': 'fake', 'anthropic-version': String(llmHeaders['anthropic-version'] ?? '2023-06-01') };
  for (let i = 0; i < 30; i++) await call(fake.url, 'POST', '/v1/messages', { body: llmBody, headers });
  for (let i = 0; i < SEQUENTIAL; i++) {
    const res = await call(fake.url, 'POST', '/v1/messages', { body: llmBody, headers });
    if (res.status !== 200) throw new Error(`direct call to the fake answered ${res.status}`);
    direct.push(res.ms);
  }
  // Without the timing preload (LOAD_SERVER_TIMING=0) there are no in-process times: the client
  // pairs still stand.
  const n = Math.min(viaApp.length, server.length, fakeTimes.length);
  const nClient = Math.min(viaApp.length, fakeTimes.length);
  const pairedOk = fakeTimes.length === SEQUENTIAL && (server.length === SEQUENTIAL || !TIMING);
  return {
    n: SEQUENTIAL,
    paired: pairedOk,
    cpu_ms: cpu,
    sources,
    fake: percentiles(fakeTimes.slice(0, SEQUENTIAL)),
    server: percentiles(server),
    paired_server: percentiles(Array.from({ length: n }, (_, i) => server[i] - fakeTimes[i])),
    paired_client: percentiles(Array.from({ length: nClient }, (_, i) => viaApp[i] - fakeTimes[i])),
    via_app: percentiles(viaApp),
    direct: percentiles(direct),
  };
}

/** Non-2xx answers the app itself recorded (key → count). */
function otherStatuses(timings) {
  const counts = {};
  for (const [key, list] of Object.entries(timings)) if (!key.endsWith(' 2xx') && !key.startsWith('GET /metrics')) counts[key] = list.length;
  return counts;
}

await main();

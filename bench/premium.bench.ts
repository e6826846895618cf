/**
 * Premium figures, against a real PostgreSQL and the fake Anthropic server answering at once:
 * adaptive-path latency from cache vs freshly built, the quota under a 50-request burst, and
 * grading throughput of one process. `npm run bench:premium` (uses DATABASE_URL's server, else
 * 127.0.0.1:5432). Prints figures; asserts nothing.
 */
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config.loader.js';
import { prepareDatabase } from '../src/database/database-setup.js';
import { createHttpApp } from '../src/http-app.js';
import { FakeAnthropicServer } from '../test/fakes/anthropic/index.js';
import { createBenchDatabase } from './support/bench-database.js';


function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const bench = await createBenchDatabase('cc_bench');
  const fake = await FakeAnthropicServer.start();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET_KEY: 'bench-secret-that-is-long-enough-0000000000',
    DATABASE_URL: bench.url,
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: fake.url,
    PREMIUM_ADAPTIVE_PATHS_LIMIT: '100000',
    PREMIUM_ASSESSMENTS_LIMIT: '100000',
    GRADING_CONCURRENCY: '4',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  await prepareDatabase(bench.url, config);
  const app = await createHttpApp(config, bench.url);
  await app.getHttpAdapter().getInstance().ready();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const http = request(await app.getUrl());
  try {
    const login = await http.post('/api/v1/auth/login').send({ email: 'premium@test.com', password: 'premium123' });
    const auth = `Bearer ${login.body.access_token as string}`;
    const time = async (body: object) => {
      const started = performance.now();
      const res = await http.post('/api/v2/adaptive/path').set('authorization', auth).send(body);
      if (res.status !== 200) throw new Error(`path answered ${res.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await time({ force_refresh: true });
    const miss: number[] = [];
    const hit: number[] = [];
    for (let i = 0; i < 200; i++) {
      miss.push(await time({ force_refresh: true }));
      hit.push(await time({}));
    }
    miss.sort((a, b) => a - b);
    hit.sort((a, b) => a - b);
    console.log(`adaptive path, built (fake LLM answers at once): p50 ${pct(miss, 50).toFixed(2)} ms, p95 ${pct(miss, 95).toFixed(2)} ms`);
    console.log(`adaptive path, from cache:                       p50 ${pct(hit, 50).toFixed(2)} ms, p95 ${pct(hit, 95).toFixed(2)} ms`);
    console.log(`cache hit / miss at p50: ${(pct(hit, 50) / pct(miss, 50)).toFixed(2)}`);

    const db = app.get(DataSource);
    const [me] = await db.query(`SELECT student_id FROM students WHERE email = 'premium@test.com'`);
    await db.query(`UPDATE premium_usage_quotas SET used = 99997 WHERE student_id = $1 AND feature = 'adaptive_paths'`, [me.student_id]);
    const burst = await Promise.all(Array.from({ length: 50 }, () => http.post('/api/v2/adaptive/path').set('authorization', auth).send({ force_refresh: true })));
    const counts = burst.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    console.log(`burst of 50 with 3 units left: ${JSON.stringify(counts)}`);

    // A grade that passes the checks, so the model's path is what is measured.
    const [question] = await db.query(`SELECT rubric FROM assessment_questions WHERE question_id = '04-rag-q1'`);
    const rubric = question.rubric as { criterion_id: string; max_score: number }[];
    fake.respondWith((body: { output_config?: { format?: { schema?: unknown } } }) =>
      JSON.stringify(body.output_config?.format?.schema ?? '').includes('total_score')
        ? {
            criteria: rubric.map((c) => ({ criterion_id: c.criterion_id, score: c.max_score - 1, comment: 'ok' })),
            total_score: rubric.reduce((s, c) => s + c.max_score - 1, 0),
            feedback: 'Good.',
            strengths: ['clear'],
            improvements: ['evaluation'],
            off_topic: false,
            injection_suspected: false,
          }
        : undefined,
    );
    const answers = 200;
    const answer = 'RAG retrieves current documents at query time, so answers stay fresh without retraining; fine-tuning changes style.';
    const started = performance.now();
    await Promise.all(
      Array.from({ length: answers }, (_, i) =>
        http.post('/api/v2/assessments/submit').set('authorization', auth).send({ question_id: '04-rag-q1', answer_text: `${answer} (${i})` }),
      ),
    );
    for (;;) {
      const [row] = await db.query(`SELECT count(*)::int AS n FROM assessment_feedback`);
      if (row.n >= answers) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const [by] = await db.query(`SELECT count(*) FILTER (WHERE graded_by = 'llm')::int AS llm FROM assessment_feedback`);
    console.log(`grading: ${answers} answers in ${seconds.toFixed(2)} s by one process (4 job slots) = ${(answers / seconds).toFixed(1)} answers/s (${by.llm} graded by the model)`);
  } finally {
    await app.close();
    await fake.close();
    await bench.drop();
  }
}

await main();

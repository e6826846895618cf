/**
 * What a REST client generated from the served document with `openapi-typescript` (default
 * options) and used through `openapi-fetch` can do: call every operation and read every field of
 * API.md, and every error's extra fields, with no cast. `npm run lint:openapi` generates the types
 * into dist/openapi/ and type-checks this file against them; nothing here runs.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from '../../../dist/openapi/api.js';

type Schemas = components['schemas'];
/** Anything but undefined: a field read through `read` must be there, not optional. */
type Present = NonNullable<unknown> | null;
type Read = (...values: Present[]) => void;

export async function useEveryOperation(baseUrl: string, token: string): Promise<Present[]> {
  const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
  const seen: Present[] = [];
  const read: Read = (...values) => void seen.push(...values);

  // v1 — Core
  const health = await api.GET('/api/v1/health');
  if (health.data) {
    const d = health.data;
    const status: 'healthy' | 'degraded' = d.status;
    const database: 'up' | 'down' = d.checks.database.status;
    const cache: 'up' | 'down' = d.checks.cache.status;
    read(status, d.phase1_enabled === true, d.phase2_enabled === true, d.llm_provider, database, cache, d.timestamp);
  }

  // Optional fields stay optional: register and login need exactly their fields.
  const registered = await api.POST('/api/v1/auth/register', { body: { email: 'ada@example.com', password: 'correct horse', full_name: 'Ada' } });
  if (registered.data) {
    const tier: 'free' = registered.data.subscription_tier;
    read(registered.data.student_id, registered.data.email, registered.data.full_name, tier);
  }
  if (registered.error?.error.code === 'VALIDATION_ERROR') {
    for (const d of registered.error.error.details) read(d.field, d.issue);
  }
  if (registered.error?.error.code === 'CONFLICT') read(registered.error.error.message);

  const login = await api.POST('/api/v1/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } });
  if (login.data) {
    const type: 'bearer' = login.data.token_type;
    const seconds: number = login.data.expires_in;
    read(login.data.access_token, type, seconds);
  }
  if (login.error?.error.code === 'TOO_MANY_REQUESTS') {
    const wait: number = login.error.error.retry_after_seconds;
    read(wait, login.response.headers.get('retry-after'));
  }

  const me = await api.GET('/api/v1/auth/me');
  if (me.data) {
    const tier: 'free' | 'premium' = me.data.subscription_tier;
    const expires: string | null = me.data.subscription_expires_at;
    const role: 'student' | 'admin' = me.data.role;
    read(me.data.student_id, me.data.email, me.data.full_name, tier, expires, role);
  }
  // Every error carries its code, message and request id (also the x-request-id header).
  if (me.error) readError(me.error.error, read);
  read(me.response.headers.get('x-request-id'));

  const chapters = await api.GET('/api/v1/chapters');
  for (const c of chapters.data?.chapters ?? []) {
    const quiz: string | null = c.quiz_id;
    const minutes: number = c.estimated_minutes;
    read(c.chapter_id, c.title, c.order, c.summary, minutes, quiz);
  }

  const chapter = await api.GET('/api/v1/chapters/{chapter_id}', { params: { path: { chapter_id: '01-intro' } } });
  if (chapter.data) {
    const terms: string[] = chapter.data.key_terms;
    const prerequisites: string[] = chapter.data.prerequisites;
    read(chapter.data.chapter_id, chapter.data.title, chapter.data.order, chapter.data.content_markdown, terms, chapter.data.quiz_id, prerequisites);
  }
  if (chapter.error?.error.code === 'NOT_FOUND') read(chapter.error.error.message);

  const quiz = await api.GET('/api/v1/quizzes/{quiz_id}', { params: { path: { quiz_id: '01-intro-quiz' } } });
  for (const q of quiz.data?.questions ?? []) {
    read(q.question_id, q.prompt, ...q.options.map((o) => [o.key, o.text]));
  }
  if (quiz.data) read(quiz.data.quiz_id, quiz.data.chapter_id);

  const graded = await api.POST('/api/v1/quizzes/{quiz_id}/submit', {
    params: { path: { quiz_id: '01-intro-quiz' } },
    body: { answers: { q1: 'a', q2: 'b' } },
  });
  if (graded.data) {
    const passed: boolean = graded.data.passed;
    read(graded.data.result_id, graded.data.score, graded.data.max_score, graded.data.percentage, passed);
    for (const r of graded.data.results) {
      const correct: boolean = r.correct;
      read(r.question_id, correct, r.correct_answer, r.explanation);
    }
  }

  const progress = await api.GET('/api/v1/progress');
  if (progress.data) {
    read(progress.data.overall_percentage);
    for (const c of progress.data.chapters) {
      const status: 'not_started' | 'in_progress' | 'completed' = c.status;
      const best: number | null = c.best_percentage;
      read(c.chapter_id, status, best, c.attempts);
    }
  }

  // The query parameters are optional: the first page needs none.
  const firstPage = await api.GET('/api/v1/progress/quiz-history');
  const history = await api.GET('/api/v1/progress/quiz-history', { params: { query: { limit: 5, cursor: firstPage.data?.next_cursor ?? undefined } } });
  for (const a of history.data?.attempts ?? []) read(a.result_id, a.quiz_id, a.percentage, a.completed_at);

  // q is optional: without it, every term.
  const glossary = await api.GET('/api/v1/glossary');
  await api.GET('/api/v1/glossary', { params: { query: { q: 'emb' } } });
  for (const g of glossary.data?.terms ?? []) read(g.term, g.definition, g.chapter_id);
  const term = await api.GET('/api/v1/glossary/{term}', { params: { path: { term: 'RAG' } } });
  if (term.data) read(term.data.term, term.data.definition, term.data.chapter_id, ...term.data.related);

  // v2 — Premium. The request booleans are optional: an empty body is a valid request.
  const path = await api.POST('/api/v2/adaptive/path', { body: {} });
  await api.POST('/api/v2/adaptive/path', { body: { force_refresh: true } });
  await api.POST('/api/v2/adaptive/path', { body: { include_reasoning: true } });
  if (path.data) {
    const source: 'llm' | 'rules' | 'cache' = path.data.decision_source;
    // Only with include_reasoning.
    const reasoning: string | undefined = path.data.reasoning;
    read(path.data.path_id, path.data.student_id, source, reasoning ?? null, path.data.variant, path.data.generated_at, path.data.expires_at);
    for (const r of path.data.recommendations) {
      const action: 'review' | 'start' | 'continue' | 'practice' = r.action;
      read(r.chapter_id, action, r.priority, r.reason);
    }
  }
  if (path.error) readError(path.error.error, read);
  if (path.error?.error.code === 'RATE_LIMIT_EXCEEDED') read(path.error.error.quota.used, path.error.error.quota.limit);
  if (path.error?.error.code === 'SERVICE_BUSY') read(path.error.error.retry_after_seconds);

  const quota = await api.GET('/api/v2/usage/quota');
  if (quota.data) {
    const { adaptive_paths, assessments } = quota.data.features;
    read(quota.data.period, quota.data.resets_at, adaptive_paths.used, adaptive_paths.limit, assessments.used, assessments.limit);
  }
  if (quota.error?.error.code === 'PREMIUM_REQUIRED') read(quota.error.error.upgrade_url);

  const questions = await api.GET('/api/v2/assessments/questions');
  for (const q of questions.data?.questions ?? []) read(q.question_id, q.chapter_id, q.prompt, q.max_score, q.rubric_summary);
  if (questions.error?.error.code === 'FEATURE_DISABLED') read(questions.error.error.feature);

  // The Idempotency-Key header is optional.
  const body = { question_id: '04-rag-q1', answer_text: 'RAG keeps answers current because…' };
  const submitted = await api.POST('/api/v2/assessments/submit', { body });
  await api.POST('/api/v2/assessments/submit', { body, params: { header: { 'Idempotency-Key': 'retry-1' } } });
  if (submitted.data) {
    const status: 'pending' | 'graded' = submitted.data.status;
    read(submitted.data.submission_id, status, submitted.data.poll_url);
  }
  if (submitted.error) readError(submitted.error.error, read);
  if (submitted.error?.error.code === 'RATE_LIMIT_EXCEEDED') read(submitted.error.error.quota.resets_at);
  if (submitted.error?.error.code === 'CONFLICT') read(submitted.error.error.message);

  const feedback = await api.GET('/api/v2/assessments/feedback/{submission_id}', {
    params: { path: { submission_id: submitted.data?.submission_id ?? '00000000-0000-4000-8000-000000000000' } },
  });
  if (feedback.data) {
    const f = feedback.data;
    const status: 'pending' | 'graded' | 'failed' = f.status;
    const score: number | null = f.score;
    const by: 'llm' | 'rules' | null = f.graded_by;
    const offTopic: boolean = f.off_topic;
    read(f.submission_id, f.question_id, status, score, f.max_score, f.feedback, f.strengths, f.improvements, offTopic, by, f.graded_at);
    for (const c of f.criteria) read(c.criterion_id, c.score, c.max_score, c.comment);
  }

  // v2 — Study tools: `count` is optional, keys appear only in a grade.
  const cards = await api.POST('/api/v2/study/flashcards', { body: { chapter_id: '03-embeddings' } });
  await api.POST('/api/v2/study/flashcards', { body: { chapter_id: '03-embeddings', count: 12 } });
  if (cards.data) {
    const source: 'llm' | 'rules' | 'cache' = cards.data.decision_source;
    read(cards.data.set_id, cards.data.chapter_id, source, cards.data.generated_at);
    for (const c of cards.data.cards) read(c.front, c.back, c.section);
  }
  if (cards.error) readError(cards.error.error, read);
  if (cards.error?.error.code === 'RATE_LIMIT_EXCEEDED') read(cards.error.error.quota.used, cards.error.error.quota.limit);
  const practice = await api.POST('/api/v2/study/practice-quiz', { body: { chapter_id: '03-embeddings', count: 5 } });
  if (practice.data) {
    const source: 'llm' | 'rules' | 'cache' = practice.data.decision_source;
    read(practice.data.practice_id, practice.data.chapter_id, source);
    for (const q of practice.data.questions) for (const o of q.options) read(q.question_id, q.prompt, o.key, o.text);
  }
  const practiced = await api.POST('/api/v2/study/practice-quiz/{practice_id}/submit', {
    params: { path: { practice_id: practice.data?.practice_id ?? '00000000-0000-4000-8000-000000000000' } },
    body: { answers: { p1: 'a' } },
  });
  if (practiced.data) {
    read(practiced.data.score, practiced.data.max_score);
    for (const r of practiced.data.results) read(r.question_id, r.correct, r.correct_answer, r.explanation, r.section);
  }
  if (practiced.error?.error.code === 'NOT_FOUND') read(practiced.error.error.message);
  const summary = await api.POST('/api/v2/study/summary', { body: { chapter_id: '03-embeddings' } });
  if (summary.data) {
    const source: 'llm' | 'rules' | 'cache' = summary.data.decision_source;
    read(summary.data.chapter_id, summary.data.summary_markdown, ...summary.data.key_points, source, summary.data.generated_at);
  }

  // v2 — Admin
  const range = { start_date: '2026-11-01', end_date: '2026-11-30' };
  const byFeature = await api.GET('/api/v2/admin/costs', { params: { query: range } });
  if (byFeature.data) {
    const r = byFeature.data;
    read(r.period.start_date, r.period.end_date, r.total_cost_usd, r.total_requests, r.failed_requests, r.average_cost_per_student);
    for (const row of r.breakdown_by_feature ?? []) readRow(row, row.feature, read);
    for (const a of r.alerts) {
      const studentId: string | null = a.student_id;
      read(a.type, studentId, a.cost_usd, a.threshold_usd);
    }
  }
  const byStudent = await api.GET('/api/v2/admin/costs', { params: { query: { ...range, group_by: 'student' } } });
  for (const row of byStudent.data?.breakdown_by_student ?? []) {
    const name: string | null = row.full_name;
    readRow(row, row.student, read);
    read(name);
  }
  const byModel = await api.GET('/api/v2/admin/costs', { params: { query: { ...range, group_by: 'model' } } });
  for (const row of byModel.data?.breakdown_by_model ?? []) readRow(row, row.model, read);
  const byDay = await api.GET('/api/v2/admin/costs', { params: { query: { ...range, group_by: 'day' } } });
  for (const row of byDay.data?.breakdown_by_day ?? []) readRow(row, row.day, read);
  if (byDay.error?.error.code === 'FORBIDDEN') read(byDay.error.error.message);

  const csv = await api.GET('/api/v2/admin/costs/export', { params: { query: { ...range, group_by: 'model' } }, parseAs: 'text' });
  if (csv.data !== undefined) read(csv.data.split('\n'));
  // Its errors are JSON like every other route's.
  if (csv.error?.error.code === 'VALIDATION_ERROR') read(csv.error.error.details);

  const flags = await api.GET('/api/v2/admin/flags');
  for (const flag of flags.data?.flags ?? []) readFlag(flag, read);
  const flag = await api.GET('/api/v2/admin/flags/{feature}', { params: { path: { feature: 'adaptive_paths' } } });
  if (flag.data) readFlag(flag.data, read);
  const updated = await api.PUT('/api/v2/admin/flags/{feature}', { params: { path: { feature: 'assessments' } }, body: { rollout_percentage: 50 } });
  if (updated.data) readFlag(updated.data, read);

  const metrics = await api.GET('/api/v2/admin/metrics', { params: { query: range } });
  for (const m of metrics.data?.features ?? []) {
    const p95: number | null = m.latency_ms.p95;
    const cacheHitRate: number | null = m.cache_hit_rate;
    read(m.feature, m.variant, m.requests, m.llm_calls, cacheHitRate, m.fallback_rate, m.latency_ms.p50, p95, m.error_rate, m.cost_usd);
  }
  // Any route can be unavailable while PostgreSQL is.
  if (metrics.error?.error.code === 'SERVICE_UNAVAILABLE') read(metrics.error.error.retry_after_seconds);
  return seen;
}

type AnyError = Schemas[Extract<keyof Schemas, `${string}Error`>];

/** Every error code's extra fields, told apart by `code` alone. */
function readError(error: AnyError, read: Read): void {
  read(error.code, error.message, error.request_id);
  switch (error.code) {
    case 'VALIDATION_ERROR':
      return void read(...error.details.map((d) => [d.field, d.issue]));
    case 'PREMIUM_REQUIRED':
      return void read(error.upgrade_url);
    case 'FEATURE_DISABLED':
      return void read(error.feature);
    case 'RATE_LIMIT_EXCEEDED': {
      const { feature, used, limit, period, resets_at } = error.quota;
      return void read(feature, used, limit, period, resets_at);
    }
    case 'TOO_MANY_REQUESTS':
    case 'SERVICE_BUSY':
    case 'SERVICE_UNAVAILABLE':
      return void read(error.retry_after_seconds);
    default:
      return;
  }
}

type CostFigures = Schemas['FeatureCostRowDto'] | Schemas['StudentCostRowDto'] | Schemas['ModelCostRowDto'] | Schemas['DayCostRowDto'];

function readRow(row: CostFigures, key: string, read: Read): void {
  read(key, row.total_requests, row.failed_requests, row.total_cost_usd, row.average_cost_per_request, row.tokens_input, row.tokens_output);
}

function readFlag(flag: Schemas['FlagDto'], read: Read): void {
  const enabled: boolean = flag.enabled;
  read(flag.feature, enabled, flag.rollout_percentage, ...flag.variants.map((v) => [v.name, v.weight]));
}

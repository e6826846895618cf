import { DataSource } from 'typeorm';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

type Row = { total_requests: number; failed_requests: number; total_cost_usd: number; tokens_input: number; tokens_output: number };
const micro = (usd: number) => Math.round(usd * 1_000_000);

describe('admin routes', () => {
  let t: TestApp;
  let admin: string;
  let student: string;
  let ids: { premium: string; free: string };

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: 'scrape-me' });
    admin = await t.login(DEMO.admin.email, DEMO.admin.password);
    student = await t.login(DEMO.premium.email, DEMO.premium.password);
    const db = t.app.get(DataSource);
    const [p] = await db.query(`SELECT student_id FROM students WHERE email = 'premium@test.com'`);
    const [f] = await db.query(`SELECT student_id FROM students WHERE email = 'free@test.com'`);
    ids = { premium: p.student_id, free: f.student_id };
    // A small, hand-checkable month: amounts chosen so float sums would drift and exact ones do not.
    const rows: [string, string, string, string, number, number, string, string | null][] = [
      // student, feature, model, outcome, tokens in, tokens out, cost, deleted_at
      [ids.premium, 'adaptive_paths', 'claude-sonnet-5-5', 'success', 1000, 200, '0.100001', null],
      [ids.premium, 'adaptive_paths', 'claude-sonnet-5-5', 'success', 1000, 200, '0.200002', null],
      [ids.premium, 'assessments', 'claude-haiku-5-5', 'success', 3000, 500, '0.300003', null],
      [ids.free, 'assessments', 'claude-haiku-5-5', 'error', 10, 0, '0.000007', null],
      [ids.free, 'assessments', 'claude-haiku-5-5', 'success', 50, 5, '0.000001', null],
      [ids.free, 'assessments', 'claude-haiku-5-5', 'success', 9999, 9999, '9.999999', '2026-11-10T00:00:00Z'],
    ];
    let day = 1;
    for (const [sid, feature, model, outcome, tin, tout, cost, deleted] of rows) {
      await db.query(
        `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, provider, model, outcome, success, error_code,
                                     tokens_input, tokens_output, cost_usd, created_at, deleted_at)
         VALUES (gen_random_uuid(), 1, $1, $2, 'anthropic', $3, $4::varchar, $4::varchar = 'success',
                 CASE WHEN $4::varchar = 'success' THEN NULL ELSE 'server_error' END, $5, $6, $7, $8, $9)`,
        [sid, feature, model, outcome, tin, tout, cost, `2026-11-0${day}T12:00:00Z`, deleted],
      );
      day = (day % 3) + 1;
    }
    // Outside the range: must not count.
    await db.query(
      `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, provider, model, outcome, success, cost_usd, created_at)
       VALUES (gen_random_uuid(), 1, $1, 'assessments', 'anthropic', 'claude-haiku-5-5', 'success', true, 5, '2026-10-31T23:59:59Z')`,
      [ids.premium],
    );
  });
  afterAll(() => t.close());

  const report = (groupBy: string, auth = admin) =>
    t.http.get('/api/v2/admin/costs').query({ start_date: '2026-11-01', end_date: '2026-11-30', group_by: groupBy }).set('authorization', auth);

  it('totals live rows in range exactly, counts failures apart, and every breakdown adds up to the micro-dollar', async () => {
    const res = await report('feature').expect(200);
    expect(res.body).toMatchObject({
      period: { start_date: '2026-11-01', end_date: '2026-11-30' },
      total_cost_usd: 0.600014,
      total_requests: 4,
      failed_requests: 1,
      tokens_input: 5060,
      tokens_output: 905,
      average_cost_per_student: 0.300007,
      average_cost_per_request: 0.150004,
      threshold_usd: 0.5,
      error_rate_threshold_percent: 5,
      alerts: [],
    });
    for (const group of ['feature', 'student', 'model', 'day']) {
      const body = (await report(group).expect(200)).body;
      const rows: Row[] = body[`breakdown_by_${group}`];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.reduce((s, r) => s + micro(r.total_cost_usd), 0)).toBe(micro(body.total_cost_usd));
      expect(rows.reduce((s, r) => s + r.total_requests, 0)).toBe(body.total_requests);
      expect(rows.reduce((s, r) => s + r.failed_requests, 0)).toBe(body.failed_requests);
      expect(rows.reduce((s, r) => s + r.tokens_input, 0)).toBe(body.tokens_input);
    }
    const byStudent = (await report('student').expect(200)).body.breakdown_by_student;
    expect(byStudent[0]).toMatchObject({ student: ids.premium, full_name: 'Premium Test User', total_cost_usd: 0.600006, total_requests: 3 });
    const byDay = (await report('day').expect(200)).body.breakdown_by_day;
    expect(byDay.map((r: { day: string }) => r.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });

  it("names, per student, the months whose spend within the range reached the $0.50 threshold (the cost alert's rule)", async () => {
    const months = async (start_date: string, end_date: string) => {
      const rows = (await t.http.get('/api/v2/admin/costs').query({ start_date, end_date, group_by: 'student' }).set('authorization', admin).expect(200)).body
        .breakdown_by_student as { student: string; over_threshold_months: string[] }[];
      return Object.fromEntries(rows.map((r) => [r.student, r.over_threshold_months]));
    };
    // November: premium spent 0.600006, free 0.000008 (its 9.999999 is soft-deleted).
    await expect(months('2026-11-01', '2026-11-30')).resolves.toEqual({ [ids.premium]: ['2026-11'], [ids.free]: [] });
    // The 5.00 of 31 October is its own month.
    await expect(months('2026-10-31', '2026-11-30')).resolves.toEqual({ [ids.premium]: ['2026-10', '2026-11'], [ids.free]: [] });
    // Only the rows in range count: 0.200002 + 0.300003 reaches 0.50, 0.100001 + 0.200002 does not.
    await expect(months('2026-11-02', '2026-11-03')).resolves.toEqual({ [ids.premium]: ['2026-11'], [ids.free]: [] });
    await expect(months('2026-11-01', '2026-11-02')).resolves.toEqual({ [ids.premium]: [], [ids.free]: [] });
  });

  it('exports the same rows as CSV', async () => {
    const json = (await report('model').expect(200)).body.breakdown_by_model as (Row & { model: string })[];
    const res = await t.http
      .get('/api/v2/admin/costs/export')
      .query({ start_date: '2026-11-01', end_date: '2026-11-30', group_by: 'model' })
      .set('authorization', admin)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = res.text.trim().split('\n');
    expect(header).toBe('model,total_requests,failed_requests,total_cost_usd,average_cost_per_request,tokens_input,tokens_output');
    expect(lines.map((l) => l.split(',').slice(0, 4))).toEqual(
      json.map((r) => [r.model, String(r.total_requests), String(r.failed_requests), r.total_cost_usd.toFixed(6)]),
    );
  });

  it('is for admins only: 403 FORBIDDEN for a student, 401 without a token', async () => {
    for (const path of ['/api/v2/admin/costs', '/api/v2/admin/costs/export', '/api/v2/admin/metrics', '/api/v2/admin/flags']) {
      const res = await t.http.get(path).query({ start_date: '2026-11-01', end_date: '2026-11-30' }).set('authorization', student).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      await t.http.get(path).expect(401);
    }
    expect((await t.http.put('/api/v2/admin/flags/adaptive_paths').set('authorization', student).send({ enabled: false }).expect(403)).body.error.code).toBe(
      'FORBIDDEN',
    );
  });

  it.each([
    [{ start_date: '2026-11-31', end_date: '2026-12-01' }, 'start_date'],
    [{ start_date: '2026-11-10', end_date: '2026-11-01' }, 'end_date'],
    [{ start_date: '2026-11-01', end_date: '2026-11-30', group_by: 'planet' }, 'group_by'],
    [{ end_date: '2026-11-30' }, 'start_date'],
  ])('refuses %j with VALIDATION_ERROR on %s', async (query, field) => {
    const res = await t.http.get('/api/v2/admin/costs').query(query).set('authorization', admin).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details[0].field).toBe(field);
  });

  it('switches a feature off, audits who did it, and the premium route answers FEATURE_DISABLED', async () => {
    const listed = await t.http.get('/api/v2/admin/flags').set('authorization', admin).expect(200);
    expect(listed.body.flags.map((f: { feature: string }) => f.feature).sort()).toEqual(['adaptive_paths', 'assessments', 'study_tools', 'tutor_questions']);
    const put = await t.http.put('/api/v2/admin/flags/adaptive_paths').set('authorization', admin).send({ enabled: false }).expect(200);
    expect(put.body).toMatchObject({ feature: 'adaptive_paths', enabled: false, rollout_percentage: 100 });
    try {
      const res = await t.http.post('/api/v2/adaptive/path').set('authorization', student).send({}).expect(404);
      expect(res.body.error).toMatchObject({ code: 'FEATURE_DISABLED', feature: 'adaptive_paths' });
      const [audit] = await t.app.get(DataSource).query(`SELECT s.email, a.after FROM feature_flag_audit a JOIN students s ON s.student_id = a.changed_by`);
      expect(audit).toMatchObject({ email: 'admin@example.com', after: { enabled: false } });
    } finally {
      await t.http.put('/api/v2/admin/flags/adaptive_paths').set('authorization', admin).send({ enabled: true }).expect(200);
    }
    const split = await t.http
      .put('/api/v2/admin/flags/adaptive_paths')
      .set('authorization', admin)
      .send({ variants: [{ name: 'adaptive', weight: 50 }, { name: 'static', weight: 50 }], rollout_percentage: 100 })
      .expect(200);
    expect(split.body.variants).toHaveLength(2);
    const bad = await t.http.put('/api/v2/admin/flags/adaptive_paths').set('authorization', admin).send({ rollout_percentage: 101 }).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    await t.http.put('/api/v2/admin/flags/nonsense').set('authorization', admin).send({ enabled: true }).expect(400);
  });

  it('reports requests, cache hits and latency per feature and variant', async () => {
    await t.http.put('/api/v2/admin/flags/adaptive_paths').set('authorization', admin).send({ variants: [{ name: 'adaptive', weight: 100 }] }).expect(200);
    await t.http.post('/api/v2/adaptive/path').set('authorization', student).send({ force_refresh: true }).expect(200);
    await t.http.post('/api/v2/adaptive/path').set('authorization', student).send({}).expect(200);
    const today = new Date().toISOString().slice(0, 10);
    const res = await t.http.get('/api/v2/admin/metrics').query({ start_date: today, end_date: today }).set('authorization', admin).expect(200);
    const row = res.body.features.find((f: { feature: string; variant: string }) => f.feature === 'adaptive_paths' && f.variant === 'adaptive');
    expect(row).toMatchObject({ requests: 2, cache_hit_rate: 0.5, fallback_rate: 0, llm_calls: 0 });
    expect(row.latency_ms.p50).toEqual(expect.any(Number));
  });

  it('reports the adaptive paths\' completion rate: the share whose first chapter was passed after the path was made', async () => {
    const db = t.app.get(DataSource);
    const path = (student: string, variant: string, firstChapter: string | null, at: string) =>
      db.query(
        `INSERT INTO adaptive_paths (student_id, recommendations, reasoning, decision_source, variant, generated_at, expires_at)
         VALUES ($1, $2, '', 'rules', $3, $4, $4::timestamptz + interval '1 day')`,
        [student, JSON.stringify(firstChapter ? [{ chapter_id: firstChapter, priority: 1 }] : []), variant, at],
      );
    const quiz = (student: string, chapter: string, passed: boolean, at: string) =>
      db.query(
        `INSERT INTO quiz_results (student_id, quiz_id, answers, score, max_score, percentage, passed, completed_at)
         VALUES ($1, $2, '{}', $3, 5, $4, $5, $6)`,
        [student, `${chapter}-quiz`, passed ? 5 : 1, passed ? 100 : 20, passed, at],
      );
    const { premium: p, free: f } = ids;
    await path(p, 'adaptive', '01-intro', '2026-09-10T10:00:00.000001Z'); // passed a microsecond later: completed
    await quiz(p, '01-intro', true, '2026-09-10T10:00:00.000002Z');
    await path(p, 'adaptive', '02-prompting', '2026-09-11T00:00:00Z'); // passed only before the path
    await quiz(p, '02-prompting', true, '2026-09-09T00:00:00Z');
    await path(f, 'adaptive', '01-intro', '2026-09-12T00:00:00Z'); // attempted afterwards, not passed
    await quiz(f, '01-intro', false, '2026-09-13T00:00:00Z');
    await path(p, 'adaptive', null, '2026-09-14T00:00:00Z'); // no first step
    await path(f, 'static', '02-prompting', '2026-09-12T00:00:00Z');
    await quiz(f, '02-prompting', true, '2026-09-14T00:00:00Z');
    await path(p, 'static', '01-intro', '2026-09-20T00:00:00Z'); // passed again later
    await quiz(p, '01-intro', true, '2026-09-25T00:00:00Z');
    await path(p, 'static', '03-embeddings', '2026-08-31T23:59:59Z'); // before the range
    const res = await t.http.get('/api/v2/admin/metrics').query({ start_date: '2026-09-01', end_date: '2026-09-30' }).set('authorization', admin).expect(200);
    const rate = (variant: string) =>
      res.body.features.find((r: { feature: string; variant: string }) => r.feature === 'adaptive_paths' && r.variant === variant)?.completion_rate;
    expect({ adaptive: rate('adaptive'), static: rate('static') }).toEqual({ adaptive: 0.25, static: 1 });
  });

  it('serves Prometheus metrics behind METRICS_TOKEN', async () => {
    await t.http.get('/metrics').expect(401);
    const res = await t.http.get('/metrics').set('authorization', 'Bearer scrape-me').expect(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/route="\/api\/v2\/adaptive\/path"/);
    expect(res.text).toContain('grading_queue_depth');
    expect(res.text).toContain('premium_quota_rejections_total');
  });

  it('groups the admin routes under their own tag in the OpenAPI document, with bearer auth', async () => {
    const doc = (await t.http.get('/docs/json').expect(200)).body;
    for (const [path, method] of [
      ['/api/v2/admin/costs', 'get'],
      ['/api/v2/admin/costs/export', 'get'],
      ['/api/v2/admin/flags', 'get'],
      ['/api/v2/admin/flags/{feature}', 'put'],
      ['/api/v2/admin/metrics', 'get'],
    ] as const) {
      expect(doc.paths[path][method]).toMatchObject({ tags: ['admin'], security: [{ bearer: [] }], operationId: expect.any(String) });
    }
  });
});

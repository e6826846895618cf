/** PUT /api/v2/admin/students/:student_id/subscription: what an operator uses instead of SQL. */
import { DataSource } from 'typeorm';
import { newStudent, type Account } from '../support/security/accounts.js';
import { detailFields, expectApiError } from '../support/security/envelope.js';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let db: DataSource;
let admin: string;
let adminId: string;
let student: Account;

const DAY = 86_400_000;
const put = (studentId: string, body: unknown, auth = admin) =>
  t.http.put(`/api/v2/admin/students/${studentId}/subscription`).set('authorization', auth).send(body as object);
const me = async (auth: string) => (await t.http.get('/api/v1/auth/me').set('authorization', auth).expect(200)).body as Record<string, unknown>;
const audit = (studentId: string) =>
  db.query<{ before: unknown; after: unknown; changed_by: string; changed_at: Date }[]>(
    `SELECT before, after, changed_by, changed_at FROM subscription_audit WHERE student_id = $1 ORDER BY changed_at, audit_id`,
    [studentId],
  );
const tierRow = async (studentId: string) =>
  (await db.query<{ subscription_tier: string; subscription_expires_at: Date | null }[]>(
    `SELECT subscription_tier, subscription_expires_at FROM students WHERE student_id = $1`,
    [studentId],
  ))[0];

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
  admin = await t.login(DEMO.admin.email, DEMO.admin.password);
  adminId = (await me(admin)).student_id as string;
});
afterAll(() => t.close());
beforeEach(async () => {
  student = await newStudent(t, 'free');
});

describe('an admin sets a subscription', () => {
  it('upgrades a free student to premium: answers the student as auth/me shows it, and premium routes open', async () => {
    await t.http.get('/api/v2/usage/quota').set('authorization', student.auth).expect(403);
    const until = new Date(Date.now() + 30 * DAY);
    const res = await put(student.id, { subscription_tier: 'premium', subscription_expires_at: until.toISOString() }).expect(200);
    expect(res.body).toEqual({ ...(await me(student.auth)), subscription_tier: 'premium', subscription_expires_at: until.toISOString() });
    expect(res.body).toEqual(await me(student.auth));
    expect(res.body).toMatchObject({ student_id: student.id, email: student.email, role: 'student' });
    await t.http.get('/api/v2/usage/quota').set('authorization', student.auth).expect(200);
  });

  it('records who changed what and when, before and after', async () => {
    const started = Date.now();
    const until = new Date(Date.now() + 7 * DAY).toISOString();
    await put(student.id, { subscription_tier: 'premium', subscription_expires_at: until }).expect(200);
    await put(student.id, { subscription_tier: 'free' }).expect(200);
    const rows = await audit(student.id);
    expect(rows.map(({ before, after, changed_by }) => ({ before, after, changed_by }))).toEqual([
      { before: { subscription_tier: 'free', subscription_expires_at: null }, after: { subscription_tier: 'premium', subscription_expires_at: until }, changed_by: adminId },
      { before: { subscription_tier: 'premium', subscription_expires_at: until }, after: { subscription_tier: 'free', subscription_expires_at: null }, changed_by: adminId },
    ]);
    for (const row of rows) {
      expect(row.changed_at.getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect(row.changed_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    }
  });

  it('downgrades: a premium student back on free is refused premium routes at once, with the token it already has', async () => {
    await put(student.id, { subscription_tier: 'premium', subscription_expires_at: null }).expect(200);
    await t.http.get('/api/v2/usage/quota').set('authorization', student.auth).expect(200);
    const res = await put(student.id, { subscription_tier: 'free', subscription_expires_at: null }).expect(200);
    expect(res.body).toMatchObject({ subscription_tier: 'free', subscription_expires_at: null });
    expectApiError(await t.http.get('/api/v2/usage/quota').set('authorization', student.auth), 403, 'PREMIUM_REQUIRED');
  });

  it('premium with no end date (null) is premium until changed', async () => {
    const res = await put(student.id, { subscription_tier: 'premium', subscription_expires_at: null }).expect(200);
    expect(res.body).toMatchObject({ subscription_tier: 'premium', subscription_expires_at: null });
  });
});

describe('refusals change nothing and write no audit row', () => {
  const future = () => new Date(Date.now() + DAY).toISOString();
  it.each<[string, () => unknown, string]>([
    ['an unknown tier', () => ({ subscription_tier: 'gold' }), 'subscription_tier'],
    ['no tier', () => ({ subscription_expires_at: future() }), 'subscription_tier'],
    ['an end date in the past', () => ({ subscription_tier: 'premium', subscription_expires_at: new Date(Date.now() - DAY).toISOString() }), 'subscription_expires_at'],
    ['an impossible date', () => ({ subscription_tier: 'premium', subscription_expires_at: '2027-02-30T00:00:00Z' }), 'subscription_expires_at'],
    ['a date without a time', () => ({ subscription_tier: 'premium', subscription_expires_at: '2099-01-01' }), 'subscription_expires_at'],
    ['not a date', () => ({ subscription_tier: 'premium', subscription_expires_at: 12 }), 'subscription_expires_at'],
    ['an end date on the free tier', () => ({ subscription_tier: 'free', subscription_expires_at: future() }), 'subscription_expires_at'],
    ['an unknown field', () => ({ subscription_tier: 'premium', role: 'admin' }), 'role'],
  ])('400 VALIDATION_ERROR for %s', async (_name, body, field) => {
    const before = await tierRow(student.id);
    const error = expectApiError(await put(student.id, body()), 400, 'VALIDATION_ERROR');
    expect(detailFields(error)).toContain(field);
    expect(await tierRow(student.id)).toEqual(before);
    expect(await audit(student.id)).toEqual([]);
  });

  it('400 for a student id that is not a UUID, 404 NOT_FOUND for one that is nobody', async () => {
    const error = expectApiError(await put('not-a-uuid', { subscription_tier: 'premium' }), 400, 'VALIDATION_ERROR');
    expect(detailFields(error)).toEqual(['student_id']);
    expectApiError(await put('00000000-0000-4000-8000-000000000000', { subscription_tier: 'premium' }), 404, 'NOT_FOUND');
    expect(await db.query(`SELECT count(*)::int AS n FROM subscription_audit WHERE student_id = '00000000-0000-4000-8000-000000000000'`)).toEqual([{ n: 0 }]);
  });

  it('403 FORBIDDEN for a student, who cannot upgrade themselves', async () => {
    expectApiError(await put(student.id, { subscription_tier: 'premium' }, student.auth), 403, 'FORBIDDEN');
    expect(await tierRow(student.id)).toEqual({ subscription_tier: 'free', subscription_expires_at: null });
    expect(await audit(student.id)).toEqual([]);
  });
});

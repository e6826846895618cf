import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestApp } from '../test-app.js';

export type Account = { id: string; email: string; auth: string };

/**
 * A new student registered through the API. The tier is then set in the database, as the
 * premium tests do: the API has no route that upgrades a student.
 */
export async function newStudent(t: TestApp, tier: 'free' | 'premium' | 'lapsed' = 'free'): Promise<Account> {
  const email = `sec-${tier}-${randomUUID()}@example.com`;
  const res = await t.http.post('/api/v1/auth/register').send({ email, password: 'longenough1', full_name: `Sec ${tier}` }).expect(201);
  const id = (res.body as { student_id: string }).student_id;
  if (tier !== 'free') {
    const expires = tier === 'premium' ? `now() + interval '30 days'` : `now() - interval '1 day'`;
    await t.app.get(DataSource).query(`UPDATE students SET subscription_tier = 'premium', subscription_expires_at = ${expires} WHERE student_id = $1`, [id]);
  }
  return { id, email, auth: await t.login(email, 'longenough1') };
}

/** Every premium quota counter, per student and feature. */
export async function quotaCounters(t: TestApp): Promise<Record<string, number>> {
  const rows: { key: string; used: number }[] = await t.app
    .get(DataSource)
    .query(`SELECT student_id || '/' || period || '/' || feature AS key, used FROM premium_usage_quotas ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [r.key, r.used]));
}

/** A premium student under an email the test chooses (to tell students apart in its own queries). */
export async function premiumStudentAs(t: TestApp, email: string): Promise<{ auth: string; id: string }> {
  const res = await t.http.post('/api/v1/auth/register').send({ email, password: 'longenough1', full_name: 'Premium Student' }).expect(201);
  const id = (res.body as { student_id: string }).student_id;
  await t.app.get(DataSource).query(`UPDATE students SET subscription_tier = 'premium', subscription_expires_at = now() + interval '30 days' WHERE student_id = $1`, [id]);
  return { auth: await t.login(email, 'longenough1'), id };
}

/** Units of one feature a student used this month, as PostgreSQL counts them (0 before the first). */
export async function unitsUsed(t: TestApp, studentId: string, feature: string): Promise<number> {
  const rows: { used: number }[] = await t.app
    .get(DataSource)
    .query(`SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND feature = $2 AND period = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')`, [
      studentId,
      feature,
    ]);
  return rows[0]?.used ?? 0;
}

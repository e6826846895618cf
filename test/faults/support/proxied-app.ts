import pg from 'pg';
import { withDatabase } from '../../support/database-server.js';
import { createSeededTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { TcpProxy } from './tcp-proxy.js';

export type ProxiedApp = {
  t: TestApp;
  /** Between the app and PostgreSQL: the test cuts, pauses and restores it. */
  proxy: TcpProxy;
  db: TestDatabase;
  /** The test's own connection, straight to the database (never through the proxy). */
  sql: pg.Pool;
  close: () => Promise<void>;
};

/** The real app on a fresh database that it reaches only through a proxy the test controls. */
export async function startProxiedApp(env: Record<string, string> = {}): Promise<ProxiedApp> {
  const db = await createSeededTestDatabase();
  const real = new URL(db.url);
  const proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port || 5432) });
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${proxy.address.port}`;
  const t = await startTestApp({ ...env, DATABASE_URL: withDatabase(viaProxy.toString(), db.name) });
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  // The file's DROP DATABASE … WITH (FORCE) can reach a connection the pool is still closing; an idle
  // client's error is the pool's to report (node-postgres: without a listener it is an unhandled 'error').
  sql.on('error', () => undefined);
  return {
    t,
    proxy,
    db,
    sql,
    close: async () => {
      // Restore first, so the app's shutdown (pool end, queue stop) is not left waiting on a dead link.
      await proxy.restore();
      await t.app.close();
      await proxy.close();
      await sql.end();
      await db.drop();
    },
  };
}

/** Registers a student, makes them premium (straight in the database) and signs them in. */
export async function premiumStudent(t: TestApp, sql: pg.Pool, email: string): Promise<{ auth: string; id: string }> {
  const res = await t.http.post('/api/v1/auth/register').send({ email, password: 'longenough1', full_name: 'Fault Test' }).expect(201);
  const id = (res.body as { student_id: string }).student_id;
  await sql.query(`UPDATE students SET subscription_tier = 'premium', subscription_expires_at = now() + interval '30 days' WHERE student_id = $1`, [
    id,
  ]);
  return { auth: await t.login(email, 'longenough1'), id };
}

/** Units used this month, from PostgreSQL. */
export async function unitsUsed(sql: pg.Pool, studentId: string, feature: 'adaptive_paths' | 'assessments'): Promise<number> {
  const { rows } = await sql.query<{ used: number }>(
    `SELECT used FROM premium_usage_quotas WHERE student_id = $1 AND feature = $2 AND period = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')`,
    [studentId, feature],
  );
  return rows[0]?.used ?? 0;
}

/** Usage rows of provider calls (attempts, not the fallback/rejected bookkeeping rows) for a student. */
export async function providerCallRows(sql: pg.Pool, studentId: string): Promise<{ outcome: string; latency_ms: number }[]> {
  const { rows } = await sql.query<{ outcome: string; latency_ms: number }>(
    `SELECT outcome, latency_ms FROM llm_usage_logs WHERE student_id = $1 AND attempt > 0 ORDER BY created_at`,
    [studentId],
  );
  return rows;
}

import type { DataSource } from 'typeorm';

export type DbSnapshot = Record<string, { rows: number; checksum: string }>;

/**
 * Row count and an md5 of the full content of every application table (schema `public`, found in
 * pg_stat_user_tables, so a dropped or added table shows too). pg-boss keeps its own schema and
 * changes it in the background, so it is left out.
 */
export async function snapshotTables(db: DataSource): Promise<DbSnapshot> {
  const tables: { relname: string }[] = await db.query(`SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`);
  const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const literal = (name: string) => `'${name.replaceAll("'", "''")}'`;
  const sql = tables
    .map(
      ({ relname }) =>
        `SELECT ${literal(relname)} AS name, count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS checksum
           FROM public.${ident(relname)} t`,
    )
    .join(' UNION ALL ');
  const rows: { name: string; rows: number; checksum: string }[] = await db.query(sql);
  return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, checksum: r.checksum }]));
}

/** Runs hostile requests and asserts that not one row of any application table changed. */
export async function expectNothingWritten(db: DataSource, work: () => Promise<void>): Promise<void> {
  const before = await snapshotTables(db);
  expect(Object.keys(before)).toEqual(expect.arrayContaining(['students', 'quiz_results', 'premium_usage_quotas', 'assessment_submissions']));
  await work();
  expect(await snapshotTables(db)).toEqual(before);
}

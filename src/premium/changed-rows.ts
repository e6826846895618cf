import type { SqlExecutor } from '../usage/index.js';

/**
 * The rows an UPDATE or DELETE … RETURNING returns. TypeORM's PostgreSQL driver answers those two
 * statements with `[rows, rowCount]`, and every other statement (SELECT, INSERT) with the rows.
 */
export async function changedRows<T>(db: SqlExecutor, sql: string, parameters: unknown[]): Promise<T[]> {
  const [rows] = await db.query<[T[], number]>(sql, parameters);
  return rows;
}

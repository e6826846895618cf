import type { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations/index.js';

/** Connection settings shared by the app, the migration CLI and the tests. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // TypeORM's own logger prints queries with their parameters (password hashes included): off.
    logging: false,
    applicationName: 'course-companion',
    poolSize,
    extra: { connectionTimeoutMillis: 5000, idle_in_transaction_session_timeout: 30000 },
  };
}

/** How much longer the client waits than the server's own statement timeout before it gives up. */
const CLIENT_MARGIN_MS = 250;

/**
 * Bounds for the serving app's pool (migrations and the CLI keep the defaults above, as they may
 * rightly run long). The server cancels a statement after `statementMs` and the connection stays
 * usable; the client gives up a little later on its own, for a server that no longer answers at
 * all (a black-holed link). Waiting for a pooled connection, or making one, is bounded by
 * `connectMs`. Keep-alive probes find a dead link that nothing is sent on.
 */
export function runtimeTimeouts(statementMs: number, connectMs: number): Record<string, unknown> {
  return {
    statement_timeout: statementMs,
    query_timeout: statementMs + CLIENT_MARGIN_MS,
    connectionTimeoutMillis: connectMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

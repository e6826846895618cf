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

// Plain ESM: jest loads global setup outside its module transform. `npm test` builds dist/ first.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Picks the PostgreSQL server for the whole run: DATABASE_URL when set, else the one on
 * 127.0.0.1:5432, else an embedded one in a temporary folder. Each test file then makes its own
 * database on it (test/support/test-database.ts).
 */
export default async function globalSetup() {
  const given = process.env.DATABASE_URL;
  if (given) {
    process.env.TEST_PG_ADMIN_URL = withDatabase(given, 'postgres');
    process.env.TEST_PG_SOURCE = 'DATABASE_URL';
  } else if (await canConnect(LOCAL_URL)) {
    process.env.TEST_PG_ADMIN_URL = LOCAL_URL;
    process.env.TEST_PG_SOURCE = 'local';
  } else {
    const { startEmbeddedDatabase } = await import('../../dist/src/database/embedded-postgres.js');
    const dir = await mkdtemp(join(tmpdir(), 'cc-test-pg-'));
    // Run as root, the server runs as the `postgres` user, which must be able to enter the folder.
    await chmod(dir, 0o755);
    const db = await startEmbeddedDatabase(dir);
    globalThis.__embeddedPg = db;
    process.env.TEST_PG_ADMIN_URL = withDatabase(db.url, 'postgres');
    process.env.TEST_PG_SOURCE = 'embedded';
  }
  process.stdout.write(`\nTests use PostgreSQL from: ${process.env.TEST_PG_SOURCE}\n`);
  // Every Redis key of this run starts with its own prefix; global-teardown.mjs deletes them.
  process.env.TEST_REDIS_PREFIX = `cc-test:${Date.now().toString(36)}-${process.pid}:`;
  // Tests pass their own configuration; nothing may fall back to the caller's DATABASE_URL.
  delete process.env.DATABASE_URL;
}

// Plain ESM: jest loads global setup outside its module transform. `npm test` builds dist/ first.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

const PREPARE = `
  import { prepareDatabase } from './dist/src/database/database-setup.js';
  await prepareDatabase(process.env.DATABASE_URL, { NODE_ENV: 'test', DATABASE_MIGRATE_ON_START: true, SEED_ON_START: true });
`;

function run(file, args, env) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${args.join(' ')} failed: ${stderr || stdout || error.message}`)) : resolve(stdout),
    );
  });
}

/**
 * Migrates and seeds one template database for the run (argon2 hashing of the demo accounts
 * included), so a test file copies it (`CREATE DATABASE ... TEMPLATE`) instead of repeating the
 * work. PostgreSQL refuses to copy a database another session is connected to, so nothing stays
 * connected: the setup's pool is closed, and the template then refuses connections altogether
 * (which also keeps autovacuum out of it).
 */
async function createTemplate(adminUrl) {
  const name = `cc_tpl_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    // What startTestApp would do to a new database, once, in a process of its own: the app's
    // modules load outside jest's module hooks there.
    await run(process.execPath, ['--input-type=module', '-e', PREPARE], { PATH: process.env.PATH, DATABASE_URL: withDatabase(adminUrl, name) });
    await admin.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await admin.end();
  }
  return name;
}

/**
 * Picks the PostgreSQL server for the whole run: DATABASE_URL when set, else the one on
 * 127.0.0.1:5432, else an embedded one in a temporary folder. Each test file then makes its own
 * database on it (test/support/test-database.ts), empty or copied from the run's template.
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
  process.env.TEST_PG_TEMPLATE = await createTemplate(process.env.TEST_PG_ADMIN_URL);
  process.stdout.write(`\nTests use PostgreSQL from: ${process.env.TEST_PG_SOURCE}\n`);
  // Every Redis key of this run starts with its own prefix; global-teardown.mjs deletes them.
  process.env.TEST_REDIS_PREFIX = `cc-test:${Date.now().toString(36)}-${process.pid}:`;
  // Tests pass their own configuration; nothing may fall back to the caller's DATABASE_URL.
  delete process.env.DATABASE_URL;
}

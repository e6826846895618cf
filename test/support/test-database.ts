import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { withDatabase } from './database-server.js';

export type TestDatabase = { url: string; name: string; drop: () => Promise<void> };

function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests through `npm test` (jest globalSetup)');
  return url;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function handle(name: string): TestDatabase {
  return {
    url: withDatabase(adminUrl(), name),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A new, empty database of its own for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cc_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return handle(name);
}

/** PostgreSQL's "source database is being accessed by other users". */
const OBJECT_IN_USE = '55006';

/**
 * A database of its own, migrated and seeded (course content and demo accounts), copied from the
 * run's template (made once by jest globalSetup). The copy needs no session on the template;
 * should one appear anyway, PostgreSQL refuses with 55006 and the copy is retried.
 */
export async function createSeededTestDatabase(): Promise<TestDatabase> {
  const template = process.env.TEST_PG_TEMPLATE;
  if (!template) throw new Error('TEST_PG_TEMPLATE is not set: run the tests through `npm test` (jest globalSetup)');
  const name = `cc_test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      return handle(name);
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 20) throw error;
      await sleep(50 * attempt);
    }
  }
}

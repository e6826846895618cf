import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { assertReachableByOthers, EmbeddedDatabaseError, startEmbeddedDatabase } from '../../src/database/embedded-postgres.js';

describe('the embedded PostgreSQL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-embedded-'));
    await chmod(dir, 0o755);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('creates a cluster on first start, keeps its data across restarts, and listens on 127.0.0.1 only', async () => {
    const dataDir = join(dir, 'data');
    const first = await startEmbeddedDatabase(dataDir);
    try {
      expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/course_companion$/);
      const client = new pg.Client(first.url);
      await client.connect();
      await client.query('CREATE TABLE kept (v text)');
      await client.query(`INSERT INTO kept VALUES ('still here')`);
      const version = await client.query('SHOW server_version');
      expect(Number.parseInt(version.rows[0].server_version, 10)).toBeGreaterThanOrEqual(16);
      await client.end();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedDatabase(dataDir);
    try {
      const client = new pg.Client(second.url);
      await client.connect();
      expect((await client.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
      await client.end();
      // A wrong password is refused: the cluster is not open to anyone on the machine.
      const intruder = new pg.Client(second.url.replace(/:[^:@/]+@/, ':wrong@'));
      await expect(intruder.connect()).rejects.toThrow(/password authentication failed/);
      await intruder.end().catch(() => undefined);
    } finally {
      await second.stop();
    }
  });

  it('as root, says clearly when the postgres user cannot reach DATA_DIR', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o700 });
    await chmod(locked, 0o700);
    // The check itself runs for any user; startEmbeddedDatabase calls it when running as root.
    const error = await assertReachableByOthers(join(locked, 'data')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedDatabaseError);
    expect((error as Error).message).toContain(`cannot enter ${locked}`);
    expect((error as Error).message).toContain('DATA_DIR');
    await expect(assertReachableByOthers(join(dir, 'data'))).resolves.toBeUndefined();
    if (userInfo().uid === 0) {
      await expect(startEmbeddedDatabase(join(locked, 'data'))).rejects.toBeInstanceOf(EmbeddedDatabaseError);
    }
  });
});

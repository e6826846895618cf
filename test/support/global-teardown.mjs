import pg from 'pg';
import { Redis } from 'ioredis';

/** Deletes every key this run wrote to TEST_REDIS_URL (they all carry the run's prefix). */
async function deleteRunKeys() {
  const prefix = process.env.TEST_REDIS_PREFIX;
  if (!prefix) return;
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return; // No Redis here: nothing was written to it.
  }
  try {
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }
    process.stdout.write(`Removed ${deleted} Redis key(s) this run wrote (${prefix}*)\n`);
  } finally {
    redis.disconnect();
  }
}

export default async function globalTeardown() {
  await deleteRunKeys();
  const template = process.env.TEST_PG_TEMPLATE;
  if (template && process.env.TEST_PG_ADMIN_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    } finally {
      await admin.end();
    }
  }
  await globalThis.__embeddedPg?.stop();
}

import type { ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import pg from 'pg';
import { RedisModule } from '../../src/common/redis/index.js';
import { ThrottlingModule } from '../../src/common/throttling/index.js';
import { AppConfigModule } from '../../src/config/app-config.module.js';
import { loadConfig } from '../../src/config/config.loader.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { TEST_JWT_SECRET } from './test-app.js';
import { createSeededTestDatabase, type TestDatabase } from './test-database.js';
import { TEST_REDIS_PREFIX, TEST_REDIS_URL } from './test-redis.js';

export type MediumModule = {
  module: TestingModule;
  database: TestDatabase;
  /** The test's own connections, to arrange rows and look at them. */
  pool: pg.Pool;
  /** A new premium student of its own (no login: the services below the guards take an id). */
  newStudent: () => Promise<string>;
  close: () => Promise<void>;
};

/**
 * The medium tier: real modules (their services on their real repositories) on a copy of the run's
 * migrated and seeded database, with no HTTP server. Without REDIS_URL in `env` the cache is the in-process store.
 */
export async function startMediumModule(imports: NonNullable<ModuleMetadata['imports']>, env: Record<string, string> = {}): Promise<MediumModule> {
  const database = await createSeededTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET_KEY: TEST_JWT_SECRET,
    DATABASE_URL: database.url,
    DATABASE_MIGRATE_ON_START: 'false',
    SEED_ON_START: 'false',
    // Nothing works the queue: a test looks at the jobs it queued.
    GRADING_IN_API: 'false',
    ...env,
    // On the shared test Redis, keys carry the run's prefix (deleted at the end).
    ...(env.REDIS_URL === TEST_REDIS_URL && { REDIS_KEY_PREFIX: TEST_REDIS_PREFIX }),
  });
  let module: TestingModule;
  try {
    // The global modules AppModule gives every feature module (Core's login limits count in ThrottlingModule).
    module = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(database.url), RedisModule, ThrottlingModule, ...imports],
    }).compile();
    await module.init();
  } catch (error) {
    await database.drop();
    throw error;
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // The file's DROP DATABASE … WITH (FORCE) can reach a connection the pool is still closing; an idle
  // client's error is the pool's to report (node-postgres: without a listener it is an unhandled 'error').
  pool.on('error', () => undefined);
  return {
    module,
    database,
    pool,
    newStudent: async () => {
      const { rows } = await pool.query<{ student_id: string }>(
        `INSERT INTO students (email, password_hash, full_name, subscription_tier, subscription_expires_at)
         VALUES ('medium-' || gen_random_uuid() || '@example.com', 'not-a-hash', 'M', 'premium', now() + interval '30 days')
         RETURNING student_id`,
      );
      return rows[0]!.student_id;
    },
    close: async () => {
      await module.close();
      await pool.end();
      await database.drop();
    },
  };
}


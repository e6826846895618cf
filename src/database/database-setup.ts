import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/index.js';
import { hashPassword } from '../core/index.js';
import { dataSourceOptions } from './data-source-options.js';
import { loadCourse, loadDemoUsers } from './seeding/content.loader.js';
import { seed, type SeedReport } from './seeding/seeder.js';

// Any constant works; it only has to be the same for every instance of the app.
const SETUP_LOCK = 4_242_001;

export type SetupReport = { migrationsApplied: string[]; seeded?: SeedReport };

/**
 * Brings a database up to date before the app serves: migrations, then (optionally) the seed.
 * Several instances may start at once, so the work runs under a PostgreSQL advisory lock on a
 * single-connection pool.
 */
export async function prepareDatabase(
  url: string,
  config: Pick<AppConfig, 'NODE_ENV' | 'DATABASE_MIGRATE_ON_START' | 'SEED_ON_START'>,
): Promise<SetupReport> {
  const db = new DataSource(dataSourceOptions(url, 1));
  await db.initialize();
  try {
    await db.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
    try {
      const applied = config.DATABASE_MIGRATE_ON_START ? await db.runMigrations({ transaction: 'each' }) : [];
      const report: SetupReport = { migrationsApplied: applied.map((m) => m.name) };
      if (config.SEED_ON_START) report.seeded = await seedDatabase(db, config.NODE_ENV === 'production');
      return report;
    } finally {
      await db.query('SELECT pg_advisory_unlock($1)', [SETUP_LOCK]);
    }
  } finally {
    await db.destroy();
  }
}

/** Content always; demo accounts never in production. */
export async function seedDatabase(db: DataSource, production: boolean): Promise<SeedReport> {
  return seed(db, {
    course: await loadCourse(),
    demoUsers: production ? [] : await loadDemoUsers(),
    hashPassword,
  });
}

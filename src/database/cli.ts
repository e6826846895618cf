/**
 * Database commands: `migrate`, `revert`, `show`, `seed`. Uses DATABASE_URL, or the embedded
 * PostgreSQL under DATA_DIR when it is unset (the same one `npm start` uses).
 */
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/index.js';
import { loadDotEnv } from '../config/index.js';
import { dataSourceOptions } from './data-source-options.js';
import { resolveDatabase } from './database-url.js';
import { seedDatabase } from './database-setup.js';

const COMMANDS = ['migrate', 'revert', 'show', 'seed'] as const;
type Command = (typeof COMMANDS)[number];

async function run(command: Command): Promise<void> {
  loadDotEnv();
  const config = loadConfig(process.env);
  const database = await resolveDatabase(config, () => undefined);
  const db = new DataSource(dataSourceOptions(database.url, 1));
  await db.initialize();
  try {
    switch (command) {
      case 'migrate': {
        const applied = await db.runMigrations({ transaction: 'each' });
        console.log(applied.length ? applied.map((m) => `applied ${m.name}`).join('\n') : 'Nothing to migrate: up to date.');
        break;
      }
      case 'revert':
        await db.undoLastMigration({ transaction: 'each' });
        console.log('Reverted the last migration.');
        break;
      case 'show': {
        const pending = await db.showMigrations();
        console.log(pending ? 'There are pending migrations.' : 'Up to date.');
        break;
      }
      case 'seed': {
        const report = await seedDatabase(db, config.NODE_ENV === 'production');
        console.log(
          `Seeded ${report.chapters} chapters, ${report.quizQuestions} quiz questions, ` +
            `${report.assessmentQuestions} assessment questions, ${report.glossaryTerms} glossary terms; ` +
            `${report.chaptersIndexed} chapter(s) re-indexed into ${report.sections} sections; ` +
            `${report.demoUsersCreated} demo account(s) created.`,
        );
        break;
      }
    }
  } finally {
    await db.destroy();
    await database.stop();
  }
}

const command = process.argv[2];
if (!COMMANDS.includes(command as Command)) {
  console.error(`usage: cli.js ${COMMANDS.join('|')}`);
  process.exit(2);
}
run(command as Command).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);

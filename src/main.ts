import 'reflect-metadata';
import { pino } from 'pino';
import { ConfigError, loadConfig, type AppConfig } from './config/config.loader.js';
import { loadDotEnv } from './config/dotenv.js';
import { prepareDatabase } from './database/database-setup.js';
import { resolveDatabase } from './database/database-url.js';
import { createHttpApp } from './http-app.js';

async function main(): Promise<void> {
  const started = performance.now();
  loadDotEnv();
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'course-companion' } });
  if (config.JWT_SECRET_GENERATED) {
    log.warn('JWT_SECRET_KEY is not set: generated a random secret for this process; tokens end when it stops');
  }

  const database = await resolveDatabase(config, (line) => log.debug({ component: 'embedded-postgres' }, line));
  if (database.embedded) log.info({ data_dir: config.DATA_DIR }, 'DATABASE_URL is not set: started the embedded PostgreSQL');
  const setup = await prepareDatabase(database.url, config);
  log.info(setup, 'Database ready');

  const app = await createHttpApp(config, database.url);
  await app.listen({ port: config.PORT, host: config.HOST });
  log.info(
    { url: await app.getUrl(), startup_ms: Math.round(performance.now() - started), docs: '/docs' },
    'Course Companion is serving',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Course Companion failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

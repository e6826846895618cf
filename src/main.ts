import 'reflect-metadata';
import type { Server, ServerResponse } from 'node:http';
import { createLogger } from './common/logging/logger.options.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.loader.js';
import { assertBootable } from './boot-checks.js';
import { loadDotEnv } from './config/dotenv.js';
import { prepareDatabase } from './database/database-setup.js';
import { resolveDatabase } from './database/database-url.js';
import { createHttpApp } from './http-app.js';

async function main(): Promise<void> {
  const started = performance.now();
  loadDotEnv();
  let config: AppConfig;
  try {
    config = assertBootable(loadConfig(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const log = createLogger(config);
  if (config.JWT_SECRET_GENERATED) {
    log.warn('JWT_SECRET_KEY is not set: generated a random secret for this process; tokens end when it stops');
  }

  const database = await resolveDatabase(config, (line) => log.debug({ component: 'embedded-postgres' }, line));
  if (database.embedded) log.info({ data_dir: config.DATA_DIR }, 'DATABASE_URL is not set: started the embedded PostgreSQL');
  const setup = await prepareDatabase(database.url, config);
  log.info(setup, 'Database ready');

  const app = await createHttpApp(config, database.url);
  const closeConnectionsAfterResponse = trackResponses(app.getHttpServer());
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
    closeConnectionsAfterResponse();
    await app.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * Returns a function that tells every response still in progress to close its connection when it
 * is done. Without it, server.close() closes only the keep-alive connections idle at that moment:
 * one serving a request then stays open until its keep-alive timeout, past the forced exit.
 */
function trackResponses(server: Server): () => void {
  const open = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    open.add(response);
    response.once('close', () => open.delete(response));
  });
  return () => {
    for (const response of open) if (!response.headersSent) response.setHeader('connection', 'close');
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`Course Companion failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

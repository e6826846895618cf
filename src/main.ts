import 'reflect-metadata';
import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { bootConfigOrExit } from './boot-checks.js';
import { createLogger } from './common/logging/index.js';
import { prepareDatabase } from './database/index.js';
import { resolveDatabase } from './database/index.js';
import { createHttpApp } from './http-app.js';

async function main(): Promise<void> {
  const started = performance.now();
  const config = bootConfigOrExit();
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
    const drained = closeConnectionsAfterResponse();
    // Stop accepting connections but keep the idle keep-alive ones for a moment: a request a client
    // is already sending on one is answered (with Connection: close) instead of meeting a reset,
    // which is what Node's server.close() would do to them at once.
    NetServer.prototype.close.call(app.getHttpServer());
    await Promise.all([drained, new Promise((resolve) => setTimeout(resolve, IDLE_SOCKET_GRACE_MS))]);
    await app.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** How long idle keep-alive connections stay open after SIGTERM for requests already on their way. */
const IDLE_SOCKET_GRACE_MS = 1000;

/**
 * Returns a function that starts draining: every response still in progress, and every one of a
 * request that arrives from then on, closes its connection when it is done; it resolves once no
 * response is in progress. Without it, server.close() closes only the keep-alive connections idle
 * at that moment: one serving a request then stays open until its keep-alive timeout, past the
 * forced exit.
 */
function trackResponses(server: Server): () => Promise<void> {
  const open = new Set<ServerResponse>();
  let draining = false;
  let onDrained: (() => void) | undefined;
  server.on('request', (_request, response: ServerResponse) => {
    if (draining) response.setHeader('connection', 'close');
    open.add(response);
    response.once('close', () => {
      open.delete(response);
      if (open.size === 0) onDrained?.();
    });
  });
  return () => {
    draining = true;
    for (const response of open) if (!response.headersSent) response.setHeader('connection', 'close');
    return open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (onDrained = resolve));
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`Course Companion failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootConfigOrExit } from './boot-checks.js';
import { createLogger } from './common/logging/index.js';
import { NestPinoLogger } from './common/logging/index.js';
import { WorkerModule } from './worker.module.js';

/**
 * A grading worker: the grading modules of the API (worker.module.ts), no HTTP, always working the queue.
 * Run as many as you like against one DATABASE_URL (`npm run worker`).
 */
async function main(): Promise<void> {
  const config = bootConfigOrExit();
  if (!config.DATABASE_URL) {
    process.stderr.write('Invalid configuration: DATABASE_URL is required for a worker (it shares the API’s database)\n');
    process.exit(1);
  }
  const log = createLogger(config);
  const app = await NestFactory.createApplicationContext(
    WorkerModule.register({ config: { ...config, GRADING_IN_API: true }, databaseUrl: config.DATABASE_URL }),
    { logger: new NestPinoLogger(log) },
  );
  log.info('Grading worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Worker stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

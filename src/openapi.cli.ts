import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { createOpenApiDocument } from './common/http/openapi.js';
import { loadConfig } from './config/config.loader.js';

/**
 * Writes the OpenAPI document that /docs/json serves, without a database or Redis: Nest's preview
 * mode builds the module graph without instantiating any provider. `node dist/src/openapi.cli.js [FILE]`.
 */
async function main(): Promise<void> {
  // Placeholders: in preview mode nothing connects, and the document does not depend on configuration.
  const databaseUrl = 'postgres://openapi@127.0.0.1:1/openapi';
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, JWT_SECRET_KEY: 'openapi-document-only-'.padEnd(48, '0') });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register({ config, databaseUrl }), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const json = `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`;
  const file = process.argv[2];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, json);
  }
  else process.stdout.write(json);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

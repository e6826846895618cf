import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig, type AppConfig } from '../../src/config/config.loader.js';
import { prepareDatabase } from '../../src/database/database-setup.js';
import { createHttpApp } from '../../src/http-app.js';
import { recordResponses } from './contract/contract-recorder.js';
import { logCapture, scansLogs } from './log-scan.js';
import { createSeededTestDatabase, createTestDatabase, type TestDatabase } from './test-database.js';
import { TEST_REDIS_PREFIX, TEST_REDIS_URL } from './test-redis.js';
import { TEST_JWT_SECRET } from './test-secret.js';

export { TEST_JWT_SECRET };

export type TestApp = {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  database: TestDatabase;
  /** Signs in and returns an Authorization header value. */
  login: (email: string, password: string) => Promise<string>;
  close: () => Promise<void>;
};

export const DEMO = {
  student: { email: 'test@example.com', password: 'password123' },
  free: { email: 'free@test.com', password: 'password123' },
  premium: { email: 'premium@test.com', password: 'premium123' },
  admin: { email: 'admin@example.com', password: 'admin123' },
} as const;

const LENIENT_LIMITS = {
  THROTTLE_LIMIT_PER_IP: '1000000000',
  THROTTLE_LIMIT_PER_USER: '1000000000',
  LOGIN_MAX_FAILURES: '1000000000',
  REGISTER_LIMIT_PER_IP: '1000000000',
};

/**
 * The real application on a fresh database (migrated and seeded: a copy of the run's template),
 * served over real HTTP by supertest. `env` overrides the test configuration.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const settings = (url?: string) =>
    loadConfig({
      NODE_ENV: 'test',
      // The fault and security suites log everything, and their logs are scanned for secrets (log-scan.ts).
      LOG_LEVEL: scansLogs(expect.getState().testPath) ? 'debug' : 'silent',
      JWT_SECRET_KEY: TEST_JWT_SECRET,
      ...(url && { DATABASE_URL: url }),
      // Suites send many requests from one address; the abuse-limit suite sets real limits.
      ...LENIENT_LIMITS,
      ...env,
      // On the shared test Redis, keys carry the run's prefix (deleted at the end); a test's own
      // redis-server is thrown away whole.
      ...(env.REDIS_URL === TEST_REDIS_URL && { REDIS_KEY_PREFIX: TEST_REDIS_PREFIX }),
    });
  let database: TestDatabase;
  let config: AppConfig;
  if (env.DATABASE_URL) {
    // A second instance on the same database passes that database's DATABASE_URL; it does not own it.
    database = { url: env.DATABASE_URL, name: '', drop: () => Promise.resolve() };
    config = settings(database.url);
    await prepareDatabase(database.url, config);
  } else {
    const wanted = settings();
    // The template is what prepareDatabase makes of a new database with migrations and seed on.
    const prepared = wanted.DATABASE_MIGRATE_ON_START && wanted.SEED_ON_START;
    database = prepared ? await createSeededTestDatabase() : await createTestDatabase();
    config = settings(database.url);
    if (!prepared) await prepareDatabase(database.url, config);
  }
  const app = await createHttpApp(config, database.url, { logDestination: logCapture });
  await app.getHttpAdapter().getInstance().ready();
  // Every response is checked against the served OpenAPI document when the test file ends.
  await recordResponses(app);
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    config,
    database,
    login: async (email, password) => {
      const res = await http.post('/api/v1/auth/login').send({ email, password }).expect(200);
      return `Bearer ${(res.body as { access_token: string }).access_token}`;
    },
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** A URL of a test app's own server, for clients other than supertest (it starts listening if it is not). */
export async function appUrl(app: NestFastifyApplication, path: string): Promise<URL> {
  const server = app.getHttpServer();
  if (!server.listening) await app.listen(0, '127.0.0.1');
  const address = server.address() as AddressInfo;
  return new URL(path, `http://127.0.0.1:${address.port}`);
}

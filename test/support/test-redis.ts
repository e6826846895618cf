import { Redis } from 'ioredis';

/**
 * The shared Redis the suites may write to: `TEST_REDIS_URL`, default the machine's local one.
 * A different database number (`redis://127.0.0.1:6379/5`) keeps parallel runs apart.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Every key a test app writes starts with this run's prefix (set by global-setup.mjs as
 * REDIS_KEY_PREFIX of each test app); global-teardown.mjs deletes them all.
 */
export const TEST_REDIS_PREFIX = process.env.TEST_REDIS_PREFIX ?? 'cc-test:';

/** A client on TEST_REDIS_URL that reads and writes under the run's prefix, as the app does. */
export function openTestRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { keyPrefix: TEST_REDIS_PREFIX });
}

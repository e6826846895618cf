/**
 * The shared Redis the suites may write to: `TEST_REDIS_URL`, default the machine's local one.
 * A different database number (`redis://127.0.0.1:6379/5`) keeps parallel runs apart.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

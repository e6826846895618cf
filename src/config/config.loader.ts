import { randomBytes } from 'node:crypto';
import { envSchema, SECRET_VARIABLES, type Env } from './env.schema.js';

/** The validated configuration, plus what was derived from it at boot. */
export type AppConfig = Env & {
  JWT_SECRET_KEY: string;
  /** True when no JWT_SECRET_KEY was given and a random one was made for this process. */
  JWT_SECRET_GENERATED: boolean;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const MIN_PRODUCTION_SECRET_BYTES = 32;

/**
 * Parses and checks the environment. Throws a ConfigError whose message is one line naming the
 * first offending variable; secret values are never echoed.
 */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const raw = source[name];
    const got = raw === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(raw)})`;
    const message = issue.code === 'invalid_value' || issue.code === 'custom' || issue.code === 'invalid_format'
      ? issue.message
      : `is invalid: ${issue.message}`;
    throw new ConfigError(`Invalid configuration: ${name} ${message}${got}`);
  }
  const env = parsed.data;

  if (env.NODE_ENV === 'production') {
    if (!env.DATABASE_URL) {
      throw new ConfigError('Invalid configuration: DATABASE_URL is required when NODE_ENV=production');
    }
    if (!env.JWT_SECRET_KEY) {
      throw new ConfigError('Invalid configuration: JWT_SECRET_KEY is required when NODE_ENV=production');
    }
    if (Buffer.byteLength(env.JWT_SECRET_KEY) < MIN_PRODUCTION_SECRET_BYTES) {
      throw new ConfigError(
        `Invalid configuration: JWT_SECRET_KEY must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes when NODE_ENV=production`,
      );
    }
    // /metrics is served on the API's port: in production it must not be open to anyone.
    if (!env.METRICS_TOKEN) {
      throw new ConfigError('Invalid configuration: METRICS_TOKEN is required when NODE_ENV=production (it guards /metrics)');
    }
  }

  return Object.freeze({
    ...env,
    JWT_SECRET_KEY: env.JWT_SECRET_KEY ?? randomBytes(48).toString('base64url'),
    JWT_SECRET_GENERATED: env.JWT_SECRET_KEY === undefined,
  });
}

import { z } from 'zod';
import { FEATURES, PREMIUM_FEATURES, type FeatureDefinition } from '../common/features/index.js';
import { parseUsd } from '../common/money/index.js';

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** A US-dollar amount kept exact as integer micro-dollars. */
const usdSetting = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const text = v === undefined || v === '' ? fallback : v;
      // Settings are plain, non-negative amounts below $10^9; parseUsd turns them into micro-dollars exactly.
      if (!/^\d{1,9}(?:\.\d{1,6})?$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: 'must be a dollar amount such as 0.50 (at most 6 decimals)' });
        return z.NEVER;
      }
      return parseUsd(text);
    });

/** An optional US-dollar rate per million tokens, as integer micro-dollars per million tokens. */
const optionalUsdRate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    const m = /^(\d{1,6})(?:\.(\d{1,6}))?$/.exec(v);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'must be dollars per million tokens such as 2.50 (at most 6 decimals)' });
      return z.NEVER;
    }
    return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
  });

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const url = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** Comma-separated origins allowed to call the API from a browser; empty allows none. */
const origins = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    const list = (v ?? '').split(',').map((o) => o.trim()).filter(Boolean);
    for (const origin of list) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of origins such as https://app.example.com (bad: ${origin})` });
        return z.NEVER;
      }
    }
    return list;
  });

/** Fastify's trustProxy: false, true, a hop count, or a comma-separated list of proxy addresses/CIDRs. */
const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((v): boolean | number | string => {
    if (v === undefined || v === '' || ['false', '0', 'no', 'off'].includes(v.toLowerCase())) return false;
    if (['true', 'yes', 'on'].includes(v.toLowerCase())) return true;
    return /^\d+$/.test(v) ? Number(v) : v;
  });

/** One setting per premium feature, named and defaulted by the feature registry. */
function perFeature<K extends string, S extends z.ZodType>(setting: (feature: FeatureDefinition) => readonly [K, S]): Record<K, S> {
  return Object.fromEntries(PREMIUM_FEATURES.map((name) => setting(FEATURES[name]))) as Record<K, S>;
}

/**
 * Every environment variable the application reads, with its default.
 * `.env.example` documents the same list; keep the two in step.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: int(1_048_576, 1024, 104_857_600),
  TRUST_PROXY: trustProxy,
  CORS_ORIGINS: origins,

  THROTTLE_WINDOW_SECONDS: int(60, 1, 86_400),
  THROTTLE_LIMIT_PER_IP: int(1200, 0, 1_000_000_000),
  THROTTLE_LIMIT_PER_USER: int(600, 0, 1_000_000_000),
  AUTH_WINDOW_SECONDS: int(900, 1, 86_400),
  LOGIN_MAX_FAILURES: int(5, 1, 1_000_000_000),
  REGISTER_LIMIT_PER_IP: int(10, 1, 1_000_000_000),

  DATA_DIR: z.string().trim().min(1).default('./.data'),
  USAGE_JOURNAL_DIR: optionalString,
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  DATABASE_STATEMENT_TIMEOUT_MS: int(1000, 100, 600_000),
  DATABASE_CONNECT_TIMEOUT_MS: int(1000, 100, 60_000),
  DATABASE_MIGRATE_ON_START: bool(true),
  SEED_ON_START: bool(true),

  REDIS_URL: url(['redis:', 'rediss:']),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 5, 10_000),
  /** Put before every key the app writes, so several installs (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{0,64}$/, 'must be up to 64 letters, digits or : _ . -').default(''),

  JWT_SECRET_KEY: optionalString,
  JWT_EXPIRES_IN: int(3600, 60, 2_592_000),
  JWT_ISSUER: z.string().trim().min(1).default('course-companion'),

  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: url(['http:', 'https:']),
  ANTHROPIC_MODEL: optionalString,
  ANTHROPIC_TIMEOUT: int(30, 1, 600),
  ANTHROPIC_MAX_RETRIES: int(3, 0, 10),
  LLM_BASE_URL: url(['http:', 'https:']),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_MAX_TOKENS_PARAM: z.enum(['max_completion_tokens', 'max_tokens']).default('max_completion_tokens'),
  ...perFeature((f) => [f.model.env, optionalString]),
  LLM_EFFORT: z.enum(['low', 'medium', 'high']).default('low'),
  LLM_MAX_CONCURRENCY: int(8, 1, 1000),
  LLM_MAX_QUEUE: int(50, 0, 100_000),
  LLM_CIRCUIT_FAILURES: int(5, 1, 1000),
  LLM_CIRCUIT_HALF_OPEN_SECONDS: int(30, 1, 3600),
  LLM_RETRY_BASE_MS: int(500, 1, 60_000),
  // Prices (USD per million tokens) for a model the price list does not have, and for the
  // OpenAI-compatible provider (else $0, flagged "local").
  LLM_PRICE_INPUT: optionalUsdRate,
  LLM_PRICE_OUTPUT: optionalUsdRate,
  LLM_PRICE_CACHE_READ: optionalUsdRate,
  LLM_PRICE_CACHE_WRITE: optionalUsdRate,
  // Grading through the Message Batches API at the batch price; results within minutes to hours.
  GRADING_MODE: z.enum(['interactive', 'batch']).default('interactive'),
  GRADING_BATCH_MAX: int(100, 1, 10_000),
  GRADING_BATCH_WAIT_SECONDS: int(60, 0, 86_400),
  GRADING_BATCH_POLL_SECONDS: int(30, 1, 3600),

  LLM_COST_ALERT_THRESHOLD: usdSetting('0.50'),
  LLM_COST_ALERT_EMAIL: optionalString.pipe(z.email().optional()),
  LLM_DAILY_BUDGET_USD: usdSetting('10.00'),
  LLM_ERROR_RATE_ALERT_PERCENT: int(5, 1, 100),
  ALERT_CHECK_INTERVAL_SECONDS: int(300, 5, 86_400),
  ALERT_WEBHOOK_URL: url(['http:', 'https:']),
  METRICS_TOKEN: optionalString,

  UPGRADE_URL: z.string().trim().min(1).default('/upgrade'),
  ...perFeature((f) => [f.quota.env, int(f.quota.default, 0, 100_000)]),
  QUOTA_HOLD_SECONDS: int(60, 2, 3600),
  ASSESSMENT_MAX_CHARS: int(5000, 100, 100_000),
  GRADING_IN_API: bool(true),
  GRADING_CONCURRENCY: int(4, 1, 64),
  GRADING_JOB_TIMEOUT_SECONDS: int(120, 1, 3600),
  QUEUE_MAINTENANCE_SECONDS: int(30, 1, 3600),

  ...perFeature((f) => [f.flag.env, bool(f.flag.enabled)]),
  ENABLE_PHASE2_CACHING: bool(true),

  SMTP_URL: url(['smtp:', 'smtps:']),
  SMTP_SERVER: optionalString,
  SMTP_PORT: int(587, 1, 65535),
  SMTP_USERNAME: optionalString,
  SMTP_PASSWORD: optionalString,
  SMTP_FROM: z.string().trim().min(1).default('Course Companion <no-reply@localhost>'),
});

export type Env = z.output<typeof envSchema>;

/** Variables whose values must never be echoed, not even in a configuration error. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET_KEY',
  'ANTHROPIC_API_KEY',
  'SMTP_URL',
  'SMTP_PASSWORD',
  'LLM_API_KEY',
  'METRICS_TOKEN',
]);

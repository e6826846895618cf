import { ConfigError, loadConfig } from './config.loader.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATA_DIR: './.data',
      ANTHROPIC_TIMEOUT: 30,
      ANTHROPIC_MAX_RETRIES: 3,
      LLM_COST_ALERT_THRESHOLD: 500_000,
      PREMIUM_ADAPTIVE_PATHS_LIMIT: 10,
      PREMIUM_ASSESSMENTS_LIMIT: 20,
      ENABLE_ADAPTIVE_PATHS: true,
      ENABLE_LLM_ASSESSMENTS: true,
      ENABLE_PHASE2_CACHING: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    // Unset: each feature then uses its own default model (model-selection.ts).
    expect(config.ANTHROPIC_MODEL).toBeUndefined();
  });

  it('generates a random JWT secret in development and says so', () => {
    const a = loadConfig({});
    const b = loadConfig({});
    expect(a.JWT_SECRET_GENERATED).toBe(true);
    expect(a.JWT_SECRET_KEY.length).toBeGreaterThanOrEqual(32);
    expect(a.JWT_SECRET_KEY).not.toBe(b.JWT_SECRET_KEY);
    expect(loadConfig({ JWT_SECRET_KEY: 'given' }).JWT_SECRET_GENERATED).toBe(false);
  });

  it('parses booleans, integers and exact dollar amounts', () => {
    const config = loadConfig({ ENABLE_ADAPTIVE_PATHS: 'false', PORT: '8080', LLM_COST_ALERT_THRESHOLD: '1.234567' });
    expect(config.ENABLE_ADAPTIVE_PATHS).toBe(false);
    expect(config.PORT).toBe(8080);
    expect(config.LLM_COST_ALERT_THRESHOLD).toBe(1_234_567);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "abc")'],
    [{ ENABLE_PHASE2_CACHING: 'maybe' }, 'Invalid configuration: ENABLE_PHASE2_CACHING must be true or false (got "maybe")'],
    [{ LLM_COST_ALERT_THRESHOLD: '0.1234567' }, 'LLM_COST_ALERT_THRESHOLD must be a dollar amount'],
    [{ DATABASE_URL: 'mysql://x' }, 'Invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://'],
    [{ NODE_ENV: 'staging' }, 'Invalid configuration: NODE_ENV'],
    [{ LLM_COST_ALERT_EMAIL: 'not-an-email' }, 'Invalid configuration: LLM_COST_ALERT_EMAIL'],
  ])('stops on a bad value with one line naming the variable: %j', (env, expected) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret value in an error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db' })).toThrow(
      /^Invalid configuration: DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\/$/,
    );
  });

  describe('in production', () => {
    const secret = 'x'.repeat(32);
    const url = 'postgres://app@db:5432/app';

    it('requires DATABASE_URL', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: secret })).toThrow(
        'DATABASE_URL is required when NODE_ENV=production',
      );
    });

    it('requires a JWT_SECRET_KEY of at least 32 bytes', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: url })).toThrow(
        'JWT_SECRET_KEY is required when NODE_ENV=production',
      );
      expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, JWT_SECRET_KEY: 'short' })).toThrow(
        'JWT_SECRET_KEY must be at least 32 bytes',
      );
      expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, JWT_SECRET_KEY: secret, METRICS_TOKEN: 'scrape' }).JWT_SECRET_GENERATED).toBe(false);
    });

    it('requires METRICS_TOKEN, so /metrics is never open', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, JWT_SECRET_KEY: secret })).toThrow(
        'METRICS_TOKEN is required when NODE_ENV=production',
      );
    });
  });
});

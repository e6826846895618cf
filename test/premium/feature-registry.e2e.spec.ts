import { jest } from '@jest/globals';

/**
 * A feature added to the registry reaches every place that lists the premium features, with no
 * other edit: the registry's table is swapped for one with an extra entry before any module loads
 * it, and the real app (configuration, OpenAPI document, routes, metrics) must show it. A place
 * that hard-coded the two current features fails here.
 */
const real = await import('../../src/common/features/feature-registry.js');

const EXTRA = {
  name: 'trial_runs',
  quota: { env: 'PREMIUM_TRIAL_LIMIT', default: 7 },
  model: { env: 'LLM_MODEL_TRIAL', default: 'claude-haiku-5-5' },
  flag: { env: 'ENABLE_TRIAL_RUNS', enabled: false, variants: ['draft', 'rules'] },
  output: 'shared',
} as const;

jest.unstable_mockModule('../../src/common/features/feature-registry.js', () => ({
  ...real,
  FEATURES: Object.freeze({ ...real.FEATURES, [EXTRA.name]: EXTRA }),
}));

const { PREMIUM_FEATURES } = await import('../../src/common/features/index.js');
const { ConfigError, loadConfig } = await import('../../src/config/index.js');
const { missingModelProblem, modelFor } = await import('../../src/llm/index.js');
const { DEMO, startTestApp } = await import('../support/test-app.js');
type TestApp = Awaited<ReturnType<typeof startTestApp>>;

// Typed as strings: the extra feature exists at run time only.
const features = PREMIUM_FEATURES as readonly string[];
const extra = EXTRA.name as never;
/** The real features, then the extra one. */
const ALL = [...Object.keys(real.FEATURES), 'trial_runs'];

it('the registry seen by the code has the extra feature after the real ones', () => {
  expect(features).toEqual(ALL);
  expect(ALL.length).toBeGreaterThan(2);
});

describe('configuration', () => {
  it('has each feature setting with the default the registry gives', () => {
    const config = loadConfig({}) as unknown as Record<string, unknown>;
    expect(config).toMatchObject({ PREMIUM_TRIAL_LIMIT: 7, ENABLE_TRIAL_RUNS: false });
  });

  it('parses and checks the settings like any other', () => {
    const config = loadConfig({ PREMIUM_TRIAL_LIMIT: '3', ENABLE_TRIAL_RUNS: 'yes', LLM_MODEL_TRIAL: 'claude-sonnet-5-5' }) as unknown as Record<string, unknown>;
    expect(config).toMatchObject({ PREMIUM_TRIAL_LIMIT: 3, ENABLE_TRIAL_RUNS: true, LLM_MODEL_TRIAL: 'claude-sonnet-5-5' });
    expect(() => loadConfig({ PREMIUM_TRIAL_LIMIT: 'many' })).toThrow(
      new ConfigError('Invalid configuration: PREMIUM_TRIAL_LIMIT must be a whole number from 0 to 100000 (got "many")'),
    );
  });

  it('picks the feature model: its own setting, else LLM_MODEL, else its default', () => {
    expect(modelFor(extra, {})).toBe('claude-haiku-5-5');
    expect(modelFor(extra, { LLM_MODEL: 'local' })).toBe('local');
    expect(modelFor(extra, { LLM_MODEL: 'local', LLM_MODEL_TRIAL: 'own' } as never)).toBe('own');
    const realModels = Object.fromEntries(Object.values(real.FEATURES).map((f) => [f.model.env, 'named']));
    const problem = missingModelProblem(realModels);
    expect(problem).toContain('no model is named for trial_runs; set LLM_MODEL (or LLM_MODEL_ADAPTIVE_PATH, ');
    expect(problem).toContain(' and LLM_MODEL_TRIAL) to a model the server serves');
  });
});

describe('the app', () => {
  let t: TestApp;
  let premium: string;
  let admin: string;
  beforeAll(async () => {
    // Only the extra feature is on: phase 2 counts as enabled because of it alone.
    t = await startTestApp({ PREMIUM_TRIAL_LIMIT: '4', ENABLE_TRIAL_RUNS: 'true', ENABLE_ADAPTIVE_PATHS: 'false', ENABLE_LLM_ASSESSMENTS: 'false', METRICS_TOKEN: 'scrape-me' });
    premium = await t.login(DEMO.premium.email, DEMO.premium.password);
    admin = await t.login(DEMO.admin.email, DEMO.admin.password);
  });
  afterAll(() => t.close());

  it('documents every feature: the quota object, the error enums, the flag route', async () => {
    const doc = (await t.http.get('/docs/json').expect(200)).body;
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.QuotaFeaturesDto.properties)).toEqual(ALL);
    expect(schemas.QuotaFeaturesDto.properties.trial_runs).toEqual({ $ref: '#/components/schemas/FeatureQuotaDto' });
    expect(schemas.QuotaFeaturesDto.required).toEqual(ALL);
    expect(schemas.FeatureDisabledError.properties.feature.enum).toEqual(ALL);
    expect(schemas.RateLimitExceededError.properties.quota.properties.feature.enum).toEqual(ALL);
    expect(schemas.FlagDto.properties.feature.enum).toEqual(ALL);
    const param = doc.paths['/api/v2/admin/flags/{feature}'].put.parameters.find((p: { name: string }) => p.name === 'feature');
    expect(param.schema.enum).toEqual(ALL);
  });

  it('reports the quota of every feature, with the configured limit', async () => {
    const res = await t.http.get('/api/v2/usage/quota').set('authorization', premium).expect(200);
    expect(Object.keys(res.body.features)).toEqual(ALL);
    expect(res.body.features).toMatchObject({ adaptive_paths: { used: 0, limit: 10 }, assessments: { used: 0, limit: 20 }, trial_runs: { used: 0, limit: 4 } });
  });

  it('has a flag for every feature, from its ENABLE_ setting and the registry\'s default variant, and lets an admin set it', async () => {
    const list = await t.http.get('/api/v2/admin/flags').set('authorization', admin).expect(200);
    expect(list.body.flags.map((f: { feature: string }) => f.feature)).toEqual(ALL);
    expect(list.body.flags.at(-1)).toEqual({ feature: 'trial_runs', enabled: true, rollout_percentage: 100, variants: [{ name: 'draft', weight: 100 }] });
    expect(list.body.flags[0]).toMatchObject({ feature: 'adaptive_paths', enabled: false });
    const put = await t.http.put('/api/v2/admin/flags/trial_runs').set('authorization', admin).send({ enabled: false }).expect(200);
    expect(put.body).toMatchObject({ feature: 'trial_runs', enabled: false });
    const unknown = await t.http.put('/api/v2/admin/flags/not_a_feature').set('authorization', admin).send({ enabled: true }).expect(400);
    expect(unknown.body.error.details).toEqual([{ field: 'feature', issue: `must be one of ${ALL.join(', ')}` }]);
  });

  it('counts phase 2 as enabled when any feature is on', async () => {
    expect((await t.http.get('/api/v1/health').expect(200)).body.phase2_enabled).toBe(true);
  });

  it('exports a quota-rejection series for every feature from boot', async () => {
    const res = await t.http.get('/metrics').set('authorization', 'Bearer scrape-me').expect(200);
    for (const feature of ALL) {
      expect(res.text).toContain(`premium_quota_rejections_total{feature="${feature}"} 0`);
    }
  });
});

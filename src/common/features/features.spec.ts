import { defaultVariant, featureLabel, FEATURES, LLM_FEATURES, PREMIUM_FEATURES } from './index.js';

describe('the premium feature registry', () => {
  it('lists the features in registry order, every one of them calling a model', () => {
    // The first is the OpenAPI document's example feature: new features go after these.
    expect(PREMIUM_FEATURES.slice(0, 2)).toEqual(['adaptive_paths', 'assessments']);
    expect(LLM_FEATURES).toEqual(PREMIUM_FEATURES);
  });

  it.each([
    ['adaptive_paths', 'PREMIUM_ADAPTIVE_PATHS_LIMIT', 10, 'LLM_MODEL_ADAPTIVE_PATH', 'claude-sonnet-5-5', 'ENABLE_ADAPTIVE_PATHS', ['adaptive', 'static']],
    ['assessments', 'PREMIUM_ASSESSMENTS_LIMIT', 20, 'LLM_MODEL_ASSESSMENT', 'claude-haiku-5-5', 'ENABLE_LLM_ASSESSMENTS', ['llm', 'rules']],
  ] as const)('keeps the settings and defaults %s had before the registry', (name, quota, limit, model, defaultModel, flag, variants) => {
    expect(FEATURES[name]).toEqual({
      name,
      quota: { env: quota, default: limit },
      model: { env: model, default: defaultModel },
      flag: { env: flag, enabled: true, variants },
      output: 'per_student',
    });
  });

  it('gives each feature its first variant as the default, and a name for messages', () => {
    expect(defaultVariant('adaptive_paths')).toBe('adaptive');
    expect(defaultVariant('assessments')).toBe('llm');
    expect(featureLabel('adaptive_paths')).toBe('adaptive paths');
    expect(featureLabel('assessments')).toBe('assessments');
  });

  it('has names fit for a path segment, a metrics label and a column, and settings no two features share', () => {
    const settings = PREMIUM_FEATURES.flatMap((f) => [FEATURES[f].quota.env, FEATURES[f].model.env, FEATURES[f].flag.env]);
    expect(new Set(settings).size).toBe(settings.length);
    for (const name of PREMIUM_FEATURES) {
      expect(name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      const { variants } = FEATURES[name].flag;
      expect(new Set(variants).size).toBe(variants.length);
      // What the admin flags route accepts as a variant name.
      for (const v of variants) expect(v).toMatch(/^[a-z][a-z0-9_-]{0,31}$/);
    }
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(FEATURES)).toBe(true);
    expect(Object.isFrozen(FEATURES.adaptive_paths)).toBe(true);
    expect(Object.isFrozen(PREMIUM_FEATURES)).toBe(true);
  });
});

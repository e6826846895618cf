import { defaultVariant, featureLabel, FEATURES, LLM_FEATURES, PREMIUM_FEATURES } from './index.js';

describe('the premium feature registry', () => {
  it('lists the features in registry order, every one of them calling a model', () => {
    // The first is the OpenAPI document's example feature: new features go after these.
    expect(PREMIUM_FEATURES.slice(0, 2)).toEqual(['adaptive_paths', 'assessments']);
    expect(LLM_FEATURES).toEqual(PREMIUM_FEATURES);
  });

  it('keeps the settings and defaults the features had before the registry', () => {
    expect(FEATURES.adaptive_paths).toEqual({
      name: 'adaptive_paths',
      quota: { env: 'PREMIUM_ADAPTIVE_PATHS_LIMIT', default: 10 },
      model: { env: 'LLM_MODEL_ADAPTIVE_PATH', default: 'claude-sonnet-5-5' },
      flag: { env: 'ENABLE_ADAPTIVE_PATHS', enabled: true, variants: ['adaptive', 'static'] },
      output: 'per_student',
    });
    expect(FEATURES.assessments).toEqual({
      name: 'assessments',
      quota: { env: 'PREMIUM_ASSESSMENTS_LIMIT', default: 20 },
      model: { env: 'LLM_MODEL_ASSESSMENT', default: 'claude-haiku-5-5' },
      flag: { env: 'ENABLE_LLM_ASSESSMENTS', enabled: true, variants: ['llm', 'rules'] },
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

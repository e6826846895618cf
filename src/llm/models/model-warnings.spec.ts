import { modelWarnings } from './model-warnings.js';

const NOW = new Date('2026-11-22T12:00:00Z');

describe('modelWarnings', () => {
  it('is silent for the current default model', () => {
    expect(modelWarnings({ ANTHROPIC_MODEL: 'claude-sonnet-5-5' }, NOW)).toEqual([]);
  });

  it('names the end-of-life date of a deprecated model, per feature that uses it', () => {
    expect(modelWarnings({ ANTHROPIC_MODEL: 'claude-sonnet-5-5', LLM_MODEL_ASSESSMENT: 'claude-sonnet-4-5-20250929' }, NOW)).toEqual([
      'assessments: model claude-sonnet-4-5-20250929 is deprecated and reaches end of life on 2026-11-30; move it to a current model (e.g. claude-sonnet-5-5)',
    ]);
    expect(modelWarnings({ ANTHROPIC_MODEL: 'claude-sonnet-4-5' }, new Date('2026-12-01T00:00:00Z'))[0]).toContain('was retired on 2026-11-30');
  });

  it('flags a model with no price', () => {
    expect(modelWarnings({ ANTHROPIC_MODEL: 'claude-sonnet-5-5', LLM_MODEL_ADAPTIVE_PATH: 'mystery-model' }, NOW)).toEqual([
      'adaptive_paths: model mystery-model is not in the price list; its calls are priced at the highest listed rates',
    ]);
  });
});

import { modelFor } from './model-selection.js';

describe('modelFor', () => {
  it('gives each feature its default model when nothing is configured', () => {
    expect(modelFor('adaptive_paths', {})).toBe('claude-sonnet-5-5');
    expect(modelFor('assessments', {})).toBe('claude-haiku-5-5');
  });

  it('uses ANTHROPIC_MODEL for every feature without a setting of its own', () => {
    const config = { ANTHROPIC_MODEL: 'claude-opus-5-5' };
    expect(modelFor('adaptive_paths', config)).toBe('claude-opus-5-5');
    expect(modelFor('assessments', config)).toBe('claude-opus-5-5');
  });

  it('prefers the feature setting over ANTHROPIC_MODEL', () => {
    const config = { ANTHROPIC_MODEL: 'claude-opus-5-5', LLM_MODEL_ASSESSMENT: 'llama-local', LLM_MODEL_ADAPTIVE_PATH: 'claude-sonnet-5' };
    expect(modelFor('assessments', config)).toBe('llama-local');
    expect(modelFor('adaptive_paths', config)).toBe('claude-sonnet-5');
  });
});

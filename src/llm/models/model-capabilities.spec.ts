import { MODEL_ALIASES, PRICE_LIST } from '../pricing/price-list.js';
import { capabilitiesFor, maxTokensFor } from './model-capabilities.js';

const listed = [...new Set([...PRICE_LIST.map((r) => r.model), ...Object.keys(MODEL_ALIASES)])];

describe('capabilitiesFor (API version 2026-10-21)', () => {
  it('knows every model in the price list, and none of them takes sampling parameters', () => {
    for (const model of listed) {
      expect([model, capabilitiesFor(model).family]).not.toEqual([model, 'unknown']);
      expect(capabilitiesFor(model).samplingParameters).toBe(false);
    }
  });

  it('allows prefill only before 4.6, and effort only from 4.6 on', () => {
    for (const model of ['claude-haiku-4-5', 'claude-sonnet-4-5-20250929', 'claude-opus-4-5']) {
      expect(capabilitiesFor(model)).toMatchObject({ assistantPrefill: true, effort: false, thinking: 'budget' });
    }
    for (const model of ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-8', 'claude-sonnet-5-5', 'claude-fable-5-1']) {
      expect(capabilitiesFor(model)).toMatchObject({ assistantPrefill: false, effort: true, thinking: 'adaptive' });
    }
  });

  it('gives an unknown model the request every model accepts', () => {
    expect(capabilitiesFor('claude-nova-9')).toMatchObject({ family: 'unknown', assistantPrefill: false, effort: false, samplingParameters: false });
  });

  it('adds room for adaptive thinking by effort, none for budget-thinking models', () => {
    expect(maxTokensFor('claude-sonnet-5-5', 800, 'low')).toBe(1824);
    expect(maxTokensFor('claude-sonnet-5-5', 800, 'high')).toBe(16_800);
    expect(maxTokensFor('claude-haiku-4-5', 800, 'high')).toBe(800);
  });
});

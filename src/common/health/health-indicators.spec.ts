import { HealthIndicators } from './health-indicators.js';

describe('HealthIndicators', () => {
  it('returns the probe registered under a name, and nothing for a name no module registered', async () => {
    const indicators = new HealthIndicators();
    indicators.register('queue', { probe: () => Promise.resolve({ up: false, details: {} }), roundTrip: true });
    await expect(indicators.get('queue')!.probe()).resolves.toEqual({ up: false, details: {} });
    expect(indicators.get('llm')).toBeUndefined();
  });

  it('refuses a second probe under the same name', () => {
    const indicators = new HealthIndicators();
    const queue = { probe: () => Promise.resolve({ up: true, details: {} }), roundTrip: true };
    indicators.register('queue', queue);
    expect(() => indicators.register('queue', queue)).toThrow('already registered');
  });
});

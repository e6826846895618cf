import type { LearningPath } from './adaptive-path.js';
import { requestSource } from './path-analytics.js';

const path = {} as LearningPath;

describe('requestSource', () => {
  it('names how a request was served', () => {
    expect(requestSource(undefined)).toBe('rejected');
    expect(requestSource({ path, source: 'llm', fellBack: false })).toBe('llm');
    expect(requestSource({ path, source: 'rules', fellBack: false })).toBe('rules');
    expect(requestSource({ path, source: 'rules', fellBack: true })).toBe('fallback');
    expect(requestSource({ path, source: 'cache', fellBack: false })).toBe('cache');
  });
});

import type { LearningPath } from './adaptive-path.js';
import { toAdaptivePathDto } from './adaptive-path.dto.js';

const path: LearningPath = {
  path_id: '0b7c2f0e-4a51-4a8b-9a5e-3c7d2b1f0e9a',
  student_id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  recommendations: [{ chapter_id: '02-prompting', action: 'review', priority: 1, reason: 'Best quiz score 40%' }],
  reasoning: 'Prompting first.',
  variant: 'adaptive',
  generated_at: '2026-11-22T10:15:00.000Z',
  expires_at: '2026-11-23T10:15:00.000Z',
};

describe('toAdaptivePathDto', () => {
  it('shows the reasoning only when asked for, and nothing of how the unit was settled', () => {
    const answer = toAdaptivePathDto({ path, source: 'rules', fellBack: true }, false);
    expect(answer).toEqual({
      path_id: '0b7c2f0e-4a51-4a8b-9a5e-3c7d2b1f0e9a',
      student_id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      recommendations: [{ chapter_id: '02-prompting', action: 'review', priority: 1, reason: 'Best quiz score 40%' }],
      decision_source: 'rules',
      variant: 'adaptive',
      generated_at: '2026-11-22T10:15:00.000Z',
      expires_at: '2026-11-23T10:15:00.000Z',
    });
    expect(Object.keys(answer)).not.toContain('reasoning');
    expect(toAdaptivePathDto({ path, source: 'llm', fellBack: false }, true)).toMatchObject({ reasoning: 'Prompting first.', decision_source: 'llm' });
  });

  it('says a path served from the store came from the cache', () => {
    expect(toAdaptivePathDto({ path, source: 'cache', fellBack: false }, true).decision_source).toBe('cache');
  });
});

import type { LlmClient } from '../../llm/index.js';
import { inPriorityOrder, pathHeader, PathGenerator } from './path-generator.js';
import type { ChapterEvidence } from './path-rules.js';

const evidence: ChapterEvidence[] = [
  { chapter_id: '01-intro', title: 'Intro', order: 1, prerequisites: [], attempts: 1, best_percentage: 30, passed: false },
  { chapter_id: '02-prompting', title: 'Prompting', order: 2, prerequisites: ['01-intro'], attempts: 0, best_percentage: null, passed: false },
];

describe('inPriorityOrder', () => {
  it('orders the model’s steps by its priorities and numbers them from 1 without gaps', () => {
    expect(
      inPriorityOrder([
        { chapter_id: 'b', action: 'start', priority: 7, reason: 'b' },
        { chapter_id: 'a', action: 'review', priority: 2, reason: 'a' },
        { chapter_id: 'c', action: 'practice', priority: 9, reason: 'c' },
      ]),
    ).toEqual([
      { chapter_id: 'a', action: 'review', priority: 1, reason: 'a' },
      { chapter_id: 'b', action: 'start', priority: 2, reason: 'b' },
      { chapter_id: 'c', action: 'practice', priority: 3, reason: 'c' },
    ]);
  });
});

describe('pathHeader', () => {
  it('gives a new path its own id, its variant and a day to live', () => {
    const now = new Date('2026-11-22T10:15:00.000Z');
    const a = pathHeader({ studentId: 's1', variant: 'adaptive' }, now);
    expect(a).toEqual({
      path_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      student_id: 's1',
      variant: 'adaptive',
      generated_at: '2026-11-22T10:15:00.000Z',
      expires_at: '2026-11-23T10:15:00.000Z',
    });
    expect(pathHeader({ studentId: 's1', variant: 'adaptive' }, now).path_id).not.toBe(a.path_id);
  });
});

describe('PathGenerator', () => {
  it('keeps the static variant on the rules, never asking the model', async () => {
    const model = {
      provider: 'anthropic',
      complete: () => Promise.reject(new Error('the static variant must not call the model')),
    } as unknown as LlmClient;
    const built = await new PathGenerator(model).generate({ studentId: 's1', variant: 'static', requestId: 'r1' }, evidence);
    expect(built).toMatchObject({ source: 'rules', fellBack: false, path: { student_id: 's1', variant: 'static' } });
    expect(built.path.recommendations[0]).toMatchObject({ chapter_id: '01-intro', action: 'review', priority: 1 });
    expect(built.path.reasoning).toMatch(/^Built by the course rules/);
  });
});

import { rulesPath, type ChapterEvidence } from './path-rules.js';

const course = (over: Record<string, Partial<ChapterEvidence>> = {}): ChapterEvidence[] =>
  [
    ['01-intro', []],
    ['02-prompting', ['01-intro']],
    ['03-embeddings', ['01-intro']],
    ['04-rag', ['02-prompting', '03-embeddings']],
  ].map(([id, pre], i) => ({
    chapter_id: id as string,
    title: `Chapter ${i + 1}`,
    order: i + 1,
    prerequisites: pre as string[],
    attempts: 0,
    best_percentage: null,
    passed: false,
    ...over[id as string],
  }));

describe('rulesPath', () => {
  it('starts a new student at the first chapter', () => {
    expect(rulesPath(course())).toEqual([
      { chapter_id: '01-intro', action: 'start', priority: 1, reason: 'Start here: Chapter 1 is the first chapter of the course' },
    ]);
  });

  it('puts weak chapters first, then the next unlocked chapter, then shaky passes', () => {
    const path = rulesPath(
      course({
        '01-intro': { attempts: 2, best_percentage: 70, passed: true },
        '02-prompting': { attempts: 1, best_percentage: 20, passed: false },
      }),
    );
    expect(path.map((s) => [s.chapter_id, s.action, s.priority])).toEqual([
      ['02-prompting', 'review', 1],
      ['03-embeddings', 'start', 2],
      ['01-intro', 'practice', 3],
    ]);
  });

  it('sends a student back to an unmet prerequisite before a chapter that needs it', () => {
    const path = rulesPath(course({ '04-rag': { attempts: 1, best_percentage: 40 }, '01-intro': { attempts: 1, best_percentage: 100, passed: true } }));
    expect(path.slice(0, 3).map((s) => [s.chapter_id, s.action])).toEqual([
      ['02-prompting', 'start'],
      ['03-embeddings', 'start'],
      ['04-rag', 'review'],
    ]);
  });

  it('says continue when a chapter is close to passing', () => {
    expect(rulesPath(course({ '01-intro': { attempts: 1, best_percentage: 55 } }))[0]).toMatchObject({ chapter_id: '01-intro', action: 'continue' });
  });

  it('always recommends something, even when everything is mastered', () => {
    const done = Object.fromEntries(['01-intro', '02-prompting', '03-embeddings', '04-rag'].map((id) => [id, { attempts: 1, best_percentage: 100, passed: true }]));
    expect(rulesPath(course(done))).toHaveLength(1);
  });

  it('never repeats a chapter and numbers priorities from 1', () => {
    const path = rulesPath(course({ '04-rag': { attempts: 1, best_percentage: 10 }, '02-prompting': { attempts: 1, best_percentage: 10 } }));
    expect(new Set(path.map((s) => s.chapter_id)).size).toBe(path.length);
    expect(path.map((s) => s.priority)).toEqual(path.map((_, i) => i + 1));
  });
});

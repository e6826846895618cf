import { CompletionSources } from './completion-sources.js';

describe('CompletionSources', () => {
  const from = new Date('2026-11-01T00:00:00Z');
  const to = new Date('2026-12-01T00:00:00Z');

  it('hands the window to every registered source and returns all their figures', async () => {
    const sources = new CompletionSources();
    const asked: [Date, Date][] = [];
    sources.register('adaptive_paths', (a, b) => {
      asked.push([a, b]);
      return Promise.resolve([{ feature: 'adaptive_paths', variant: 'adaptive', total: 4, completed: 1 }]);
    });
    sources.register('tutor', () => Promise.resolve([{ feature: 'tutor', variant: 'default', total: 2, completed: 2 }]));
    await expect(sources.figures(from, to)).resolves.toEqual([
      { feature: 'adaptive_paths', variant: 'adaptive', total: 4, completed: 1 },
      { feature: 'tutor', variant: 'default', total: 2, completed: 2 },
    ]);
    expect(asked).toEqual([[from, to]]);
  });

  it('has no figures when no module registered a source, and refuses a second source for a feature', async () => {
    const sources = new CompletionSources();
    await expect(sources.figures(from, to)).resolves.toEqual([]);
    sources.register('adaptive_paths', () => Promise.resolve([]));
    expect(() => sources.register('adaptive_paths', () => Promise.resolve([]))).toThrow('already registered');
  });
});

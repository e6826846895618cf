import { evidenceFrom } from './path-evidence.collector.js';

const catalog = [
  { chapter_id: '01-intro', title: 'Intro', order: 1, prerequisites: [] },
  { chapter_id: '02-prompting', title: 'Prompting', order: 2, prerequisites: ['01-intro'] },
];

describe('evidenceFrom', () => {
  it('gives every chapter of the catalog the student’s attempts, scores as numbers, and the latest quiz time', () => {
    const evidence = evidenceFrom(catalog, [
      { chapter_id: '01-intro', attempts: 2, best_percentage: '66.67', passed: true, latest_completed_at: '2026-11-22T10:15:00.123456Z' },
      { chapter_id: '02-prompting', attempts: 0, best_percentage: null, passed: false, latest_completed_at: '2026-11-22T10:15:00.123456Z' },
    ]);
    expect(evidence).toEqual({
      chapters: [
        { chapter_id: '01-intro', title: 'Intro', order: 1, prerequisites: [], attempts: 2, best_percentage: 66.67, passed: true },
        { chapter_id: '02-prompting', title: 'Prompting', order: 2, prerequisites: ['01-intro'], attempts: 0, best_percentage: null, passed: false },
      ],
      changedAt: '2026-11-22T10:15:00.123456Z',
    });
  });

  it('treats a chapter with no row as not attempted, and no quiz at all as no evidence time', () => {
    expect(evidenceFrom(catalog, [])).toEqual({
      chapters: catalog.map((c) => ({ ...c, attempts: 0, best_percentage: null, passed: false })),
      changedAt: null,
    });
  });
});

import type { PracticeQuestionDraft } from './study.schemas.js';
import { acceptFlashcards, acceptPractice, copiesQuiz, finalisePractice, practiceProblems } from './study-validation.js';

const question = (prompt: string, correct = [true, false, false, false], texts = ['right', 'wrong 1', 'wrong 2', 'wrong 3']): PracticeQuestionDraft => ({
  prompt,
  options: texts.map((text, i) => ({ text, correct: correct[i]! })),
  explanation: 'Because.',
  section: 's1',
});

const graded = ['At its core, what does a large language model do when it generates a response?'];

describe('copiesQuiz', () => {
  it('catches the graded prompt whatever its case, punctuation or accents, and light rewording', () => {
    expect(copiesQuiz('AT ITS CORE what does a large language model do when it generates a response', graded)).toBe(true);
    expect(copiesQuiz('At its core, what does a large language model do when it generates its response?', graded)).toBe(true);
    expect(copiesQuiz('Whât does a large language model do, at its core, when it generates a response?', graded)).toBe(true);
  });

  it('lets a different question on the same topic through', () => {
    expect(copiesQuiz('Which loop produces every token a language model writes?', graded)).toBe(false);
  });
});

describe('practiceProblems', () => {
  it('accepts four distinct options with exactly one correct', () => {
    expect(practiceProblems(question('A new question?'), graded)).toEqual([]);
  });

  it('names every problem', () => {
    expect(practiceProblems(question('Q?', [true, true, false, false]), graded)).toEqual(['not exactly one correct option']);
    expect(practiceProblems(question('Q?', [false, false, false, false]), graded)).toEqual(['not exactly one correct option']);
    expect(practiceProblems(question('Q?', undefined, ['right', 'Right!', 'wrong 2', 'wrong 3']), graded)).toEqual(['options not distinct']);
    expect(practiceProblems({ ...question('Q?'), options: question('Q?').options.slice(0, 3) }, graded)).toEqual(['not four options']);
    expect(practiceProblems(question(graded[0]!), graded)).toEqual(['copies the graded quiz']);
  });
});

describe('acceptPractice', () => {
  it('drops invalid and repeated questions and keeps the first `count` valid ones', () => {
    const drafts = [question(graded[0]!), question('One?'), question('one'), question('Two?', [true, true, false, false]), question('Three?'), question('Four?')];
    expect(acceptPractice(drafts, graded, 3)?.map((q) => q.prompt)).toEqual(['One?', 'Three?', 'Four?']);
  });

  it('gives up when fewer than `count` valid ones remain', () => {
    expect(acceptPractice([question('One?'), question(graded[0]!)], graded, 2)).toBeUndefined();
  });
});

describe('acceptFlashcards', () => {
  it('drops cards repeating a front or with nothing on a side; undefined under the minimum', () => {
    const cards = [
      { front: 'Token', back: 'A unit.', section: 's' },
      { front: 'token!', back: 'Again.', section: 's' },
      { front: 'Chunk', back: '  ', section: 's' },
      { front: 'Vector', back: 'Numbers.', section: 's' },
    ];
    expect(acceptFlashcards(cards, 2)?.map((c) => c.front)).toEqual(['Token', 'Vector']);
    expect(acceptFlashcards(cards, 3)).toBeUndefined();
  });
});

describe('finalisePractice', () => {
  it('numbers the questions, keys the options a to d, and records the key of the correct one', () => {
    const [q] = finalisePractice([question('One?')], 'seed');
    expect(q!.question_id).toBe('p1');
    expect(q!.options.map((o) => o.key)).toEqual(['a', 'b', 'c', 'd']);
    expect(q!.options.map((o) => o.text).sort()).toEqual(['right', 'wrong 1', 'wrong 2', 'wrong 3']);
    expect(q!.options.find((o) => o.key === q!.correct_answer)!.text).toBe('right');
    expect(q).not.toHaveProperty('options.0.correct');
  });

  it('shuffles the same way for the same seed, so the correct option is not always first', () => {
    const drafts = Array.from({ length: 12 }, (_, i) => question(`Q${i}?`));
    const a = finalisePractice(drafts, 'chapter:v1:5');
    expect(finalisePractice(drafts, 'chapter:v1:5')).toEqual(a);
    expect(new Set(a.map((q) => q.correct_answer)).size).toBeGreaterThan(1);
  });
});

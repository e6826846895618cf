import type { GlossaryEntry } from '../../core/index.js';
import type { StudyChapter } from './study-chapter.js';
import { rulesFlashcards, rulesPractice, rulesSummary, sectionOfTerm } from './study-rules.js';
import { practiceProblems } from './study-validation.js';

const term = (name: string, definition: string, chapter = 'ch'): GlossaryEntry => ({ term: name, definition, chapter_id: chapter, aliases: [], related: [] });

const chapter: StudyChapter = {
  chapter_id: 'ch',
  title: 'Vectors',
  content_version: 'v1',
  sections: [
    { section_id: 'introduction', heading: 'Vectors', body: 'Vectors are lists of numbers. They encode meaning. A third sentence.', key_terms: [] },
    {
      section_id: 'measuring',
      heading: 'Measuring closeness',
      body: '```ts\nconst x = 1;\n```\nCosine similarity compares **directions**. It ignores length.\n\n- a list item',
      key_terms: ['cosine similarity'],
    },
    { section_id: 'indexes', heading: 'Indexes', body: 'An ANN index trades recall for speed.', key_terms: [] },
  ],
  terms: [term('cosine similarity', 'The cosine of the angle between two vectors.'), term('ann index', 'A structure that finds near vectors fast.'), term('embedding', 'A vector for a text.')],
  otherTerms: [term('token', 'A unit of text.', 'other'), term('chunk', 'A piece of a document.', 'other')],
  quizPrompts: ['What does cosine similarity measure?'],
};

describe('sectionOfTerm', () => {
  it('is the section that lists the term, else the first that names it, else the first section', () => {
    expect(sectionOfTerm('Cosine Similarity', chapter.sections)).toBe('measuring');
    expect(sectionOfTerm('ANN index', chapter.sections)).toBe('indexes');
    expect(sectionOfTerm('embedding', chapter.sections)).toBe('introduction');
  });
});

describe('rulesFlashcards', () => {
  it('gives terms with their definitions, then section openings, then definitions asking for their term', () => {
    const cards = rulesFlashcards(chapter, 30);
    expect(cards.slice(0, 3)).toEqual([
      { front: 'cosine similarity', back: 'The cosine of the angle between two vectors.', section: 'measuring' },
      { front: 'ann index', back: 'A structure that finds near vectors fast.', section: 'indexes' },
      { front: 'embedding', back: 'A vector for a text.', section: 'introduction' },
    ]);
    expect(cards[3]).toEqual({ front: 'What does "Vectors" cover?', back: 'Vectors are lists of numbers. They encode meaning.', section: 'introduction' });
    // Code and list items are not prose.
    expect(cards[4]).toEqual({ front: 'What does "Measuring closeness" cover?', back: 'Cosine similarity compares directions. It ignores length.', section: 'measuring' });
    expect(cards.at(-1)).toEqual({ front: 'Which term is this? A vector for a text.', back: 'embedding', section: 'introduction' });
    expect(cards).toHaveLength(9);
    expect(rulesFlashcards(chapter, 5)).toEqual(cards.slice(0, 5));
  });
});

describe('rulesPractice', () => {
  it('asks for each term’s definition, then each definition’s term, with three distractors from other terms', () => {
    const questions = rulesPractice(chapter, 10);
    expect(questions).toHaveLength(6);
    expect(questions[0]).toMatchObject({ prompt: 'Which statement defines "cosine similarity"?', section: 'measuring' });
    expect(questions[0]!.options[0]).toEqual({ text: 'The cosine of the angle between two vectors.', correct: true });
    // The other two terms of the chapter come first, then one from the rest of the course.
    const distractors = questions[0]!.options.slice(1).map((o) => o.text);
    expect(distractors.slice(0, 2).sort()).toEqual(['A structure that finds near vectors fast.', 'A vector for a text.']);
    expect(['A unit of text.', 'A piece of a document.']).toContain(distractors[2]);
    expect(questions[3]).toMatchObject({ prompt: 'Which term matches this definition? The cosine of the angle between two vectors.' });
    expect(questions[3]!.options.filter((o) => o.correct)).toEqual([{ text: 'cosine similarity', correct: true }]);
    for (const q of questions) expect(practiceProblems(q, chapter.quizPrompts)).toEqual([]);
  });

  it('is the same for the same chapter and count', () => {
    expect(rulesPractice(chapter, 4)).toEqual(rulesPractice(chapter, 4));
    expect(rulesPractice(chapter, 4)).toHaveLength(4);
  });

  it('leaves out a question that would copy the graded quiz', () => {
    const copying = { ...chapter, quizPrompts: ['Which statement defines "cosine similarity"?'] };
    expect(rulesPractice(copying, 10).map((q) => q.prompt)).not.toContain('Which statement defines "cosine similarity"?');
    expect(rulesPractice(copying, 10)).toHaveLength(5);
  });
});

describe('rulesSummary', () => {
  it('puts each section’s opening sentences under its heading, and the terms as key points', () => {
    expect(rulesSummary(chapter)).toEqual({
      summary_markdown:
        '## Vectors\n\n### Vectors\n\nVectors are lists of numbers. They encode meaning.\n\n### Measuring closeness\n\n' +
        'Cosine similarity compares directions. It ignores length.\n\n### Indexes\n\nAn ANN index trades recall for speed.',
      key_points: ['Cosine similarity: The cosine of the angle between two vectors.', 'Ann index: A structure that finds near vectors fast.', 'Embedding: A vector for a text.'],
    });
  });

  it('falls back on the headings when the chapter has fewer than three terms', () => {
    expect(rulesSummary({ ...chapter, terms: [] }).key_points).toEqual(['Vectors', 'Measuring closeness', 'Indexes']);
  });
});

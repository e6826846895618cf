import { foldText, slugify } from './course-text.js';
import { splitSections } from './course-sections.js';

describe('slugify', () => {
  it('makes the anchor a Markdown renderer would', () => {
    expect(slugify('Zero-shot, few-shot, and examples')).toBe('zero-shot-few-shot-and-examples');
    expect(slugify('Tokens, context windows, and sampling')).toBe('tokens-context-windows-and-sampling');
    expect(slugify('  Évaluer un système RAG ?  ')).toBe('evaluer-un-systeme-rag');
    expect(slugify('recall@k -- and MRR')).toBe('recallk-and-mrr');
  });

  it('keeps to the content id pattern however long the heading', () => {
    const slug = slugify(`${'word '.repeat(40)}end`);
    expect(slug).toMatch(/^[a-z0-9][a-z0-9-]{0,79}$/);
    expect(slug.endsWith('-')).toBe(false);
  });
});

describe('foldText', () => {
  it('drops accents and case', () => {
    expect(foldText('Naïve CAFÉ Ångström')).toBe('naive cafe angstrom');
  });
});

describe('splitSections', () => {
  const md = [
    'Opening paragraph.',
    '',
    '## First **topic**',
    '',
    'Body one.',
    '',
    '```python',
    '# not a heading, a comment in code',
    '```',
    '',
    '### Detail',
    'Body two.',
    '## First topic',
    'Again.',
  ].join('\n');

  it('cuts at every heading outside code, the text before the first one being the introduction', () => {
    expect(splitSections(md, 'The chapter')).toEqual([
      { section_id: 'introduction', heading: 'The chapter', body: 'Opening paragraph.', position: 1 },
      {
        section_id: 'first-topic',
        heading: 'First topic',
        body: 'Body one.\n\n```python\n# not a heading, a comment in code\n```',
        position: 2,
      },
      { section_id: 'detail', heading: 'Detail', body: 'Body two.', position: 3 },
      { section_id: 'first-topic-2', heading: 'First topic', body: 'Again.', position: 4 },
    ]);
  });

  it('keeps a heading to 200 characters', () => {
    expect(splitSections(`## ${'h'.repeat(300)}\ntext`, 'T')[0]!.heading).toHaveLength(200);
  });

  it('has no introduction when the chapter starts with a heading', () => {
    expect(splitSections('## Only\ntext', 'T').map((s) => s.section_id)).toEqual(['only']);
  });
});

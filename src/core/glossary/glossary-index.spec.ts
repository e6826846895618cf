import { GlossaryIndex, glossaryKey, type GlossaryEntry } from './glossary-index.js';

const entry = (term: string, aliases: string[] = []): GlossaryEntry => ({ term, aliases, definition: `${term} defined.`, chapter_id: '01-x', related: [] });
const index = new GlossaryIndex([
  entry('semantic search', ['vector search']),
  entry('hybrid search'),
  entry('retrieval-augmented generation', ['RAG']),
  entry('reranking', ['re-ranking']),
  entry('approximate nearest neighbour', ['ANN', 'approximate nearest neighbor']),
  entry('Café latte'),
  entry('search'),
]);
const terms = (q: string) => index.search(q).map((e) => e.term);

describe('glossaryKey', () => {
  it('ignores case, accents, hyphens and extra spaces', () => {
    expect(glossaryKey('  Retrieval-Augmented   GÉNÉRATION ')).toBe('retrieval augmented generation');
  });
});

describe('GlossaryIndex.search', () => {
  it('lists every term alphabetically for a blank query', () => {
    expect(terms('')).toEqual(['approximate nearest neighbour', 'Café latte', 'hybrid search', 'reranking', 'retrieval-augmented generation', 'search', 'semantic search']);
    expect(terms('   ')).toHaveLength(7);
  });

  it('ranks the exact name first, then prefixes, then later words, each group alphabetically', () => {
    expect(terms('search')).toEqual(['search', 'hybrid search', 'semantic search']);
    expect(terms('se')).toEqual(['search', 'semantic search', 'hybrid search']);
  });

  it('matches aliases, hyphens as spaces, case and accents', () => {
    expect(terms('rag')).toEqual(['retrieval-augmented generation']);
    expect(terms('Retrieval Aug')).toEqual(['retrieval-augmented generation']);
    expect(terms('AUGMENTED')).toEqual(['retrieval-augmented generation']);
    expect(terms('cafe')).toEqual(['Café latte']);
    expect(terms('vector')).toEqual(['semantic search']);
    expect(terms('nearest neighbor')).toEqual(['approximate nearest neighbour']);
  });

  it('matches every word of the query, in any order, as word prefixes', () => {
    expect(terms('neigh appro')).toEqual(['approximate nearest neighbour']);
    expect(terms('neigh banana')).toEqual([]);
  });

  it('finds nothing for a word inside another word', () => {
    expect(terms('earch')).toEqual([]);
  });
});

describe('GlossaryIndex.find', () => {
  it('finds a term by its name or an alias, however written', () => {
    expect(index.find('Re-Ranking')?.term).toBe('reranking');
    expect(index.find('reranking')?.term).toBe('reranking');
    expect(index.find('retrieval augmented generation')?.term).toBe('retrieval-augmented generation');
    expect(index.find('rag')?.term).toBe('retrieval-augmented generation');
    expect(index.find('retrieval')).toBeUndefined();
  });
});

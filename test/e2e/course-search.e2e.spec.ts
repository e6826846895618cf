import { DataSource } from 'typeorm';
import { CourseSearchService, type SectionHit } from '../../src/core/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The course search over the seeded sections, on a real PostgreSQL (what the tutor will call). */
let t: TestApp;
let search: CourseSearchService;
beforeAll(async () => {
  t = await startTestApp();
  search = t.app.get(CourseSearchService);
});
afterAll(() => t.close());

const ids = (hits: SectionHit[]) => hits.map((h) => `${h.chapter_id}/${h.section_id}`);

describe('CourseSearchService.search', () => {
  it('finds the section that teaches a term, with its heading and a plain-text excerpt', async () => {
    const hits = await search.search('How does an HNSW index find neighbours?');
    // The chapter's key takeaways restate the same sentence in fewer words, so they may come first.
    expect(ids(hits.slice(0, 2))).toContain('03-embeddings/vector-databases-and-approximate-search');
    const hit = hits.find((h) => h.section_id === 'vector-databases-and-approximate-search');
    expect(hit).toMatchObject({
      chapter_id: '03-embeddings',
      section_id: 'vector-databases-and-approximate-search',
      heading: 'Vector databases and approximate search',
      relevant: true,
    });
    expect(hit!.excerpt).toContain('HNSW');
    expect(hit!.excerpt).not.toMatch(/\*\*|`/);
    expect(hit!.body).toContain('**HNSW**, a layered graph');
    expect(hits.map((h) => h.rank)).toEqual([...hits.map((h) => h.rank)].sort((a, b) => b - a));
    expect(hits.length).toBeLessThanOrEqual(5);
  });

  it("answers a question put in the student's own words", async () => {
    const hits = await search.search('Training loss keeps dropping but validation loss is rising, what is going on?', { limit: 3 });
    expect(ids(hits)[0]).toBe('05-fine-tuning/training-and-evaluation');
  });

  it('restricts to one chapter when asked', async () => {
    const hits = await search.search('evaluation', { chapterId: '04-rag', limit: 20 });
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((h) => h.chapter_id))).toEqual(new Set(['04-rag']));
    expect(ids(hits)[0]).toBe('04-rag/evaluating-a-rag-system');
  });

  it('ignores case and accents, and matches words a query word begins (LLMs)', async () => {
    const plain = await search.search('cosine similarity dot product');
    const shouted = await search.search('COSÍNE SÍMILARITY DÓT PRODUCT');
    expect(ids(shouted)).toEqual(ids(plain));
    expect(ids(plain)[0]).toBe('03-embeddings/measuring-similarity');
    // "Strengths and failure modes" says "LLMs" and never "LLM": found through the prefix only.
    const exact = { prefix: false, order: 'bm25', normalization: 1 } as const;
    expect(ids(await search.search('llm', { chapterId: '01-intro', limit: 20 }))).toContain('01-intro/strengths-and-failure-modes');
    expect(ids(await search.search('llm', { chapterId: '01-intro', limit: 20, tuning: exact }))).not.toContain('01-intro/strengths-and-failure-modes');
  });

  it('treats query syntax and hostile text as words, never as tsquery or SQL', async () => {
    for (const q of ["' OR 1=1 --", 'a & b | !c <-> d:*', "\\'; DROP TABLE course_sections; --", 'token\u0000window', '((((', ':*']) {
      await expect(search.search(q)).resolves.toEqual(expect.any(Array));
    }
    expect(ids(await search.search('context & window | !token'))[0]).toBe('01-intro/tokens-context-windows-and-sampling');
    const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM course_sections');
    expect(n).toBe(44);
  });

  it('finds nothing for an empty question or one of stop words only', async () => {
    expect(await search.search('')).toEqual([]);
    expect(await search.search('what is it and how do I do it?')).toEqual([]);
  });

  it('keeps the limit between 1 and 20', async () => {
    expect(await search.search('model', { limit: 100 })).toHaveLength(20);
    expect(await search.search('model', { limit: 0 })).toHaveLength(1);
  });
});

describe('the relevance threshold', () => {
  it('rejects questions the course does not cover, even ones sharing a word with it', async () => {
    for (const q of ['What is a good recipe for banana bread?', 'At what temperature should I roast a chicken?', 'Who won the World Cup?']) {
      expect({ q, onCourse: CourseSearchService.onCourse(await search.search(q)) }).toEqual({ q, onCourse: false });
    }
  });

  it('accepts questions the course answers', async () => {
    for (const q of ['What is LoRA?', 'How do I defend against prompt injection?', 'Why should chunks overlap?']) {
      expect({ q, onCourse: CourseSearchService.onCourse(await search.search(q)) }).toEqual({ q, onCourse: true });
    }
  });
});

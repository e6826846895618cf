import { DataSource } from 'typeorm';
import { DEMO, startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let auth: string;
beforeAll(async () => {
  t = await startTestApp();
  auth = await t.login(DEMO.free.email, DEMO.free.password);
});
afterAll(() => t.close());

type Term = { term: string; definition: string; chapter_id: string };
const list = async (query?: string) => {
  const res = await t.http.get(`/api/v1/glossary${query === undefined ? '' : `?q=${encodeURIComponent(query)}`}`).set('authorization', auth).expect(200);
  return (res.body as { terms: Term[] }).terms;
};
const names = async (query?: string) => (await list(query)).map((x) => x.term);

describe('GET /api/v1/glossary', () => {
  it('without q lists all 46 key terms of the course, alphabetically, each with its chapter', async () => {
    const terms = await list();
    expect(terms).toHaveLength(46);
    expect(terms.slice(0, 4).map((x) => x.term)).toEqual(['adapter', 'agent', 'approximate nearest neighbour', 'baseline']);
    expect(terms.at(-1)!.term).toBe('zero-shot');
    expect(terms.find((x) => x.term === 'LoRA')).toEqual({
      term: 'LoRA',
      chapter_id: '05-fine-tuning',
      definition: expect.stringMatching(/^Low-rank adaptation: /),
    });
    for (const x of terms) expect(Object.keys(x).sort()).toEqual(['chapter_id', 'definition', 'term']);
  });

  it('an empty or blank q is the same as none', async () => {
    expect(await names('')).toHaveLength(46);
    expect(await names('   ')).toHaveLength(46);
  });

  it('matches the beginning of a term, then of a later word', async () => {
    expect(await names('emb')).toEqual(['embedding']);
    expect(await names('search')).toEqual(['hybrid search', 'semantic search']);
    expect(await names('se')).toEqual(['semantic search', 'evaluation set', 'hybrid search', 'validation set']);
    // few-shot and zero-shot by their aliases (few-shot prompting).
    expect(await names('prompt')).toEqual(['prompt caching', 'prompt injection', 'few-shot', 'system prompt', 'zero-shot']);
    expect(await names('nearest neigh')).toEqual(['approximate nearest neighbour']);
  });

  it('ignores case, accents and hyphens, and knows abbreviations', async () => {
    expect(await names('ÉMBED')).toEqual(['embedding']);
    expect(await names('Chain of Thought')).toEqual(['chain-of-thought']);
    expect(await names('RAG')).toEqual(['retrieval-augmented generation']);
    expect(await names('llm')).toEqual(['large language model', 'gateway']);
    expect(await names('recall@')).toEqual(['recall@k']);
  });

  it('answers an empty list when nothing matches', async () => {
    expect(await list('blockchain')).toEqual([]);
    expect(await list('arch')).toEqual([]);
  });

  it('refuses a q longer than 64 characters or with characters no term has', async () => {
    for (const q of ['x'.repeat(65), 'token?', 'a.b', 'token; DROP TABLE glossary_terms', '<script>']) {
      const res = await t.http.get(`/api/v1/glossary?q=${encodeURIComponent(q)}`).set('authorization', auth).expect(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'q', issue: expect.any(String) }] });
    }
    await t.http.get(`/api/v1/glossary?q=${'x'.repeat(64)}`).set('authorization', auth).expect(200);
  });

  it('needs a signed-in student', async () => {
    const res = await t.http.get('/api/v1/glossary').expect(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('GET /api/v1/glossary/:term', () => {
  it('answers the term with its definition, chapter and related terms', async () => {
    const res = await t.http.get('/api/v1/glossary/context%20window').set('authorization', auth).expect(200);
    expect(res.body).toEqual({
      term: 'context window',
      chapter_id: '01-intro',
      definition:
        'The maximum number of tokens a model can take into account in one request, counting both the input and the output it generates. Anything outside it is invisible to the model.',
      related: ['token', 'chunking', 'retrieval-augmented generation'],
    });
  });

  it('finds a term however it is written, or by an abbreviation', async () => {
    for (const [asked, term] of [
      ['Large-Language-Model', 'large language model'],
      ['lora', 'LoRA'],
      ['RAG', 'retrieval-augmented generation'],
      ['approximate%20nearest%20neighbor', 'approximate nearest neighbour'],
      ['recall%40k', 'recall@k'],
      ['C%C3%B3sine%20Similarity', 'cosine similarity'],
    ] as const) {
      const res = await t.http.get(`/api/v1/glossary/${asked}`).set('authorization', auth);
      expect({ asked, status: res.status, term: res.body.term }).toEqual({ asked, status: 200, term });
    }
  });

  it('every related term can be looked up in turn', async () => {
    const terms = await names();
    for (const term of terms) {
      const res = await t.http.get(`/api/v1/glossary/${encodeURIComponent(term)}`).set('authorization', auth).expect(200);
      expect(res.body.related.length).toBeGreaterThan(0);
      for (const related of res.body.related as string[]) expect(terms).toContain(related);
    }
  });

  it('is 404 NOT_FOUND for a term the course does not define, and for a mere prefix', async () => {
    for (const asked of ['blockchain', 'embed', 'search']) {
      const res = await t.http.get(`/api/v1/glossary/${asked}`).set('authorization', auth).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('is 400 VALIDATION_ERROR for a term longer than 64 characters or with other characters', async () => {
    for (const asked of ['x'.repeat(65), 'token%3F', '..%2F..%2Fetc']) {
      const res = await t.http.get(`/api/v1/glossary/${asked}`).set('authorization', auth).expect(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'term', issue: expect.any(String) }] });
    }
  });
});

describe('served from memory', () => {
  it('keeps answering the glossary without reading the database again', async () => {
    await names('token');
    const db = t.app.get(DataSource);
    const seen: string[] = [];
    const query = db.query.bind(db);
    db.query = ((sql: string, ...rest: unknown[]) => {
      seen.push(sql);
      return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as typeof db.query;
    try {
      await names('emb');
      await t.http.get('/api/v1/glossary/LoRA').set('authorization', auth).expect(200);
    } finally {
      db.query = query;
    }
    expect(seen.filter((sql) => sql.includes('glossary_terms'))).toEqual([]);
  });
});

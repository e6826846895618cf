import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { chapterContentHash, splitSections, termsIn, type ChapterToIndex } from './course-sections.js';
import { foldText } from './course-text.js';

/** How candidates are ordered; the course search uses DEFAULT_TUNING, bench:retrieval compares the others. */
export type SearchTuning = {
  /** Each query word also matches words it begins (`llm` finds `llms`). */
  prefix: boolean;
  /**
   * `all-first`: sections holding every query word first (AND), then the rest (OR fallback);
   * `coverage`: by the share of query words a section holds; `idf-coverage`: the same share with
   * each word weighted by its rarity in the course (inverse document frequency, as BM25 does),
   * so "json" counts for more than "make"; `bm25`: by BM25F (below); `rank-cd`: by ts_rank_cd alone.
   * Ties go by ts_rank_cd.
   */
  order: 'all-first' | 'coverage' | 'idf-coverage' | 'bm25' | 'rank-cd';
  /** ts_rank_cd's normalization bit mask (1: divide by 1 + log of the section's length), for ties and `rank-cd`. */
  normalization: number;
};

export const DEFAULT_TUNING: SearchTuning = { prefix: true, order: 'bm25', normalization: 1 };

export type SectionRow = {
  chapter_id: string;
  section_id: string;
  heading: string;
  body: string;
  excerpt: string;
  /**
   * BM25F over the section's vector: each query word's inverse document frequency times its
   * saturated, length-normalised count, occurrences weighing 3 in the heading, 2 as a key term,
   * 0.5 in the chapter title and 1 in the body (k1 1.2, b 0.75). Higher is better; the scale is
   * the course's (see RELEVANCE).
   */
  rank: number;
  /**
   * Share of the query's distinct words (lexemes) the section holds, 0 to 1, each weighted by its
   * inverse document frequency over the course; a word the course never uses weighs the most.
   */
  coverage: number;
};

const ORDER: Record<SearchTuning['order'], string> = {
  'all-first': 'all_terms DESC, rank_cd DESC',
  coverage: 'plain_coverage DESC, rank_cd DESC',
  'idf-coverage': 'coverage DESC, rank_cd DESC',
  bm25: 'rank DESC, rank_cd DESC',
  'rank-cd': 'rank_cd DESC',
};

/** Longest question text considered; the rest cannot change which sections match much. */
const MAX_QUERY_CHARS = 2_000;

/** The course_sections table: the chapters split by heading, with their search vectors. */
@Injectable()
export class SectionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Rewrites a chapter's sections when its content changed since they were built (idempotent:
   * the same content writes nothing). Text is folded before PostgreSQL sees it, the same way
   * queries are, so matching ignores accents without the unaccent extension.
   */
  async indexChapter(chapter: ChapterToIndex, tx: EntityManager = this.db.manager): Promise<{ reindexed: boolean; sections: number }> {
    const sections = splitSections(chapter.content_markdown, chapter.title);
    const hash = chapterContentHash(chapter);
    const [current] = await tx.query<{ n: number; same: boolean }[]>(
      `SELECT count(*)::int AS n, coalesce(bool_and(content_hash = $2), false) AS same FROM course_sections WHERE chapter_id = $1`,
      [chapter.chapter_id, hash],
    );
    if (current && current.same && current.n === sections.length) return { reindexed: false, sections: sections.length };

    await tx.query(`DELETE FROM course_sections WHERE chapter_id = $1`, [chapter.chapter_id]);
    for (const s of sections) {
      const terms = termsIn(`${s.heading}\n${s.body}`, chapter.key_terms);
      await tx.query(
        `INSERT INTO course_sections (chapter_id, section_id, position, heading, body, key_terms, content_hash, search_vector)
         VALUES ($1, $2, $3, $4, $5, $6, $7,
           setweight(to_tsvector('english', $8), 'A') || setweight(to_tsvector('english', $9), 'B') ||
           setweight(to_tsvector('english', $10), 'C') || setweight(to_tsvector('english', $11), 'D'))`,
        [chapter.chapter_id, s.section_id, s.position, s.heading, s.body, JSON.stringify(terms), hash,
          foldText(s.heading), foldText(terms.join('. ')), foldText(chapter.title), foldText(s.body)],
      );
    }
    return { reindexed: true, sections: sections.length };
  }

  /**
   * Sections holding at least one of the query's words, best first. The query is folded as the
   * sections were, split into lexemes by PostgreSQL's english configuration (stop words dropped,
   * words stemmed), and each lexeme becomes one quoted tsquery term, so no input is query syntax.
   */
  async search(query: string, o: { chapterId?: string | undefined; limit: number; tuning?: SearchTuning }): Promise<SectionRow[]> {
    const tuning = o.tuning ?? DEFAULT_TUNING;
    const order = `${ORDER[tuning.order]}, chapter_id, position`;
    const rows: SectionRow[] = await this.db.query(
      `WITH words AS (
         SELECT DISTINCT lexeme, ('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''' || $4)::tsquery AS term
           FROM unnest(to_tsvector('english', $1))
       ),
       total AS (SELECT count(*)::float8 AS n, avg(length(search_vector))::float8 AS avglen FROM course_sections),
       lex AS (
         SELECT w.lexeme, w.term, ln(1 + (t.n - d.df + 0.5) / (d.df + 0.5)) AS idf
           FROM words w CROSS JOIN total t
           CROSS JOIN LATERAL (SELECT count(*)::float8 AS df FROM course_sections c WHERE c.search_vector @@ w.term) d
       ),
       q AS (
         SELECT (SELECT string_agg(term::text, ' & ') FROM lex)::tsquery AS q_all,
                (SELECT string_agg(term::text, ' | ') FROM lex)::tsquery AS q_any,
                (SELECT count(*) FROM lex)::float8 AS n,
                (SELECT sum(idf) FROM lex) AS idf
       ),
       candidates AS (
         SELECT s.chapter_id, s.section_id, s.position, s.heading, s.body, s.search_vector,
                length(s.search_vector)::float8 / (SELECT avglen FROM total) AS relative_length
           FROM course_sections s CROSS JOIN q
          WHERE s.search_vector @@ q.q_any AND ($2::varchar IS NULL OR s.chapter_id = $2)
       ),
       counts AS (
         SELECT c.chapter_id, c.section_id, l.lexeme, l.idf, c.relative_length,
                sum(CASE w WHEN 'A' THEN 3 WHEN 'B' THEN 2 WHEN 'C' THEN 0.5 ELSE 1 END)::float8 AS tf
           FROM candidates c
           CROSS JOIN LATERAL unnest(c.search_vector) u
           CROSS JOIN LATERAL unnest(u.weights) w
           JOIN lex l ON CASE WHEN $4 = '' THEN u.lexeme = l.lexeme ELSE starts_with(u.lexeme, l.lexeme) END
          GROUP BY c.chapter_id, c.section_id, l.lexeme, l.idf, c.relative_length
       ),
       scores AS (
         SELECT chapter_id, section_id,
                sum(idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * relative_length))) AS rank,
                sum(idf) / (SELECT idf FROM q) AS coverage,
                count(*) / (SELECT n FROM q) AS plain_coverage,
                count(*) = (SELECT n FROM q) AS all_terms
           FROM counts GROUP BY chapter_id, section_id
       ),
       hits AS (
         SELECT c.chapter_id, c.section_id, c.position, c.heading, c.body, s.rank, s.coverage, s.plain_coverage, s.all_terms,
                ts_rank_cd(c.search_vector, q.q_any, $5)::float8 AS rank_cd, q.q_any
           FROM candidates c JOIN scores s USING (chapter_id, section_id) CROSS JOIN q
          ORDER BY ${order}
          LIMIT $3
       )
       SELECT chapter_id, section_id, heading, body, rank, coverage,
              ts_headline('english', body, q_any,
                'MaxFragments=2, MinWords=12, MaxWords=30, StartSel="", StopSel="", FragmentDelimiter=" … "') AS excerpt
         FROM hits ORDER BY ${order}`,
      [foldText(query.slice(0, MAX_QUERY_CHARS)).replaceAll('\0', ' '), o.chapterId ?? null, o.limit, tuning.prefix ? ':*' : '', tuning.normalization],
    );
    return rows.map((r) => ({ ...r, excerpt: plainExcerpt(r.excerpt) }));
  }

  /** Every section of a chapter, in reading order. */
  chapterSections(chapterId: string): Promise<{ section_id: string; heading: string; body: string; key_terms: string[] }[]> {
    return this.db.query(
      `SELECT section_id, heading, body, key_terms FROM course_sections WHERE chapter_id = $1 ORDER BY position`,
      [chapterId],
    );
  }

  /** The content hash each chapter's sections were built from (a chapter's content version). */
  async contentVersions(): Promise<Map<string, string>> {
    const rows: { chapter_id: string; content_hash: string }[] = await this.db.query(
      `SELECT DISTINCT chapter_id, content_hash FROM course_sections ORDER BY chapter_id`,
    );
    return new Map(rows.map((r) => [r.chapter_id, r.content_hash]));
  }
}

/** Markdown emphasis, code ticks and list markers removed; whitespace collapsed. */
function plainExcerpt(text: string): string {
  return text
    .replace(/```\w*/g, ' ')
    .replace(/[*_`]+/g, '')
    .replace(/^\s*(?:[-+]|\d+\.)\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

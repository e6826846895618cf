import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { foldText } from './course-text.js';

/** How candidates are ordered; the course search uses DEFAULT_TUNING, bench:retrieval compares the others. */
export type SearchTuning = {
  /** Each query word also matches words it begins (`llm` finds `llms`). */
  prefix: boolean;
  /**
   * `all-first`: sections holding every query word first (AND), then the rest (OR fallback);
   * `coverage`: by the share of query words a section holds; `rank`: by ts_rank_cd alone.
   */
  order: 'all-first' | 'coverage' | 'rank';
  /** ts_rank_cd's normalization bit mask (1: divide by 1 + log of the section's length). */
  normalization: number;
};

export const DEFAULT_TUNING: SearchTuning = { prefix: true, order: 'coverage', normalization: 1 };

export type SectionRow = {
  chapter_id: string;
  section_id: string;
  heading: string;
  body: string;
  excerpt: string;
  /** ts_rank_cd of the section for any query word, weighted heading A, key terms B, chapter title C, body D. */
  rank: number;
  /** Share of the query's distinct words (lexemes) the section holds, 0 to 1. */
  coverage: number;
};

const ORDER: Record<SearchTuning['order'], string> = {
  'all-first': 'all_terms DESC, rank DESC',
  coverage: 'coverage DESC, rank DESC',
  rank: 'rank DESC',
};

/** Longest question text considered; the rest cannot change which sections match much. */
const MAX_QUERY_CHARS = 2_000;

/** Reads course_sections (written by the seeder through indexChapterSections). */
@Injectable()
export class SectionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Sections holding at least one of the query's words, best first. The query is folded as the
   * sections were, split into lexemes by PostgreSQL's english configuration (stop words dropped,
   * words stemmed), and each lexeme becomes one quoted tsquery term, so no input is query syntax.
   */
  async search(query: string, o: { chapterId?: string | undefined; limit: number; tuning?: SearchTuning }): Promise<SectionRow[]> {
    const tuning = o.tuning ?? DEFAULT_TUNING;
    const order = `${ORDER[tuning.order]}, chapter_id, position`;
    const rows: (Omit<SectionRow, 'rank' | 'coverage'> & { rank: number; coverage: number })[] = await this.db.query(
      `WITH lex AS (
         SELECT DISTINCT '''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''' || $4 AS term
           FROM unnest(to_tsvector('english', $1))
       ),
       q AS (
         SELECT (SELECT string_agg(term, ' & ') FROM lex)::tsquery AS q_all,
                (SELECT string_agg(term, ' | ') FROM lex)::tsquery AS q_any,
                (SELECT count(*) FROM lex)::float8 AS n
       ),
       hits AS (
         SELECT s.chapter_id, s.section_id, s.position, s.heading, s.body, q.q_any,
                ts_rank_cd(s.search_vector, q.q_any, $5)::float8 AS rank,
                s.search_vector @@ q.q_all AS all_terms,
                (SELECT count(*) FROM lex WHERE s.search_vector @@ lex.term::tsquery) / q.n AS coverage
           FROM course_sections s CROSS JOIN q
          WHERE s.search_vector @@ q.q_any AND ($2::varchar IS NULL OR s.chapter_id = $2)
          ORDER BY ${order}
          LIMIT $3
       )
       SELECT chapter_id, section_id, heading, body, rank, coverage,
              ts_headline('english', body, q_any,
                'MaxFragments=2, MinWords=12, MaxWords=30, StartSel="", StopSel="", FragmentDelimiter=" … "') AS excerpt
         FROM hits ORDER BY ${order}`,
      [foldText(query.slice(0, MAX_QUERY_CHARS)), o.chapterId ?? null, o.limit, tuning.prefix ? ':*' : '', tuning.normalization],
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

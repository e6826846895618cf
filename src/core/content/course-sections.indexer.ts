import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { splitSections } from './course-sections.js';
import { foldText } from './course-text.js';

/** Raised whenever splitting or weighting changes, so every chapter is indexed again. */
const INDEX_VERSION = 1;

export type ChapterToIndex = { chapter_id: string; title: string; content_markdown: string; key_terms: string[] };

/** What a chapter's sections are built from: same text, same hash, nothing rewritten. */
export function chapterContentHash(chapter: ChapterToIndex): string {
  const input = JSON.stringify([INDEX_VERSION, chapter.title, chapter.content_markdown, chapter.key_terms]);
  return createHash('sha256').update(input).digest('hex');
}

/** The chapter's key terms that a section mentions (as a word or phrase, any case or accent). */
export function termsIn(text: string, keyTerms: string[]): string[] {
  const folded = foldText(text);
  return keyTerms.filter((term) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(foldText(term))}`, 'u').test(folded));
}

/**
 * Rewrites a chapter's rows of course_sections when its content changed since they were built
 * (idempotent: the same content writes nothing). Text is folded before PostgreSQL sees it, the
 * same way queries are, so matching ignores accents without the unaccent extension.
 */
export async function indexChapterSections(tx: EntityManager, chapter: ChapterToIndex): Promise<{ reindexed: boolean; sections: number }> {
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

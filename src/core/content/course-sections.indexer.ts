import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { splitSections } from './course-sections.js';
import { foldText } from './course-text.js';
import type { SectionsRepository } from './sections.repository.js';

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
 * (idempotent: the same content writes nothing).
 */
export async function indexChapterSections(
  store: SectionsRepository,
  chapter: ChapterToIndex,
  tx: EntityManager,
): Promise<{ reindexed: boolean; sections: number }> {
  const sections = splitSections(chapter.content_markdown, chapter.title);
  const hash = chapterContentHash(chapter);
  const current = await store.indexState(chapter.chapter_id, hash, tx);
  if (current.same && current.n === sections.length) return { reindexed: false, sections: sections.length };

  const rows = sections.map((s) => {
    const terms = termsIn(`${s.heading}\n${s.body}`, chapter.key_terms);
    return {
      section_id: s.section_id,
      position: s.position,
      heading: s.heading,
      body: s.body,
      key_terms: terms,
      folded: { heading: foldText(s.heading), terms: foldText(terms.join('. ')), title: foldText(chapter.title), body: foldText(s.body) },
    };
  });
  await store.replaceChapter(chapter.chapter_id, hash, rows, tx);
  return { reindexed: true, sections: sections.length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

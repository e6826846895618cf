import { createHash } from 'node:crypto';
import { foldText, slugify } from './course-text.js';

export type CourseSectionText = {
  /** The heading's slug, unique within the chapter. */
  section_id: string;
  heading: string;
  /** The section's Markdown without its heading line. */
  body: string;
  /** 1-based, in reading order. */
  position: number;
};

/** The id of the text before a chapter's first heading, whose heading is the chapter's title. */
export const INTRODUCTION_ID = 'introduction';

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/;

/**
 * Splits a chapter's Markdown at its ATX headings (`## Chunking`), ignoring `#` lines inside fenced
 * code. Duplicate slugs get `-2`, `-3` as Markdown anchors do, so ids stay stable and unique.
 */
export function splitSections(markdown: string, chapterTitle: string): CourseSectionText[] {
  const parts: { heading: string; slug: string; lines: string[] }[] = [{ heading: chapterTitle, slug: INTRODUCTION_ID, lines: [] }];
  let fence: string | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const opener = FENCE.exec(line)?.[1];
    if (opener && (fence === null || (opener[0] === fence[0] && opener.length >= fence.length))) {
      fence = fence === null ? opener : null;
    }
    const heading = fence === null ? HEADING.exec(line)?.[1] : undefined;
    if (heading !== undefined) {
      // course_sections.heading is varchar(200), like a chapter title.
      const text = heading.replace(/[*_`]/g, '').slice(0, 200);
      parts.push({ heading: text, slug: slugify(text) || 'section', lines: [] });
    } else {
      parts.at(-1)!.lines.push(line);
    }
  }

  const used = new Map<string, number>();
  const sections: CourseSectionText[] = [];
  for (const part of parts) {
    const body = part.lines.join('\n').trim();
    if (part.slug === INTRODUCTION_ID && part === parts[0] && body === '') continue;
    const seen = used.get(part.slug) ?? 0;
    used.set(part.slug, seen + 1);
    const section_id = seen === 0 ? part.slug : `${part.slug}-${seen + 1}`;
    sections.push({ section_id, heading: part.heading, body, position: sections.length + 1 });
  }
  return sections;
}

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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

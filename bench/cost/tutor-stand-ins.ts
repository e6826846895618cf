/**
 * Stand-ins for what the tutor needs from PostgreSQL: the course search (full-text search in
 * production; here the seeded sections ranked by word overlap with the question) and the
 * conversations repository. The search keeps the app's contract (SectionHit, `relevant` at 40 % of
 * the question's content words), so off-course questions reach no model, as in the app.
 */
import type { ChaptersService, CourseSearchService, SectionHit } from '../../src/core/index.js';
import { chapterContentHash, splitSections, termsIn } from '../../src/core/content/course-sections.js';
import { foldText } from '../../src/core/content/course-text.js';
import type { TutorAnswer, Turn } from '../../src/premium/tutor/tutor-answer.js';
import type { TutorConversationsRepository } from '../../src/premium/tutor/tutor-conversations.repository.js';

export type CourseChapter = { chapter_id: string; title: string; order: number; content_markdown: string; key_terms: string[] };

/**
 * Relevant: the section holds 40 % of the question's content words (RELEVANCE.minCoverage), or at
 * least three of them at a quarter, standing in for the app's second criterion (a high BM25F rank,
 * which a long question with many matching words reaches, e.g. one that opens with the student's context).
 */
const MIN_COVERAGE = 0.4;
const MIN_MATCHED = 3;
const MIN_COVERAGE_MATCHED = 0.25;
const EXCERPT_CHARS = 240;

const STOP_WORDS = new Set(
  ('a an and are as at be but by can could do does did for from how i if in into is it its me my of on or so that the their ' +
    'them then there these they this to was we what when where which who why will with would you your about should use using ' +
    'get make one some any more most than just also not no yes our us up down out over very own same now all each both few such only ' +
    'too don doesn isn aren im ive thing things really actually still someone anyone something able ever much many other').split(' '),
);

/** Folded, stop words dropped, a crude stem (plural and -ing/-ed endings) so "chunks" meets "chunking". */
export function contentWords(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map((w) => w.replace(/(ing|ed|es|s)$/, '') || w);
}

type IndexedSection = { chapter_id: string; section_id: string; heading: string; body: string; key_terms: string[]; words: Set<string>; excerpt: string };

/** Course search over the seeded chapters: sections by the share of the question's content words they hold; a chapter's sections in reading order. */
export function courseSearch(course: readonly CourseChapter[]): CourseSearchService {
  const sections: IndexedSection[] = course.flatMap((c) =>
    splitSections(c.content_markdown, c.title).map((s) => ({
      chapter_id: c.chapter_id,
      section_id: s.section_id,
      heading: s.heading,
      body: s.body,
      key_terms: termsIn(`${s.heading}\n${s.body}`, c.key_terms),
      words: new Set(contentWords(`${s.heading}\n${s.heading}\n${c.title}\n${s.body}`)),
      excerpt: s.body.replace(/[#*_`>|]/g, '').replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS),
    })),
  );
  const versions = new Map(course.map((c) => [c.chapter_id, chapterContentHash(c)]));
  return {
    async search(query: string, o: { chapterId?: string; limit?: number } = {}): Promise<SectionHit[]> {
      const asked = [...new Set(contentWords(query))];
      if (asked.length === 0) return [];
      const scored = sections
        .filter((s) => !o.chapterId || s.chapter_id === o.chapterId)
        .map((s) => {
          const matched = asked.filter((w) => s.words.has(w)).length;
          return { s, matched, coverage: matched / asked.length };
        })
        .filter((x) => x.coverage > 0)
        .sort((a, b) => b.coverage - a.coverage || a.s.chapter_id.localeCompare(b.s.chapter_id) || a.s.section_id.localeCompare(b.s.section_id))
        .slice(0, o.limit ?? 5);
      return scored.map(({ s, matched, coverage }) => ({
        chapter_id: s.chapter_id,
        section_id: s.section_id,
        heading: s.heading,
        excerpt: s.excerpt,
        body: s.body,
        rank: 10 * coverage,
        coverage,
        relevant: coverage >= MIN_COVERAGE || (matched >= MIN_MATCHED && coverage >= MIN_COVERAGE_MATCHED),
      }));
    },
    async contentVersions() {
      return versions;
    },
    async chapterSections(chapterId: string) {
      return sections.filter((s) => s.chapter_id === chapterId).map(({ section_id, heading, body, key_terms }) => ({ section_id, heading, body, key_terms }));
    },
  } as unknown as CourseSearchService;
}

/** Core's chapters as the tutor reads them: the list (for the off-course pointer) and one chapter. */
export function tutorChapters(course: readonly CourseChapter[]): ChaptersService {
  const list = [...course].sort((a, b) => a.order - b.order).map((c) => ({ chapter_id: c.chapter_id, title: c.title, order: c.order }));
  return {
    list: async () => list,
    get: async (chapterId: string) => {
      const c = course.find((x) => x.chapter_id === chapterId);
      if (!c) throw new Error(`No chapter ${chapterId}`);
      return c;
    },
  } as unknown as ChaptersService;
}

/** Conversations kept in memory, owned by their student; a turn's settlement (the quota unit) runs at once. */
export function tutorConversations(): TutorConversationsRepository {
  const conversations = new Map<string, { studentId: string; turns: Turn[] }>();
  return {
    async lastTurns(conversationId: string, studentId: string, limit: number): Promise<Turn[] | undefined> {
      const c = conversations.get(conversationId);
      if (!c || c.studentId !== studentId) return undefined;
      return c.turns.slice(-limit);
    },
    async saveTurn<T>(studentId: string, question: string, answer: TutorAnswer, settle: (tx: unknown) => Promise<T>): Promise<T> {
      const c = conversations.get(answer.conversation_id) ?? { studentId, turns: [] };
      if (c.studentId !== studentId) throw new Error('Conversation of another student');
      c.turns.push({ question, answer_markdown: answer.answer_markdown });
      conversations.set(answer.conversation_id, c);
      return settle({ query: async () => [] });
    },
  } as unknown as TutorConversationsRepository;
}

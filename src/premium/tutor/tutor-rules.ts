import type { SectionHit } from '../../core/index.js';
import type { TutorReply } from './tutor.prompt.js';
import { passageId } from './tutor-answer.js';

export type ChapterTitles = ReadonlyMap<string, string>;

/** The passages the rules quote: the best one, and up to two more that also clear the threshold. */
const QUOTED = 3;

/**
 * The deterministic answer: it quotes the best passages with their citations. It is what the
 * `rules` variant and a key-less install serve, and the fallback when the model fails.
 */
export function rulesReply(relevant: readonly SectionHit[], titles: ChapterTitles): TutorReply {
  const quoted = relevant.slice(0, QUOTED);
  const [best, ...more] = quoted;
  if (!best) throw new Error('rulesReply needs at least one relevant passage');
  const lines = [`The course covers this in ${where(best, titles)}:`, '', quote(best.excerpt)];
  if (more.length) {
    lines.push('', 'It also comes up in:');
    for (const hit of more) lines.push(`- ${where(hit, titles)}: ${hit.excerpt}`);
  }
  return { answer_markdown: lines.join('\n'), citations: quoted.map(passageId) };
}

/** A pointer to the chapter list, for a question the course does not cover (no model, no unit). */
export function offCourseAnswer(chapters: readonly { chapter_id: string; title: string }[]): string {
  return [
    'The course does not cover this question, so the tutor cannot answer it from the course material.',
    '',
    'The chapters are:',
    ...chapters.map((c) => `- ${c.title} (\`${c.chapter_id}\`)`),
    '',
    'Ask about one of them, or read them with `GET /api/v1/chapters`.',
  ].join('\n');
}

function where(hit: SectionHit, titles: ChapterTitles): string {
  return `**${titles.get(hit.chapter_id) ?? hit.chapter_id} › ${hit.heading}**`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

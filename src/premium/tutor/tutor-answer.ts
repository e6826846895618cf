import type { SectionHit } from '../../core/index.js';

/** A citation: a passage the answer was built from. */
export type Citation = { chapter_id: string; section: string; excerpt: string };

/** The tutor's answer, as API.md describes it. */
export type TutorAnswer = {
  answer_id: string;
  conversation_id: string;
  answer_markdown: string;
  citations: Citation[];
  off_course: boolean;
  decision_source: 'llm' | 'rules' | 'cache';
  generated_at: string;
};

/** A retrieved passage as the model sees it: its id is what a citation must name. */
export type Passage = { id: string; hit: SectionHit };

/** `chapter#section`: unique across the course, and what the citation enum lists. */
export function passageId(hit: Pick<SectionHit, 'chapter_id' | 'section_id'>): string {
  return `${hit.chapter_id}#${hit.section_id}`;
}

export function citationOf(hit: SectionHit): Citation {
  return { chapter_id: hit.chapter_id, section: hit.section_id, excerpt: hit.excerpt };
}

/** One earlier exchange of a conversation, oldest first when a prompt is built. */
export type Turn = { question: string; answer_markdown: string };

/** What a streaming client is sent while the answer is made (the `done` event carries the answer). */
export interface AnswerSink {
  /** Answer text as it arrives, in order. */
  delta(text: string): void;
  citation(citation: Citation): void;
}

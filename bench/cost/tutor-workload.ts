/**
 * The realistic month's tutor questions (issue 15: 20 per premium student), placed in the
 * students' own study sessions (a few minutes after one of their quiz attempts or answers) and
 * drawn from a pool: bench/retrieval/questions.json's questions in several surface forms, with a
 * popularity skew per chapter, follow-ups inside a conversation and a share of off-course
 * questions. Separate random streams from workload.ts, so the month of paths and gradings is the
 * same with or without the tutor.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { between, pick, rngFor, uniform, weighted, type Rng } from './random.js';
import { chapterOf, MINUTE, type SimEvent } from './workload.js';

export const TUTOR_QUESTIONS_PER_STUDENT = 20;

/** How a question relates to the pool (for the printed figures): opener from the pool, follow-up, off course. */
export type TutorKind = 'popular' | 'reworded' | 'personal' | 'follow_up' | 'off_course';
export type TutorEvent = {
  kind: 'tutor';
  at: number;
  seq: number;
  student: number;
  question: string;
  questionKind: TutorKind;
  /** The student's conversation number: an opener starts it, a follow-up continues it. */
  conversation: number;
  followUp: boolean;
  /** Asked from a chapter page: the search (and the shared cache key) is limited to that chapter. */
  chapterId?: string;
  /** The chapter the question is about (the simulated answer's wording comes from it). */
  topicChapter: string;
};

type PoolQuestion = { question: string; relevant?: string[] };
type Pool = { byChapter: Map<string, string[]>; offCourse: string[] };

/**
 * Assumptions (no measured traffic yet): of the conversation openers, 8 % are off course; the rest
 * name a pool question, 45 % word for word, 10 % in another case or punctuation (the same
 * normalised key), 15 % reworded (a different key), 30 % with the student's own context (a one-off).
 * A quarter are asked from a chapter page. After an on-course answer, 35 % of students ask a
 * follow-up, and 30 % of those a second one. Popularity within a chapter is Zipf-like (1/rank).
 */
const OFF_COURSE = 0.08;
const FORMS: readonly (readonly [Exclude<TutorKind, 'follow_up' | 'off_course'> | 'recased', number])[] = [
  ['popular', 45],
  ['recased', 10],
  ['reworded', 15],
  ['personal', 30],
];
const FROM_CHAPTER_PAGE = 0.25;
const FOLLOW_UP = 0.35;
const SECOND_FOLLOW_UP = 0.3;

const REWORDINGS = [
  (q: string) => `Can someone explain this: ${q}`,
  (q: string) => `Quick question about the course. ${q}`,
  (q: string) => `I'm still confused. ${q}`,
  (q: string) => `${q.replace(/\?$/, '')}? I read the chapter twice.`,
];
const CONTEXTS = [
  "I'm building a support chatbot for my team at work.",
  'For my final project I am making a study assistant for history students.',
  'Our startup wants to answer questions about our product manuals.',
  'I tried this on my laptop last night and got confusing results.',
  'My manager asked me to estimate the cost of a prototype.',
  'I am a backend developer new to machine learning.',
  'We have about ten thousand internal documents in a wiki.',
  'I am preparing for the assessment on Friday.',
  'My prototype works in English but our users write in Spanish.',
  'I keep mixing up the terms from the last two chapters.',
  'Our legal team is worried about wrong answers.',
  'I am teaching this to my colleagues next week.',
];
const FOLLOW_UPS = [
  'Can you give me a concrete example of that?',
  'Why does that matter in practice?',
  'Could you explain that more simply?',
  'How would I apply this in my own project?',
  'What is the most common mistake with this?',
  'And how does that affect the cost?',
  'Is there a case where this is a bad idea?',
];

export function loadPool(root: string): Pool {
  const file = JSON.parse(readFileSync(join(root, 'bench', 'retrieval', 'questions.json'), 'utf8')) as Record<string, PoolQuestion[]>;
  const onCourse = [...(file.questions ?? []), ...(file.heldout ?? [])];
  const offCourse = [...(file.off_course ?? []), ...(file.heldout_off_course ?? [])].map((q) => q.question);
  const byChapter = new Map<string, string[]>();
  for (const q of onCourse) {
    const chapter = q.relevant?.[0]?.split('/')[0];
    if (!chapter) continue;
    byChapter.set(chapter, [...(byChapter.get(chapter) ?? []), q.question]);
  }
  return { byChapter, offCourse };
}

/** The chapter's questions in a popularity order of their own (fixed for the month), drawn 1/rank. */
function popular(rng: Rng, ranked: readonly string[]): string {
  return weighted(
    rng,
    ranked.map((q, i) => [q, 1 / (i + 1)] as const),
  );
}

function opener(rng: Rng, pool: Pool, ranked: Map<string, string[]>, chapter: string): { question: string; kind: TutorKind } {
  if (rng() < OFF_COURSE) return { question: pick(rng, pool.offCourse), kind: 'off_course' };
  const base = popular(rng, ranked.get(chapter) ?? [...ranked.values()][0]!);
  const form = weighted(rng, FORMS);
  switch (form) {
    case 'popular':
      return { question: base, kind: 'popular' };
    case 'recased':
      return { question: base.toLowerCase().replace(/[?!.]+$/, ''), kind: 'popular' };
    case 'reworded':
      return { question: pick(rng, REWORDINGS)(base), kind: 'reworded' };
    case 'personal':
      return { question: `${pick(rng, CONTEXTS)} ${base}`, kind: 'personal' };
  }
}

/** The month's tutor questions for every student, anchored after their own quiz attempts and answers. */
export function tutorEvents(events: readonly SimEvent[], students: number, pool: Pool, seed: string, firstSeq: number): TutorEvent[] {
  const order = rngFor(seed, 'tutor-popularity');
  const ranked = new Map(
    [...pool.byChapter].map(([chapter, qs]) => [chapter, [...qs].map((q) => ({ q, k: order() })).sort((a, b) => a.k - b.k).map((x) => x.q)]),
  );
  const anchors = new Map<number, SimEvent[]>();
  for (const e of events) if (chapterOf(e)) anchors.set(e.student, [...(anchors.get(e.student) ?? []), e]);

  const out: TutorEvent[] = [];
  let seq = firstSeq;
  for (let student = 0; student < students; student++) {
    const rng = rngFor(seed, 'tutor', student);
    const mine = anchors.get(student) ?? [];
    if (mine.length === 0) continue;
    let asked = 0;
    let conversation = 0;
    while (asked < TUTOR_QUESTIONS_PER_STUDENT) {
      const anchor = pick(rng, mine);
      const topicChapter = chapterOf(anchor)!;
      const chapterId = rng() < FROM_CHAPTER_PAGE ? topicChapter : undefined;
      let at = anchor.at + uniform(rng, 1, 12) * MINUTE;
      const first = opener(rng, pool, ranked, topicChapter);
      conversation++;
      const base = { student, conversation, chapterId, topicChapter };
      out.push({ kind: 'tutor', at, seq: seq++, ...base, question: first.question, questionKind: first.kind, followUp: false });
      asked++;
      if (first.kind === 'off_course') continue;
      for (const p of [FOLLOW_UP, SECOND_FOLLOW_UP]) {
        if (asked >= TUTOR_QUESTIONS_PER_STUDENT || rng() >= p) break;
        at += between(rng, 1, 4) * MINUTE;
        out.push({ kind: 'tutor', at, seq: seq++, ...base, question: pick(rng, FOLLOW_UPS), questionKind: 'follow_up', followUp: true });
        asked++;
      }
    }
  }
  return out;
}

/**
 * Study requests in the realistic month (issue 15: 8 per premium student), run through the real
 * StudyToolsService (study-stand-ins.ts): which tool, on which chapter, with which count, and when.
 */
import type { StudyRequest, StudyToolsService } from '../../src/premium/study/study-tools.service.js';
import type { ServedMaterial } from '../../src/premium/study/study.js';
import { between, pick, rngFor, uniform, weighted } from './random.js';
import { chapterOf, MINUTE, type SimEvent } from './workload.js';

export const STUDY_REQUESTS_PER_STUDENT = 8;

export type StudyTool = 'summary' | 'flashcards' | 'practice';
export type StudyEvent = { kind: 'study'; at: number; seq: number; student: number; chapterId: string; tool: StudyTool; count: number };

/**
 * Assumptions: the tool mix (summary 40 %, flashcards 35 %, practice quiz 25 %); counts lean to the
 * defaults (flashcards 10 for 55 % of requests, practice 5 for 60 %), else a round number or any
 * count in range.
 */
const TOOLS: readonly (readonly [StudyTool, number])[] = [
  ['summary', 40],
  ['flashcards', 35],
  ['practice', 25],
];

function countFor(rng: () => number, tool: StudyTool): number {
  if (tool === 'summary') return 1;
  if (tool === 'flashcards') {
    const r = rng();
    return r < 0.55 ? 10 : r < 0.85 ? pick(rng, [5, 15, 20, 25, 30]) : between(rng, 5, 30);
  }
  return rng() < 0.6 ? 5 : between(rng, 3, 10);
}

/** Each student's study requests, a few minutes after one of their quiz attempts or answers, on that chapter. */
export function studyEvents(events: readonly SimEvent[], students: number, seed: string, firstSeq: number): StudyEvent[] {
  const anchors = new Map<number, { at: number; chapterId: string }[]>();
  for (const e of events) {
    const chapterId = chapterOf(e);
    if (chapterId) anchors.set(e.student, [...(anchors.get(e.student) ?? []), { at: e.at, chapterId }]);
  }
  const out: StudyEvent[] = [];
  let seq = firstSeq;
  for (let student = 0; student < students; student++) {
    const rng = rngFor(seed, 'study', student);
    const mine = anchors.get(student) ?? [];
    for (let i = 0; i < STUDY_REQUESTS_PER_STUDENT && mine.length > 0; i++) {
      const anchor = pick(rng, mine);
      const tool = weighted(rng, TOOLS);
      out.push({ kind: 'study', at: anchor.at + uniform(rng, 1, 20) * MINUTE, seq: seq++, student, chapterId: anchor.chapterId, tool, count: countFor(rng, tool) });
    }
  }
  return out;
}

/** One study request through the service's route for its tool (a summary has no count). */
export function serveStudy(service: StudyToolsService, e: StudyEvent, request: Omit<StudyRequest, 'chapterId' | 'count'>): Promise<ServedMaterial> {
  const r = { ...request, chapterId: e.chapterId, count: e.count };
  if (e.tool === 'summary') return service.summary(r);
  return e.tool === 'flashcards' ? service.flashcards(r) : service.practiceQuiz(r);
}

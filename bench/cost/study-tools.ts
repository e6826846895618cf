/**
 * Study tools in the realistic month (issue 15: 8 study requests per premium student): MODELLED,
 * not run through the service (src/premium/study/ is not on this branch yet). What is modelled is
 * the feature's sharing rule: each (chapter content version, tool, count) is generated once and
 * served to everyone after from the store, so the month costs (distinct combinations requested) x
 * (one generation), spread over the students. One generation's prompt is the whole chapter
 * Markdown plus a system prompt and schema the size of the tutor's (counted by the tokenizer);
 * its output is a size per tool plus thinking at the configured effort; priced by the app's cost
 * calculator for the registry's model at the request's date.
 */
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { computeCost } from '../../src/llm/pricing/cost-calculator.js';
import { TUTOR_SYSTEM_PROMPT, tutorSchema } from '../../src/premium/tutor/tutor.prompt.js';
import { between, logNormal, pick, rngFor, uniform, weighted } from './random.js';
import { THINKING, THINKING_SIGMA } from './settings.js';
import { countTokens } from './tokens.js';
import { chapterOf, MINUTE, type SimEvent } from './workload.js';

export const STUDY_REQUESTS_PER_STUDENT = 8;

export type StudyTool = 'summary' | 'flashcards' | 'practice';
export type StudyEvent = { kind: 'study'; at: number; seq: number; student: number; chapterId: string; tool: StudyTool; count: number };

/**
 * Assumptions: the tool mix (summary 40 %, flashcards 35 %, practice quiz 25 %); counts lean to the
 * defaults (flashcards 10 for 55 % of requests, practice 5 for 60 %), else a round number or any
 * count in range. Output sizes from the brief: summary ~400 tokens, ~35 per card, ~120 per question.
 */
const TOOLS: readonly (readonly [StudyTool, number])[] = [
  ['summary', 40],
  ['flashcards', 35],
  ['practice', 25],
];
const OUTPUT_TOKENS = { summary: () => 400, flashcards: (n: number) => 35 * n, practice: (n: number) => 120 * n } as const;

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

export type StudyCost = {
  model: string;
  effort: keyof typeof THINKING;
  shared: boolean;
  requests: number;
  generations: number;
  /** Requests served from the store: `requests - generations` when shared. */
  served: number;
  totalMicro: number;
  perStudentMicro: number[];
  tokens: { input: number; output: number; thinking: number };
  byTool: Record<StudyTool, { requests: number; generations: number; micro: number }>;
  promptTokens: { system: number; schema: number; chapterMin: number; chapterMax: number };
};

/**
 * The month's study cost for one configuration: `shared` generates each combination once (the
 * feature's rule), otherwise every request generates (the naive configuration: nothing reused).
 * Each generation is charged to every student evenly (`spread`), as the shared output serves them all.
 */
export function studyCost(
  requests: readonly StudyEvent[],
  chapters: readonly { chapter_id: string; content_markdown: string }[],
  o: { model: string; effort: keyof typeof THINKING; shared: boolean; students: number; seed: string },
): StudyCost {
  const system = countTokens(TUTOR_SYSTEM_PROMPT);
  const schema = countTokens(JSON.stringify(zodOutputFormat(tutorSchema(['a', 'b', 'c', 'd'])).schema));
  const chapterTokens = new Map(chapters.map((c) => [c.chapter_id, countTokens(c.content_markdown)]));
  const shape = THINKING[o.effort].study_tools;
  const seen = new Set<string>();
  const cost: StudyCost = {
    model: o.model,
    effort: o.effort,
    shared: o.shared,
    requests: requests.length,
    generations: 0,
    served: 0,
    totalMicro: 0,
    perStudentMicro: [],
    tokens: { input: 0, output: 0, thinking: 0 },
    byTool: { summary: { requests: 0, generations: 0, micro: 0 }, flashcards: { requests: 0, generations: 0, micro: 0 }, practice: { requests: 0, generations: 0, micro: 0 } },
    promptTokens: { system, schema, chapterMin: Math.min(...chapterTokens.values()), chapterMax: Math.max(...chapterTokens.values()) },
  };
  for (const r of [...requests].sort((a, b) => a.at - b.at || a.seq - b.seq)) {
    const key = `${r.chapterId}\u0000${r.tool}\u0000${r.count}`;
    const tool = cost.byTool[r.tool];
    tool.requests++;
    if (o.shared && seen.has(key)) {
      cost.served++;
      continue;
    }
    seen.add(key);
    const rng = rngFor(o.seed, 'study-think', o.shared ? key : r.seq);
    const thinking = rng() < shape.p ? Math.round(logNormal(rng, shape.median, THINKING_SIGMA)) : 0;
    const input = system + schema + (chapterTokens.get(r.chapterId) ?? 0);
    const output = OUTPUT_TOKENS[r.tool](r.count) + thinking;
    const micro = computeCost(o.model, { inputTokens: input, outputTokens: output, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 }, { at: new Date(r.at) }).microUsd;
    cost.generations++;
    cost.totalMicro += micro;
    cost.tokens.input += input;
    cost.tokens.output += output;
    cost.tokens.thinking += thinking;
    tool.generations++;
    tool.micro += micro;
  }
  // Whole micro-dollars per student that add up to the total exactly.
  const base = Math.floor(cost.totalMicro / o.students);
  const extra = cost.totalMicro - base * o.students;
  cost.perStudentMicro = Array.from({ length: o.students }, (_, i) => base + (i < extra ? 1 : 0));
  return cost;
}

/**
 * A calendar month of premium students, as timed events: quiz attempts, adaptive-path requests and
 * assessment submissions. Students sit in cohorts of 25 with a weekly deadline in their own time
 * zone; they study in sessions at the hours people study, as steady workers, crammers or bingers.
 * Each uses every premium feature up to the quota: `pathLimit` paths built and `assessmentLimit`
 * answers graded. A path request is expected to be served from the response cache when the last
 * built path is under 24 h old and no quiz was finished since (the app's own rule).
 */
import type { AssessmentQuestion } from '../../src/premium/assessments/assessment-questions.repository.js';
import { between, binomial, normal, rngFor, uniform, weighted, type Rng } from './random.js';
import type { StudentAnswer, TextBank } from './texts.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Persona = 'steady' | 'crammer' | 'binge';
export type Student = { index: number; id: string; cohort: number; persona: Persona; ability: number; tzHours: number };

type Base = { at: number; seq: number; student: number };
export type QuizEvent = Base & { kind: 'quiz'; chapterId: string; percentage: number; passed: boolean };
export type PathWhy = 'session_start' | 'after_quiz' | 'refresh' | 'session_end' | 'top_up';
export type PathEvent = Base & { kind: 'path'; expect: 'build' | 'hit'; why: PathWhy };
export type SubmitEvent = Base & { kind: 'submit'; question: AssessmentQuestion; answer: StudentAnswer; submissionId: string };
export type SimEvent = QuizEvent | PathEvent | SubmitEvent;

export type Chapter = { chapter_id: string; order: number };

export type WorkloadOptions = {
  students: number;
  monthStart: number;
  days: number;
  chapters: Chapter[];
  /** In course order. */
  questions: AssessmentQuestion[];
  bank: TextBank;
  maxAnswerChars: number;
  pathLimit: number;
  assessmentLimit: number;
  seed: string;
};

export type Workload = { students: Student[]; events: SimEvent[] };

const COHORT_SIZE = 25;
/** UTC offsets of the cohorts (assumption: a mostly European/American/Indian/East-Asian audience). */
const TIME_ZONES: readonly (readonly [number, number])[] = [
  [-8, 10],
  [-5, 25],
  [0, 15],
  [1, 20],
  [5.5, 18],
  [8, 12],
];
/** Relative chance of a study session starting at each local hour (evening peak, some lunchtime). */
const HOURLY: readonly number[] = [0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.2, 2, 2.5, 2.8, 3, 3.5, 3.5, 3, 3, 3.5, 4, 5, 6, 6.5, 6, 4.5, 2];
const PERSONAS: readonly (readonly [Persona, number])[] = [
  ['steady', 50],
  ['crammer', 35],
  ['binge', 15],
];

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function studentId(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

type Activity = { kind: 'quiz'; chapterId: string } | { kind: 'submit'; question: AssessmentQuestion };

export function buildWorkload(o: WorkloadOptions): Workload {
  const events: SimEvent[] = [];
  const students: Student[] = [];
  let seq = 0;
  const monthEnd = o.monthStart + o.days * DAY;
  const order = new Map(o.chapters.map((c) => [c.chapter_id, c.order]));

  // The month's submissions: every question once in course order, then resubmissions; four weeks.
  const weeks = 4;
  const perWeek = Math.ceil(o.assessmentLimit / weeks);

  for (let index = 0; index < o.students; index++) {
    const cohort = Math.floor(index / COHORT_SIZE);
    const cohortRng = rngFor(o.seed, 'cohort', cohort);
    const tzHours = weighted(cohortRng, TIME_ZONES);
    const deadlineShiftDays = between(cohortRng, 0, 2);
    const rng = rngFor(o.seed, 'student', index);
    const student: Student = {
      index,
      id: studentId(index),
      cohort,
      persona: weighted(rng, PERSONAS),
      ability: clamp(0.62 + 0.14 * normal(rng), 0.2, 0.97),
      tzHours,
    };
    students.push(student);

    const localMidnight = (day: number) => o.monthStart + day * DAY - tzHours * HOUR;
    const deadlines = Array.from({ length: weeks }, (_, w) => localMidnight(7 * (w + 1) - deadlineShiftDays) + 23 * HOUR + 59 * MINUTE);

    // Which answers this student submits: all questions in order, then resubmissions of earlier ones.
    const submissions: AssessmentQuestion[] = [];
    for (let i = 0; i < o.assessmentLimit; i++) {
      submissions.push(i < o.questions.length ? o.questions[i]! : o.questions[between(rng, 0, Math.min(i, o.questions.length) - 1)]!);
    }

    const state = { lastBuildAt: null as number | null, quizSinceBuild: false, builds: 0 };
    const attempts = new Map<string, number>();
    const best = new Map<string, number>();
    const passed = new Set<string>();

    const emitPath = (at: number, why: PathWhy): boolean => {
      const stale = state.lastBuildAt === null || state.quizSinceBuild || at - state.lastBuildAt >= DAY;
      if (stale) {
        // Out of quota: the request would be refused; a student who has used it all stops asking.
        if (state.builds >= o.pathLimit) return false;
        state.builds++;
        state.lastBuildAt = at;
        state.quizSinceBuild = false;
      }
      events.push({ kind: 'path', at, seq: seq++, student: index, expect: stale ? 'build' : 'hit', why });
      return stale;
    };
    const emitQuiz = (at: number, chapterId: string): boolean => {
      const n = (attempts.get(chapterId) ?? 0) + 1;
      attempts.set(chapterId, n);
      const p = clamp(student.ability + 0.12 * (n - 1) - 0.03 * ((order.get(chapterId) ?? 1) - 1) + 0.05 * normal(rng), 0.05, 0.97);
      const percentage = 20 * binomial(rng, 5, p);
      const ok = percentage >= 60;
      best.set(chapterId, Math.max(best.get(chapterId) ?? 0, percentage));
      if (ok) passed.add(chapterId);
      state.quizSinceBuild = true;
      events.push({ kind: 'quiz', at, seq: seq++, student: index, chapterId, percentage, passed: ok });
      return ok;
    };
    /** A request for the path right after a build: some students reload it or come back to it soon. */
    const afterBuild = (t: number): number => {
      if (rng() < 0.15) {
        for (let k = between(rng, 1, 2); k > 0; k--) {
          t += uniform(rng, 2, 15) * MINUTE;
          emitPath(t, 'refresh');
        }
      }
      return t;
    };

    /** Runs one study session from `start`; returns when it ended. */
    const session = (start: number, activities: Activity[]): number => {
      let t = start;
      if (rng() < 0.6 && emitPath(t, 'session_start')) t = afterBuild(t);
      for (const activity of activities) {
        if (activity.kind === 'quiz') {
          let tries = 0;
          for (;;) {
            t += uniform(rng, 6, 15) * MINUTE;
            const ok = emitQuiz(t, activity.chapterId);
            tries++;
            if (rng() < 0.85) {
              t += uniform(rng, 0.5, 3) * MINUTE;
              if (emitPath(t, 'after_quiz')) t = afterBuild(t);
            }
            const practise = ok && (best.get(activity.chapterId) ?? 0) < 80 && rng() < 0.25;
            const retry = !ok && tries < 3 && rng() < 0.6;
            if (!practise && !retry) break;
            t += uniform(rng, 5, 20) * MINUTE;
          }
        } else {
          t += uniform(rng, 8, 25) * MINUTE;
          const answer = o.bank.answer(rngFor(o.seed, 'answer', index, events.length), activity.question, o.maxAnswerChars);
          events.push({
            kind: 'submit',
            at: t,
            seq: seq++,
            student: index,
            question: activity.question,
            answer,
            submissionId: `sub-${index}-${events.length}`,
          });
        }
      }
      if (rng() < 0.35) emitPath(t + uniform(rng, 1, 10) * MINUTE, 'session_end');
      return t;
    };

    /** A session start at a study hour of `day` (local), as a UTC time. */
    const sessionAt = (day: number): number => {
      const hour = weighted(
        rng,
        HOURLY.map((w, h) => [h, w] as const),
      );
      return localMidnight(day) + hour * HOUR + between(rng, 0, 59) * MINUTE;
    };

    let free = o.monthStart;
    for (let w = 0; w < weeks; w++) {
      const weekStart = w === 0 ? o.monthStart : deadlines[w - 1]!;
      const deadline = deadlines[w]!;
      const mine = submissions.slice(w * perWeek, (w + 1) * perWeek);
      // Study each chapter of the week's questions (its quiz), then answer its questions.
      const activities: Activity[] = [];
      const seen = new Set<string>();
      for (const q of mine) {
        if (!seen.has(q.chapter_id) && !(passed.has(q.chapter_id) && rng() < 0.7)) {
          seen.add(q.chapter_id);
          activities.push({ kind: 'quiz', chapterId: q.chapter_id });
        }
        activities.push({ kind: 'submit', question: q });
      }
      const count = student.persona === 'steady' ? between(rng, 2, 3) : student.persona === 'crammer' ? between(rng, 1, 2) : 1;
      const firstDay = Math.floor((weekStart - o.monthStart) / DAY);
      const lastDay = Math.floor((deadline - o.monthStart) / DAY);
      const starts: number[] = [];
      for (let s = 0; s < count; s++) {
        const day = student.persona === 'crammer' ? between(rng, Math.max(firstDay, lastDay - 1), lastDay) : between(rng, firstDay, lastDay);
        let at = sessionAt(day);
        if (at >= deadline - 2 * HOUR) at = deadline - uniform(rng, 3, 8) * HOUR;
        if (at < weekStart) at = weekStart + uniform(rng, 0.5, 6) * HOUR;
        starts.push(at);
      }
      starts.sort((a, b) => a - b);
      for (let s = 0; s < count; s++) {
        const chunk = activities.slice(Math.round((s * activities.length) / count), Math.round(((s + 1) * activities.length) / count));
        free = session(Math.max(starts[s]!, free + 10 * MINUTE), chunk) + 10 * MINUTE;
      }
    }

    // Paths left in the quota: practice sessions in the last days, a quiz and a new path each time.
    while (state.builds < o.pathLimit) {
      const lastDay = o.days - 1;
      let t = Math.max(free, sessionAt(between(rng, Math.min(lastDay, Math.floor((free - o.monthStart) / DAY)), lastDay)));
      const weakest = [...o.chapters].sort((a, b) => (best.get(a.chapter_id) ?? 0) - (best.get(b.chapter_id) ?? 0))[0]!;
      t += uniform(rng, 6, 15) * MINUTE;
      emitQuiz(t, weakest.chapter_id);
      t += uniform(rng, 0.5, 3) * MINUTE;
      emitPath(t, 'top_up');
      free = afterBuild(t) + uniform(rng, 5, 30) * MINUTE;
      if (free >= monthEnd) break;
    }
  }

  events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return { students, events };
}

/** The chapter a student was working on at an event of the month (a path request has none). */
export function chapterOf(e: SimEvent): string | undefined {
  if (e.kind === 'quiz') return e.chapterId;
  if (e.kind === 'submit') return e.question.chapter_id;
  return undefined;
}

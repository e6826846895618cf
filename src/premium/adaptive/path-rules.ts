export type PathAction = 'review' | 'start' | 'continue' | 'practice';
export const PATH_ACTIONS: readonly PathAction[] = ['review', 'start', 'continue', 'practice'];

export type ChapterEvidence = {
  chapter_id: string;
  title: string;
  order: number;
  prerequisites: string[];
  attempts: number;
  best_percentage: number | null;
  passed: boolean;
};

export type Recommendation = { chapter_id: string; action: PathAction; priority: number; reason: string };

/** A quiz best under this is a weak chapter; a passed chapter under MASTERY is worth practising. */
export const WEAK = 50;
export const MASTERY = 80;
const MAX_STEPS = 5;

/**
 * The deterministic learning path: weak chapters first, then what blocks them, then the next
 * chapter the student can start, then practice where mastery is shaky. Always at least one step.
 */
export function rulesPath(chapters: ChapterEvidence[]): Recommendation[] {
  const byId = new Map(chapters.map((c) => [c.chapter_id, c]));
  const ordered = [...chapters].sort((a, b) => a.order - b.order);
  const steps: Omit<Recommendation, 'priority'>[] = [];
  const add = (step: Omit<Recommendation, 'priority'>) => {
    if (!steps.some((s) => s.chapter_id === step.chapter_id)) steps.push(step);
  };
  const unmet = (c: ChapterEvidence) => c.prerequisites.filter((p) => !byId.get(p)?.passed);

  for (const c of ordered.filter((x) => x.attempts > 0 && !x.passed)) {
    for (const p of unmet(c)) {
      const pre = byId.get(p);
      if (pre) {
        add({
          chapter_id: p,
          action: pre.attempts > 0 ? 'review' : 'start',
          reason: `${c.title} builds on ${pre.title}, which is not passed yet`,
        });
      }
    }
    const best = c.best_percentage ?? 0;
    add(
      best < WEAK
        ? { chapter_id: c.chapter_id, action: 'review', reason: `Best quiz score ${best}% is well under the pass mark: reread it, then retake the quiz` }
        : { chapter_id: c.chapter_id, action: 'continue', reason: `Best quiz score ${best}% is close to a pass: one more focused attempt` },
    );
  }

  const next = ordered.find((c) => c.attempts === 0 && unmet(c).length === 0);
  if (next) {
    add({
      chapter_id: next.chapter_id,
      action: 'start',
      reason: chapters.every((c) => c.attempts === 0)
        ? `Start here: ${next.title} is the first chapter of the course`
        : `Every prerequisite of ${next.title} is passed: it is the next chapter to start`,
    });
  }

  const shaky = ordered
    .filter((c) => c.passed && (c.best_percentage ?? 0) < MASTERY)
    .sort((a, b) => (a.best_percentage ?? 0) - (b.best_percentage ?? 0));
  for (const c of shaky) {
    add({ chapter_id: c.chapter_id, action: 'practice', reason: `Passed with ${c.best_percentage}%: practise to reach ${MASTERY}% mastery` });
  }

  if (steps.length === 0 && ordered.length > 0) {
    const weakest = [...ordered].sort((a, b) => (a.best_percentage ?? 0) - (b.best_percentage ?? 0))[0]!;
    add({ chapter_id: weakest.chapter_id, action: 'practice', reason: 'Every chapter is mastered: keep your weakest one fresh' });
  }
  return steps.slice(0, MAX_STEPS).map((s, i) => ({ ...s, priority: i + 1 }));
}

import type { GradeResult, RubricCriterion } from './grading/grading.types.js';

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

function shingles(tokens: string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= tokens.length; i++) out.add(tokens.slice(i, i + n).join(' '));
  return out;
}

/** An answer that is mostly the rubric's own wording, played back to the grader. */
export function echoesRubric(answer: string, rubric: RubricCriterion[]): boolean {
  const rubricText = rubric.map((c) => [c.description, c.full_marks ?? '', c.partial_marks ?? ''].join(' ')).join(' ');
  const mine = shingles(words(answer), 4);
  if (mine.size < 3) return false;
  const theirs = shingles(words(rubricText), 4);
  let shared = 0;
  for (const s of mine) if (theirs.has(s)) shared++;
  return shared / mine.size >= 0.5;
}

/** An answer that states its own grade ("this is ten out of ten", "deserves full marks"). */
export function claimsAGrade(answer: string): boolean {
  const text = answer.toLowerCase();
  return (
    /\b(grade|score|mark|rating)s?\b.{0,60}\b(\d+|ten|hundred|full|maximum|perfect)\s*(out of|\/)\s*(\d+|ten|hundred)\b/.test(text) ||
    /\b(\d+|ten)\s*(out of|\/)\s*(\d+|ten)\b.{0,40}\b(grade|score|marks?)\b/.test(text) ||
    /\b(full|maximum|top|perfect)\s+(marks|score|points|credit)\b/.test(text)
  );
}

/**
 * The last word on a model's grade. The rules grader cannot be talked into marks, so when either
 * grader suspects an injection, or the rules find the answer off topic, no criterion may score
 * above what the rules gave it; an answer that plays the rubric back scores nothing.
 */
export function guardGrade<T extends GradeResult>(model: T, rules: GradeResult, answer: string, rubric: RubricCriterion[]): T {
  const echo = echoesRubric(answer, rubric);
  const claim = claimsAGrade(answer);
  const suspicious = echo || claim || model.injection_suspected || rules.injection_suspected || rules.off_topic;
  if (!suspicious) return model;
  const cap = new Map(rules.criteria.map((c) => [c.criterion_id, echo ? 0 : c.score]));
  const criteria = model.criteria.map((c) => {
    const limit = cap.get(c.criterion_id) ?? 0;
    return c.score > limit ? { ...c, score: limit, comment: `${c.comment} (capped: the answer tried to steer the grading or did not answer)` } : c;
  });
  return {
    ...model,
    criteria,
    score: criteria.reduce((sum, c) => sum + c.score, 0),
    off_topic: model.off_topic || rules.off_topic,
    injection_suspected: model.injection_suspected || rules.injection_suspected || echo || claim,
  };
}

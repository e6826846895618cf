/**
 * The lexical baseline a grader has to beat: F1 of the content words (stemmed, stopwords dropped)
 * shared by the answer and a reference, the best over all references.
 */
import { plainStems } from '../grading/text.js';

function overlapF1(answer: Set<string>, reference: Set<string>): number {
  if (answer.size === 0 || reference.size === 0) return 0;
  let shared = 0;
  for (const s of answer) if (reference.has(s)) shared++;
  if (shared === 0) return 0;
  const precision = shared / answer.size;
  const recall = shared / reference.size;
  return (2 * precision * recall) / (precision + recall);
}

export function overlapBaseline(answer: string, references: readonly string[]): number {
  const a = plainStems(answer);
  let best = 0;
  for (const r of references) best = Math.max(best, overlapF1(a, plainStems(r)));
  return best;
}

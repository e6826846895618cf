/**
 * What the rules grader measures of an answer beyond key-concept coverage when it grades against
 * reference answers (no authored rubric): how much of it the closest reference accounts for, whether its
 * clauses keep the reference's polarity, its length, and the shape of the question. The learned
 * weights in rules-model.ts turn these into a probability that the answer is right.
 */
import { analyse, clauses, type Clause, type Token } from './text.js';

/** Weight of a word the question already contains: restating the question is not answering it. */
const QUESTION_WORD_WEIGHT = 0.3;

export const FEATURE_NAMES = [
  'coverage',
  'precision',
  'clause_cover',
  'clause_disagreement',
  'length_ratio',
  'alternatives',
  'shortest_reference',
  'longest_reference',
  'question_length',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

/** A reference analysed once: its tokens and clauses. */
export type AnalysedReference = { tokens: Token[]; clauses: Clause[] };

export function analyseReference(text: string): AnalysedReference {
  return { tokens: analyse(text), clauses: clauses(text) };
}

type Lexical = { recall: number; precision: number; length: number };

function lexical(answer: Token[], answerStems: Set<string>, reference: Token[], weight: (stem: string) => number): Lexical {
  let total = 0;
  let found = 0;
  const referenceStems = new Set<string>();
  for (const t of reference) {
    referenceStems.add(t.stem);
    total += weight(t.stem);
    if (answerStems.has(t.stem)) found += weight(t.stem);
  }
  let answerTotal = 0;
  let shared = 0;
  for (const t of answer) {
    answerTotal += weight(t.stem);
    if (referenceStems.has(t.stem)) shared += weight(t.stem);
  }
  return { recall: total > 0 ? found / total : 0, precision: answerTotal > 0 ? shared / answerTotal : 0, length: reference.length };
}

/** Share of the reference's clause weight the answer's clauses cover, and the share they cover with the opposite polarity. */
function clauseAgreement(answer: Clause[], reference: Clause[], weight: (stem: string) => number): { cover: number; disagreement: number } {
  let total = 0;
  let cover = 0;
  let disagreement = 0;
  for (const rc of reference) {
    for (const s of rc.stems) total += weight(s);
    let best: Clause | undefined;
    let bestWeight = 0;
    let bestCount = 0;
    for (const ac of answer) {
      let w = 0;
      let n = 0;
      for (const s of rc.stems)
        if (ac.stems.has(s)) {
          w += weight(s);
          n++;
        }
      if (w > bestWeight) [best, bestWeight, bestCount] = [ac, w, n];
    }
    if (!best) continue;
    cover += bestWeight;
    // Polarity is compared only where the clauses share enough to be about the same thing.
    if (bestCount >= Math.min(2, rc.stems.size) && best.negated !== rc.negated) disagreement += bestWeight;
  }
  return total > 0 ? { cover: cover / total, disagreement: disagreement / total } : { cover: 0, disagreement: 0 };
}

function f1(a: number, b: number): number {
  return a + b > 0 ? (2 * a * b) / (a + b) : 0;
}

/**
 * The features of an answer graded against reference answers. `coverage` is the grader's key-concept
 * coverage; `answer` its (spell-corrected) tokens and `answerText` the text they came from.
 */
export function referenceFeatures(input: {
  coverage: number;
  answer: Token[];
  answerText: string;
  questionStems: Set<string>;
  references: readonly AnalysedReference[];
}): Features {
  const { answer, questionStems, references } = input;
  const weight = (s: string) => (questionStems.has(s) ? QUESTION_WORD_WEIGHT : 1);
  const answerStems = new Set(answer.map((t) => t.stem));
  const answerClauses = clauses(input.answerText);
  let best: Lexical | undefined;
  let bestClauses = { cover: -1, disagreement: 0 };
  for (const r of references) {
    const l = lexical(answer, answerStems, r.tokens, weight);
    if (!best || f1(l.recall, l.precision) > f1(best.recall, best.precision)) best = l;
    const c = clauseAgreement(answerClauses, r.clauses, weight);
    if (c.cover > bestClauses.cover) bestClauses = c;
  }
  const lengths = references.map((r) => r.tokens.length);
  return {
    coverage: input.coverage,
    precision: best?.precision ?? 0,
    clause_cover: Math.max(0, bestClauses.cover),
    clause_disagreement: bestClauses.disagreement,
    length_ratio: Math.log((answer.length + 1) / ((best?.length ?? 0) + 1)),
    alternatives: Math.log(Math.max(1, references.length)),
    shortest_reference: Math.log1p(lengths.length > 0 ? Math.min(...lengths) : 0),
    longest_reference: Math.log1p(lengths.length > 0 ? Math.max(...lengths) : 0),
    question_length: Math.log1p(questionStems.size),
  };
}

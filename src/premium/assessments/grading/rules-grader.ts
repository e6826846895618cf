/**
 * Deterministic rules grader: scores an answer by how many of the rubric's key concepts it covers,
 * with stemming, synonyms, partial credit and negation. Without a rubric, the concepts come from the
 * reference answers and a learned combination (rules-model.ts) weighs their coverage with how the
 * answer lines up with the closest reference. No language model, no I/O, same input → same output.
 */
import { Memo } from '../../../common/cache/index.js';
import type { CriterionScore, GradeResult, GradingInput, KeyConcept, RubricCriterion } from './grading.types.js';
import { findInjection, stripInjection } from './injection.js';
import { analyseReference, referenceFeatures, type AnalysedReference, type Features } from './reference-features.js';
import { rubricFromReference, splitAlternatives } from './rubric-from-reference.js';
import { probabilityRight } from './rules-model.js';
import { analyse, type Token } from './text.js';

/**
 * Knobs of the scoring, chosen by cross-validated calibration on SemEval-2013 (see calibrate.ts);
 * frozen so that grading stays a pure function.
 */
export const RULES_TUNING = Object.freeze({
  /** Content words allowed between two words of a phrase that still counts as the phrase. */
  maxGap: 2,
  /** Credit when every word of a phrase is present but not in phrase order. */
  bagCredit: 0.8,
  /** A phrase with more than this share of its words present earns partial credit... */
  partialMinShare: 0.5,
  /** ...worth this much times that share. */
  partialWeight: 0.4,
  /** Weight of a concept that only repeats words of the question: restating the question is not answering it. */
  echoWeight: 0.25,
  /** Below this share of answer words related to the question or rubric, an answer is off topic... */
  offTopicShare: 0.1,
  /** ...judged only for answers at least this long; shorter ones are off topic only with no overlap at all. */
  offTopicMinWords: 8,
  /** Words shorter than this are not spell-corrected: short words are too close to each other. */
  minFuzzyLength: 5,
});

type PhraseToken = { stem: string; neg: boolean; word: string };
type CompiledPhrase = { tokens: PhraseToken[] };
type CompiledConcept = { concept: string; phrases: CompiledPhrase[]; stems: Set<string> };
type CompiledCriterion = { criterion: RubricCriterion; concepts: CompiledConcept[] };
export type CompiledRubric = {
  criteria: CompiledCriterion[];
  /** Every stem a concept can match. */
  vocabulary: Set<string>;
  /** Rubric words as written (long enough to spell-correct against) → stem. */
  spellings: Map<string, string>;
};

type Occurrence = { pos: number; neg: boolean };
type AnswerIndex = Map<string, Occurrence[]>;

/** `contradicted`: some word of the phrase appears, but with the opposite polarity. */
type PhraseMatch = { credit: number; contradicted: boolean };
type ConceptOutcome = { concept: string; credit: number; contradicted: boolean; weight: number };

const compiledCache = new WeakMap<readonly RubricCriterion[], CompiledRubric>();

function compilePhrase(text: string): CompiledPhrase | undefined {
  const tokens = analyse(text).map((t) => ({ stem: t.stem, neg: t.neg, word: t.word }));
  return tokens.length > 0 ? { tokens } : undefined;
}

function compileConcept(k: KeyConcept): CompiledConcept | undefined {
  const phrases: CompiledPhrase[] = [];
  for (const text of [k.concept, ...k.synonyms]) {
    const p = compilePhrase(text);
    if (p) phrases.push(p);
  }
  if (phrases.length === 0) return undefined; // only stopwords: nothing an answer could show
  const stems = new Set((phrases[0]?.tokens ?? []).map((t) => t.stem));
  return { concept: k.concept, phrases, stems };
}

/**
 * Analyses a rubric once. Cached by the rubric array's identity, so callers that grade many answers
 * against one rubric pay for it once; a rubric must not be mutated after it has been graded against.
 */
export function compileRubric(rubric: readonly RubricCriterion[]): CompiledRubric {
  const cached = compiledCache.get(rubric);
  if (cached) return cached;
  const vocabulary = new Set<string>();
  const spellings = new Map<string, string>();
  const criteria = rubric.map((criterion) => {
    const concepts: CompiledConcept[] = [];
    for (const k of criterion.key_concepts) {
      const c = compileConcept(k);
      if (!c) continue;
      concepts.push(c);
      for (const p of c.phrases)
        for (const t of p.tokens) {
          vocabulary.add(t.stem);
          if (t.word.length >= RULES_TUNING.minFuzzyLength) spellings.set(t.word, t.stem);
        }
    }
    return { criterion, concepts };
  });
  const compiled = { criteria, vocabulary, spellings };
  compiledCache.set(rubric, compiled);
  return compiled;
}

/** Whether a and b are within `max` edits (insert, delete, substitute, swap neighbours); small strings only. */
function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return false;
    prev2 = prev;
    prev = row;
  }
  return (prev[b.length] ?? max + 1) <= max;
}

/**
 * Students misspell ("seperated", "conected"); an answer word the rubric does not know is read as
 * the rubric word it is one edit from (two for long words), when there is exactly one such stem.
 */
function correctSpelling(tokens: Token[], compiled: CompiledRubric, known: (stem: string) => boolean): Token[] {
  return tokens.map((t) => {
    if (t.word.length < RULES_TUNING.minFuzzyLength || known(t.stem)) return t;
    const max = t.word.length >= 8 ? 2 : 1;
    let match: string | undefined;
    for (const [word, stem] of compiled.spellings) {
      if (!withinEdits(t.word, word, max)) continue;
      if (match !== undefined && match !== stem) return t; // ambiguous: leave it alone
      match = stem;
    }
    return match === undefined ? t : { ...t, stem: match };
  });
}

function indexAnswer(tokens: Token[]): AnswerIndex {
  const index: AnswerIndex = new Map();
  for (const t of tokens) {
    const list = index.get(t.stem);
    if (list) list.push({ pos: t.pos, neg: t.neg });
    else index.set(t.stem, [{ pos: t.pos, neg: t.neg }]);
  }
  return index;
}

/** Whether the phrase's words occur in order, each within `maxGap` content words of the previous. */
function inSequence(phrase: PhraseToken[], index: AnswerIndex, from: number, after: number): boolean {
  const t = phrase[from];
  if (!t) return true;
  for (const o of index.get(t.stem) ?? []) {
    if (o.neg !== t.neg) continue;
    if (after >= 0 && (o.pos <= after || o.pos - after > RULES_TUNING.maxGap + 1)) continue;
    if (inSequence(phrase, index, from + 1, o.pos)) return true;
  }
  return false;
}

function matchPhrase(phrase: CompiledPhrase, index: AnswerIndex): PhraseMatch {
  let same = 0;
  let opposite = 0;
  for (const t of phrase.tokens) {
    const occurrences = index.get(t.stem);
    if (!occurrences) continue;
    if (occurrences.some((o) => o.neg === t.neg)) same++;
    else opposite++;
  }
  const n = phrase.tokens.length;
  if (same === n) return { credit: n === 1 || inSequence(phrase.tokens, index, 0, -1) ? 1 : RULES_TUNING.bagCredit, contradicted: false };
  // A phrase with a word turned around ("not close together") is contradicted, not partly right.
  if (opposite > 0) return { credit: 0, contradicted: true };
  const share = same / n;
  return { credit: share > RULES_TUNING.partialMinShare ? RULES_TUNING.partialWeight * share : 0, contradicted: false };
}

function matchConcept(concept: CompiledConcept, index: AnswerIndex, questionStems: Set<string>): ConceptOutcome {
  let credit = 0;
  let contradicted = false;
  for (const p of concept.phrases) {
    const m = matchPhrase(p, index);
    if (m.credit > credit) credit = m.credit;
    if (m.contradicted) contradicted = true;
  }
  // Synonyms derived from alternative references may word the idea with the opposite polarity
  // ("connected" / "not separated"), so a contradiction stands only when no wording earns credit.
  if (credit > 0) contradicted = false;
  const echo = [...concept.stems].every((s) => questionStems.has(s));
  return { concept: concept.concept, credit, contradicted, weight: echo ? RULES_TUNING.echoWeight : 1 };
}

/** Rounds x.5 up, after removing float noise so 2.5 computed as 2.4999999 still rounds up. */
function roundHalfUp(x: number): number {
  return Math.floor(Math.round(x * 1e9) / 1e9 + 0.5);
}

/** Weighted share of the concepts covered, 0 to 1. */
function coverage(outcomes: ConceptOutcome[]): number {
  const total = outcomes.reduce((s, o) => s + o.weight, 0);
  if (total <= 0) return 0;
  const credit = outcomes.reduce((s, o) => s + o.credit * o.weight, 0);
  return Math.min(1, credit / total);
}

/** Points for a criterion worth `max` that is met to `ratio` (0 to 1). */
function points(max: number, ratio: number): number {
  if (max <= 0) return 0;
  return Math.max(0, Math.min(Math.floor(max), roundHalfUp(max * ratio)));
}

function quoteList(items: string[]): string {
  const quoted = items.map((i) => `"${i}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1] ?? ''}`;
}

function criterionComment(outcomes: ConceptOutcome[]): string {
  const covered = outcomes.filter((o) => o.credit >= 1).map((o) => o.concept);
  const partial = outcomes.filter((o) => o.credit > 0 && o.credit < 1).map((o) => o.concept);
  const contradicted = outcomes.filter((o) => o.contradicted).map((o) => o.concept);
  const missing = outcomes.filter((o) => o.credit === 0 && !o.contradicted).map((o) => o.concept);
  if (outcomes.length === 0) return 'No key concepts to check for this criterion.';
  const parts = [`Covers ${covered.length} of ${outcomes.length} key concept${outcomes.length === 1 ? '' : 's'}.`];
  if (covered.length) parts.push(`Present: ${quoteList(covered)}.`);
  if (partial.length) parts.push(`Partly present: ${quoteList(partial)}.`);
  if (contradicted.length) parts.push(`Contradicted: ${quoteList(contradicted)}.`);
  if (missing.length) parts.push(`Missing: ${quoteList(missing)}.`);
  return parts.join(' ');
}

// Questions and references repeat across the answers to them; analyse each once.
const stemsOfText = new Memo<Set<string>>({ max: 1000 });

function contentStems(text: string): Set<string> {
  return stemsOfText.get(text, () => new Set(analyse(text).map((t) => t.stem)));
}

function isOffTopic(answer: Token[], related: (stem: string) => boolean): boolean {
  if (answer.length === 0) return true;
  const shared = answer.filter((t) => related(t.stem)).length;
  if (shared === 0) return true;
  return answer.length >= RULES_TUNING.offTopicMinWords && shared / answer.length < RULES_TUNING.offTopicShare;
}

function overallFeedback(score: number, max: number, offTopic: boolean, injection: boolean, anyContradiction: boolean): string {
  const parts: string[] = [];
  if (offTopic) parts.push('The answer does not address the question, so it earns no marks.');
  else {
    const ratio = max > 0 ? score / max : 0;
    if (ratio >= 0.85) parts.push('Excellent: the answer covers the key ideas of the expected answer.');
    else if (ratio >= 0.5) parts.push('Good start: the answer covers some of the key ideas but misses others.');
    else if (ratio > 0) parts.push('The answer touches on the topic but misses most of the key ideas.');
    else parts.push('The answer does not yet show the key ideas the question asks for.');
    if (anyContradiction) parts.push('Part of it states the opposite of the expected answer.');
  }
  if (injection) parts.push('Text addressed to the grader was ignored; only the content of the answer was marked.');
  return parts.join(' ');
}

/** A rubric derived from reference answers, with those answers analysed for the learned combination. */
type Derived = { rubric: RubricCriterion[]; references: AnalysedReference[] };

// Derived rubrics are cached by their references so their compiled form is reused across answers.
const derivedRubrics = new Memo<Derived>({ max: 1000 });

function derivedRubric(reference: string, alternatives: readonly string[], maxScore: number): Derived {
  return derivedRubrics.get(JSON.stringify([maxScore, reference, alternatives]), () => ({
    rubric: rubricFromReference(reference, maxScore, alternatives),
    references: splitAlternatives(reference, alternatives).map(analyseReference),
  }));
}

type Analysis = {
  compiled: CompiledRubric;
  /** Set when the rubric was derived from reference answers: the learned combination applies. */
  references: AnalysedReference[] | undefined;
  injection: boolean;
  questionStems: Set<string>;
  answerText: string;
  answer: Token[];
  offTopic: boolean;
  index: AnswerIndex;
};

function analyseInput(input: GradingInput): Analysis {
  const derived = input.rubric.length > 0 ? undefined : derivedRubric(input.referenceAnswer, input.referenceAlternatives ?? [], input.maxScore);
  const compiled = compileRubric(derived?.rubric ?? input.rubric);
  const injection = findInjection(input.answer);
  const questionStems = contentStems(input.question);
  const referenceStems = contentStems(input.referenceAnswer);
  const known = (s: string) => compiled.vocabulary.has(s) || questionStems.has(s);
  const answerText = injection ? stripInjection(input.answer) : input.answer;
  const answer = correctSpelling(analyse(answerText), compiled, known);
  const offTopic = isOffTopic(answer, (s) => known(s) || referenceStems.has(s));
  return { compiled, references: derived?.references, injection, questionStems, answerText, answer, offTopic, index: indexAnswer(answer) };
}

function featuresOf(a: Analysis, outcomes: ConceptOutcome[], references: AnalysedReference[]): Features {
  return referenceFeatures({ coverage: coverage(outcomes), answer: a.answer, answerText: a.answerText, questionStems: a.questionStems, references });
}

/**
 * The learned combination's features of an answer graded without a rubric (what `npm run
 * grade:fit` fits on), or undefined when the input has a rubric of its own.
 */
export function answerFeatures(input: GradingInput): { features: Features; offTopic: boolean } | undefined {
  const a = analyseInput(input);
  const only = a.compiled.criteria[0];
  if (!a.references || !only) return undefined;
  return { features: featuresOf(a, only.concepts.map((c) => matchConcept(c, a.index, a.questionStems)), a.references), offTopic: a.offTopic };
}

/**
 * Grades one answer against the rubric. An empty rubric is derived from the reference answer (and
 * `referenceAlternatives`) with `maxScore` points, and scored by the learned combination; an
 * authored rubric is scored by key-concept coverage. `max_score` is the sum of the criteria's maxima.
 */
export function gradeWithRules(input: GradingInput): GradeResult {
  const a = analyseInput(input);
  const { compiled, offTopic, index, questionStems } = a;

  const criteria: CriterionScore[] = [];
  const strengths: string[] = [];
  const improvements: string[] = [];
  let anyContradiction = false;
  for (const { criterion, concepts } of compiled.criteria) {
    const outcomes = concepts.map((c) => matchConcept(c, index, questionStems));
    const ratio = a.references ? probabilityRight(featuresOf(a, outcomes, a.references)) : coverage(outcomes);
    const score = offTopic ? 0 : points(criterion.max_score, ratio);
    criteria.push({
      criterion_id: criterion.criterion_id,
      score,
      max_score: criterion.max_score,
      comment: offTopic ? 'Off topic: the answer does not address the question, so no marks are given.' : criterionComment(outcomes),
    });
    // Name the criterion in advice only when there is more than one to tell apart.
    const where = compiled.criteria.length > 1 && criterion.description ? ` (${criterion.description})` : '';
    for (const o of outcomes) {
      if (o.credit >= 1 && !offTopic) strengths.push(`Covers the key idea "${o.concept}"${where}.`);
      else if (o.contradicted && !offTopic) {
        anyContradiction = true;
        improvements.push(`Re-check "${o.concept}"${where}: your answer states the opposite of the expected answer.`);
      } else if (o.credit > 0 && !offTopic) improvements.push(`Develop the idea "${o.concept}" more fully${where}.`);
      else improvements.push(`Include the key idea "${o.concept}"${where}.`);
    }
  }
  const score = criteria.reduce((s, c) => s + c.score, 0);
  const max = criteria.reduce((s, c) => s + c.max_score, 0);
  return {
    score,
    max_score: max,
    criteria,
    feedback: overallFeedback(score, max, offTopic, a.injection, anyContradiction),
    strengths,
    improvements: offTopic ? ['Answer the question that was asked, using the ideas from the lesson.', ...improvements] : improvements,
    off_topic: offTopic,
    injection_suspected: a.injection,
  };
}

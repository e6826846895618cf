/**
 * Calibration: how well a grader agrees with human scores, beside a lexical overlap baseline.
 *
 *   node dist/src/premium/assessments/calibration/calibrate.js FILE.jsonl [--grader rules] [--format json]
 *     [--split all|dev|heldout] [--predictions OUT.jsonl]
 *
 * Scores are compared as fractions of the maximum (human score / max_score against grade / max),
 * so RMSE is in fractions of full marks. `--split` picks the questions measured (see split.ts):
 * `all` and `dev` measure correlations and RMSE on every answer of those questions, and accuracy
 * and macro-F1 for 0/1 human scores by 2-fold cross-validation by question (a threshold is chosen
 * on one half of the questions and applied to the other, then the halves swap, and the two results
 * are averaged). `heldout` measures the held-out questions only, with the threshold chosen on all
 * development questions. Thresholds are never chosen on the answers they are measured on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { GradingInput } from '../grading/grading.types.js';
import { splitAlternatives } from '../grading/rubric-from-reference.js';
import { gradeWithRules } from '../grading/rules-grader.js';
import { CalibrationInputError, parseCalibrationLines, type CalibrationLine } from './calibration-data.js';
import { accuracy, binarize, chooseThreshold, macroF1, pearson, rmse, spearman } from './metrics.js';
import { overlapBaseline } from './overlap-baseline.js';
import { fnv1a, isHeldOut, SPLITS, type Split } from './split.js';

export type GraderName = 'rules';
export type CalibrationOptions = { grader?: GraderName; split?: Split };

/** Metric values; null where a metric is undefined (constant series, non-binary labels, too few questions). */
export type Agreement = {
  pearson: number | null;
  spearman: number | null;
  rmse: number | null;
  accuracy: number | null;
  macro_f1: number | null;
};
export type CorpusReport = Agreement & { n: number; threshold: number | null; baseline: Agreement };
export type CalibrationReport = CorpusReport & {
  answers_per_second: number;
  grader: GraderName;
  split: Split;
  by_corpus: Record<string, CorpusReport>;
};

/** Rubrics are graded against out of 10, so partial credit has room to show before normalising. */
const INTERNAL_MAX_SCORE = 10;

/** One graded answer as fractions of full marks; written out by `--predictions`. */
export type Scored = { qid: string; corpus: string; heldout: boolean; human: number; predicted: number; baseline: number };

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function corpusOf(qid: string): string {
  const i = qid.indexOf(':');
  return i > 0 ? qid.slice(0, i) : '(none)';
}

/** Two halves of the questions: ordered by hash and dealt alternately, so both halves are non-empty. */
function questionFolds(qids: readonly string[]): [Set<string>, Set<string>] {
  const ordered = [...new Set(qids)].sort((a, b) => fnv1a(a) - fnv1a(b) || (a < b ? -1 : a > b ? 1 : 0));
  const folds: [Set<string>, Set<string>] = [new Set(), new Set()];
  ordered.forEach((q, i) => folds[i % 2]?.add(q));
  return folds;
}

/** Mean accuracy, macro-F1 and threshold over the two folds (threshold chosen on one half, tested on the other). */
function crossValidated(
  items: readonly Scored[],
  score: (s: Scored) => number,
): { accuracy: number | null; macro_f1: number | null; threshold: number | null } {
  const none = { accuracy: null, macro_f1: null, threshold: null };
  if (!items.every((s) => s.human === 0 || s.human === 1)) return none;
  const folds = questionFolds(items.map((s) => s.qid));
  const results: { accuracy: number; macroF1: number; threshold: number }[] = [];
  for (const [trainQs, testQs] of [folds, [folds[1], folds[0]]] as const) {
    const train = items.filter((s) => trainQs.has(s.qid));
    const test = items.filter((s) => testQs.has(s.qid));
    if (train.length === 0 || test.length === 0) continue;
    const threshold = chooseThreshold(
      train.map(score),
      train.map((s) => (s.human === 1 ? 1 : 0)),
    );
    const predicted = binarize(test.map(score), threshold);
    const gold = test.map((s) => (s.human === 1 ? 1 : 0));
    results.push({ accuracy: accuracy(predicted, gold), macroF1: macroF1(predicted, gold), threshold });
  }
  if (results.length === 0) return none;
  const avg = (f: (r: (typeof results)[number]) => number) => results.reduce((s, r) => s + f(r), 0) / results.length;
  return { accuracy: finite(avg((r) => r.accuracy)), macro_f1: finite(avg((r) => r.macroF1)), threshold: finite(avg((r) => r.threshold)) };
}

/** Accuracy and macro-F1 on `test` with the threshold chosen on `train` (other questions). */
function trainTest(
  train: readonly Scored[],
  test: readonly Scored[],
  score: (s: Scored) => number,
): { accuracy: number | null; macro_f1: number | null; threshold: number | null } {
  const binary = (xs: readonly Scored[]) => xs.every((s) => s.human === 0 || s.human === 1);
  if (train.length === 0 || test.length === 0 || !binary(train) || !binary(test)) return { accuracy: null, macro_f1: null, threshold: null };
  const gold = (xs: readonly Scored[]) => xs.map((s) => (s.human === 1 ? 1 : 0));
  const threshold = chooseThreshold(train.map(score), gold(train));
  const predicted = binarize(test.map(score), threshold);
  return { accuracy: finite(accuracy(predicted, gold(test))), macro_f1: finite(macroF1(predicted, gold(test))), threshold };
}

/** Agreement on `items`; with `train`, accuracy and macro-F1 use a threshold chosen there instead of cross-validation. */
function agreement(items: readonly Scored[], score: (s: Scored) => number, train?: readonly Scored[]): Agreement & { threshold: number | null } {
  const predicted = items.map(score);
  const human = items.map((s) => s.human);
  const cv = train ? trainTest(train, items, score) : crossValidated(items, score);
  return {
    pearson: finite(pearson(predicted, human)),
    spearman: finite(spearman(predicted, human)),
    rmse: finite(rmse(predicted, human)),
    accuracy: cv.accuracy,
    macro_f1: cv.macro_f1,
    threshold: cv.threshold,
  };
}

function report(items: readonly Scored[], train?: readonly Scored[]): CorpusReport {
  const grader = agreement(items, (s) => s.predicted, train);
  const { threshold: _unused, ...baseline } = agreement(items, (s) => s.baseline, train);
  return { n: items.length, ...grader, baseline };
}

/**
 * The grader's input for a line: its own rubric when it has one, else none, so the grader derives
 * one from the references (out of INTERNAL_MAX_SCORE) and applies its learned combination.
 */
export function gradingInput(line: CalibrationLine): GradingInput {
  return {
    question: line.question,
    referenceAnswer: line.reference,
    referenceAlternatives: line.references ?? [],
    maxScore: line.rubric ? line.rubric.reduce((s, c) => s + c.max_score, 0) : INTERNAL_MAX_SCORE,
    rubric: line.rubric ?? [],
    answer: line.answer,
  };
}

/** Grades every line with the rules grader; scores as fractions of full marks, with the grader's speed. */
export function scoreLines(lines: readonly CalibrationLine[]): { scored: Scored[]; answersPerSecond: number } {
  const inputs = lines.map(gradingInput);

  const start = performance.now();
  const results = inputs.map((input) => gradeWithRules(input));
  const seconds = (performance.now() - start) / 1000;

  const scored: Scored[] = lines.map((line, i) => {
    const result = results[i];
    return {
      qid: line.qid,
      corpus: corpusOf(line.qid),
      heldout: isHeldOut(line.qid),
      human: line.score / line.max_score,
      predicted: result && result.max_score > 0 ? result.score / result.max_score : 0,
      baseline: overlapBaseline(line.answer, splitAlternatives(line.reference, line.references ?? [])),
    };
  });

  return { scored, answersPerSecond: seconds > 0 ? Math.round(lines.length / seconds) : 0 };
}

/** Agreement on the chosen split; `heldout` takes its thresholds from the development questions. */
export function reportOn(scored: readonly Scored[], split: Split): CorpusReport & { by_corpus: Record<string, CorpusReport> } {
  const measured = split === 'all' ? scored : scored.filter((s) => s.heldout === (split === 'heldout'));
  const dev = split === 'heldout' ? scored.filter((s) => !s.heldout) : undefined;
  const byCorpus: Record<string, CorpusReport> = {};
  for (const corpus of [...new Set(measured.map((s) => s.corpus))].sort()) {
    byCorpus[corpus] = report(
      measured.filter((s) => s.corpus === corpus),
      dev?.filter((s) => s.corpus === corpus),
    );
  }
  return { ...report(measured, dev), by_corpus: byCorpus };
}

function summarise(scored: readonly Scored[], answersPerSecond: number, grader: GraderName, split: Split): CalibrationReport {
  const { by_corpus, ...overall } = reportOn(scored, split);
  return { ...overall, answers_per_second: answersPerSecond, grader, split, by_corpus };
}

/** Grades every line with the rules grader and measures agreement with the human scores. */
export function calibrate(lines: readonly CalibrationLine[], options: CalibrationOptions = {}): CalibrationReport {
  const { scored, answersPerSecond } = scoreLines(lines);
  return summarise(scored, answersPerSecond, options.grader ?? 'rules', options.split ?? 'all');
}

function fmt(x: number | null, digits = 3): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

export function formatReport(r: CalibrationReport, source: string): string {
  const rows: string[] = [
    `Calibration of the ${r.grader} grader on ${source}: ${r.n} answers (${r.split === 'all' ? 'all questions' : `${r.split} questions`})`,
    `${'scope'.padEnd(32)}${['n', 'pearson', 'spearman', 'rmse', 'accuracy', 'macro-F1', 'threshold'].map((h) => h.padStart(10)).join('')}`,
  ];
  const row = (label: string, n: number, a: Agreement, threshold: number | null): string =>
    `${label.padEnd(32)}${[String(n), fmt(a.pearson), fmt(a.spearman), fmt(a.rmse), fmt(a.accuracy), fmt(a.macro_f1), fmt(threshold, 2)]
      .map((v) => v.padStart(10))
      .join('')}`;
  const scopes: [string, CorpusReport][] = [['all', r], ...Object.entries(r.by_corpus)];
  for (const [name, c] of scopes) {
    rows.push(row(`${r.grader} / ${name}`, c.n, c, c.threshold));
    rows.push(row(`overlap baseline / ${name}`, c.n, c.baseline, null));
  }
  rows.push(
    r.split === 'heldout'
      ? 'accuracy and macro-F1: threshold tuned on the development questions, tested on the held-out ones.'
      : 'accuracy and macro-F1: 2-fold cross-validation by question (threshold tuned on one half, tested on the other).',
  );
  rows.push('rmse: in fractions of full marks (grade / max against human score / max).');
  rows.push(`Throughput: ${r.answers_per_second} answers/second (${r.grader} grader alone, one thread)`);
  return rows.join('\n');
}

const USAGE = 'usage: calibrate.js FILE.jsonl [--grader rules] [--format text|json] [--split all|dev|heldout] [--predictions OUT.jsonl]';

type CliArgs = { file: string; grader: string; format: 'text' | 'json'; split: Split; predictions?: string };

function parseArgs(argv: readonly string[]): CliArgs | string {
  let file: string | undefined;
  let grader = 'rules';
  let format: 'text' | 'json' = 'text';
  let split: Split = 'all';
  let predictions: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--grader' || arg === '--format' || arg === '--split' || arg === '--predictions') {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--grader') grader = value;
      else if (arg === '--predictions') predictions = value;
      else if (arg === '--split') {
        const known = SPLITS.find((s) => s === value);
        if (!known) return `unknown split "${value}" (use ${SPLITS.join(', ')})`;
        split = known;
      } else if (value === 'json' || value === 'text') format = value;
      else return `unknown format "${value}" (use text or json)`;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else if (file === undefined) file = arg;
    else return `unexpected argument ${arg}`;
  }
  return file === undefined ? 'missing FILE.jsonl' : { file, grader, format, split, ...(predictions === undefined ? {} : { predictions }) };
}

/** Runs the command; returns the exit code. */
export function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    return 2;
  }
  if (args.grader === 'llm') {
    console.error('The llm grader is not available in this build; use --grader rules.');
    return 2;
  }
  if (args.grader !== 'rules') {
    console.error(`unknown grader "${args.grader}" (available: rules)\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === 'ENOENT' ? `${args.file}: no such file` : `${args.file}: cannot read (${(error as Error).message})`);
    return 1;
  }
  let lines: CalibrationLine[];
  try {
    lines = parseCalibrationLines(text, args.file);
  } catch (error) {
    if (error instanceof CalibrationInputError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  if (lines.length === 0) {
    console.error(`${args.file}: no records`);
    return 1;
  }
  const { scored, answersPerSecond } = scoreLines(lines);
  const result = summarise(scored, answersPerSecond, 'rules', args.split);
  if (args.predictions !== undefined) {
    try {
      writeFileSync(args.predictions, scored.map((s) => JSON.stringify(s)).join('\n') + '\n');
    } catch (error) {
      console.error(`${args.predictions}: cannot write (${(error as Error).message})`);
      return 1;
    }
  }
  console.log(formatReport(result, args.file));
  if (args.format === 'json') console.log(JSON.stringify(result));
  return 0;
}

// Run only as a command, not when a spec imports calibrate().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

/**
 * Calibration: how well a grader agrees with human scores, beside a lexical overlap baseline.
 *
 *   node dist/src/premium/assessments/calibration/calibrate.js FILE.jsonl [--grader rules] [--format json]
 *
 * Correlations and RMSE use every answer. For 0/1 human scores, accuracy and macro-F1 come from
 * 2-fold cross-validation by question: a threshold is chosen on one half of the questions and
 * applied to the other, then the halves swap, and the two results are averaged. Thresholds are
 * never chosen on the answers they are measured on.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { GradingInput, RubricCriterion } from '../grading/grading.types.js';
import { rubricFromReference, splitAlternatives } from '../grading/rubric-from-reference.js';
import { gradeWithRules } from '../grading/rules-grader.js';
import { CalibrationInputError, parseCalibrationLines, type CalibrationLine } from './calibration-data.js';
import { accuracy, binarize, chooseThreshold, macroF1, pearson, rmse, spearman } from './metrics.js';
import { overlapBaseline } from './overlap-baseline.js';

export type GraderName = 'rules';
export type CalibrationOptions = { grader?: GraderName };

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
  by_corpus: Record<string, CorpusReport>;
};

/** Rubrics are graded against out of 10, so partial credit has room to show before normalising. */
const INTERNAL_MAX_SCORE = 10;

type Scored = { qid: string; corpus: string; human: number; predicted: number; baseline: number };

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function corpusOf(qid: string): string {
  const i = qid.indexOf(':');
  return i > 0 ? qid.slice(0, i) : '(none)';
}

/** FNV-1a: a stable hash, so the question split is the same on every run and machine. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
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

function agreement(items: readonly Scored[], score: (s: Scored) => number): Agreement & { threshold: number | null } {
  const predicted = items.map(score);
  const human = items.map((s) => s.human);
  const cv = crossValidated(items, score);
  return {
    pearson: finite(pearson(predicted, human)),
    spearman: finite(spearman(predicted, human)),
    rmse: finite(rmse(predicted, human)),
    accuracy: cv.accuracy,
    macro_f1: cv.macro_f1,
    threshold: cv.threshold,
  };
}

function report(items: readonly Scored[]): CorpusReport {
  const grader = agreement(items, (s) => s.predicted);
  const { threshold: _unused, ...baseline } = agreement(items, (s) => s.baseline);
  return { n: items.length, ...grader, baseline };
}

/** Grades every line with the rules grader and measures agreement with the human scores. */
export function calibrate(lines: readonly CalibrationLine[], options: CalibrationOptions = {}): CalibrationReport {
  const grader: GraderName = options.grader ?? 'rules';
  // One rubric object per distinct reference set, so the grader's compiled-rubric cache is used.
  const derived = new Map<string, RubricCriterion[]>();
  const inputs: GradingInput[] = lines.map((line) => {
    let rubric: RubricCriterion[] | undefined = line.rubric;
    if (!rubric) {
      const key = JSON.stringify([line.reference, line.references ?? []]);
      rubric = derived.get(key);
      if (!rubric) {
        rubric = rubricFromReference(line.reference, INTERNAL_MAX_SCORE, line.references ?? []);
        derived.set(key, rubric);
      }
    }
    return {
      question: line.question,
      referenceAnswer: line.reference,
      maxScore: rubric.reduce((s, c) => s + c.max_score, 0),
      rubric,
      answer: line.answer,
    };
  });

  const start = performance.now();
  const results = inputs.map((input) => gradeWithRules(input));
  const seconds = (performance.now() - start) / 1000;

  const scored: Scored[] = lines.map((line, i) => {
    const result = results[i];
    return {
      qid: line.qid,
      corpus: corpusOf(line.qid),
      human: line.score / line.max_score,
      predicted: result && result.max_score > 0 ? result.score / result.max_score : 0,
      baseline: overlapBaseline(line.answer, splitAlternatives(line.reference, line.references ?? [])),
    };
  });

  const byCorpus: Record<string, CorpusReport> = {};
  for (const corpus of [...new Set(scored.map((s) => s.corpus))].sort()) {
    byCorpus[corpus] = report(scored.filter((s) => s.corpus === corpus));
  }
  return {
    ...report(scored),
    answers_per_second: seconds > 0 ? Math.round(lines.length / seconds) : 0,
    grader,
    by_corpus: byCorpus,
  };
}

function fmt(x: number | null, digits = 3): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

export function formatReport(r: CalibrationReport, source: string): string {
  const rows: string[] = [
    `Calibration of the ${r.grader} grader on ${source}: ${r.n} answers`,
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
  rows.push('accuracy and macro-F1: 2-fold cross-validation by question (threshold tuned on one half, tested on the other).');
  rows.push(`Throughput: ${r.answers_per_second} answers/second (${r.grader} grader alone, one thread)`);
  return rows.join('\n');
}

const USAGE = 'usage: calibrate.js FILE.jsonl [--grader rules] [--format text|json]';

type CliArgs = { file: string; grader: string; format: 'text' | 'json' };

function parseArgs(argv: readonly string[]): CliArgs | string {
  let file: string | undefined;
  let grader = 'rules';
  let format: 'text' | 'json' = 'text';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--grader' || arg === '--format') {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--grader') grader = value;
      else if (value === 'json' || value === 'text') format = value;
      else return `unknown format "${value}" (use text or json)`;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else if (file === undefined) file = arg;
    else return `unexpected argument ${arg}`;
  }
  return file === undefined ? 'missing FILE.jsonl' : { file, grader, format };
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
  const result = calibrate(lines, { grader: 'rules' });
  console.log(formatReport(result, args.file));
  if (args.format === 'json') console.log(JSON.stringify(result));
  return 0;
}

// Run only as a command, not when a spec imports calibrate().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

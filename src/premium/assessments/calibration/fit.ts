/**
 * Fits the rules grader's learned combination (grading/rules-model.ts) on the development questions
 * of a calibration file; the held-out questions (split.ts) are never read.
 *
 *   node dist/src/premium/assessments/calibration/fit.js FILE.jsonl [--folds 10] [--l2 1] [--ablation] [--write PATH]
 *
 * Prints agreement of out-of-fold predictions, K-fold cross-validated by question (the model is
 * fitted on the other questions' answers each time); `--ablation` repeats that without each group
 * of features; `--write` writes the weights fitted on all development questions to PATH (normally
 * src/premium/assessments/grading/rules-model.weights.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FEATURE_NAMES, type FeatureName, type Features } from '../grading/reference-features.js';
import { answerFeatures } from '../grading/rules-grader.js';
import { gradingInput } from './calibrate.js';
import { parseCalibrationLines } from './calibration-data.js';
import { fitScaled, predictLogistic } from './logistic.js';
import { pearson, rmse, spearman } from './metrics.js';
import { fnv1a, isHeldOut } from './split.js';

/** One development answer: its question, corpus, human score (fraction) and features. */
export type FitRow = { qid: string; corpus: string; human: number; offTopic: boolean; features: Features };

export const FEATURE_GROUPS: Record<string, readonly FeatureName[]> = {
  'key-concept coverage': ['coverage'],
  'precision (answer words in the reference)': ['precision'],
  'clause polarity': ['clause_cover', 'clause_disagreement'],
  'length ratio': ['length_ratio'],
  'question shape (references, lengths)': ['alternatives', 'shortest_reference', 'longest_reference', 'question_length'],
};

export function fitRows(text: string, source: string): FitRow[] {
  const rows: FitRow[] = [];
  for (const line of parseCalibrationLines(text, source)) {
    if (line.rubric || isHeldOut(line.qid)) continue;
    const f = answerFeatures(gradingInput(line));
    if (!f) continue;
    const i = line.qid.indexOf(':');
    rows.push({ qid: line.qid, corpus: i > 0 ? line.qid.slice(0, i) : '(none)', human: line.score / line.max_score, offTopic: f.offTopic, features: f.features });
  }
  return rows;
}

const vector = (f: Features, names: readonly FeatureName[]) => names.map((n) => f[n]);

/** Off-topic answers get no marks whatever the model says, as in the grader. */
function fitAndPredict(train: readonly FitRow[], test: readonly FitRow[], names: readonly FeatureName[], l2: number): number[] {
  const model = fitScaled(
    train.map((r) => vector(r.features, names)),
    train.map((r) => r.human),
    l2,
  );
  return test.map((r) => (r.offTopic ? 0 : predictLogistic(model, vector(r.features, names))));
}

/** Out-of-fold predictions, the questions dealt into `folds` folds in FNV-1a order. */
export function crossValidate(rows: readonly FitRow[], names: readonly FeatureName[], folds: number, l2: number): number[] {
  const qids = [...new Set(rows.map((r) => r.qid))].sort((a, b) => fnv1a(`fold:${a}`) - fnv1a(`fold:${b}`) || (a < b ? -1 : 1));
  const foldOf = new Map(qids.map((q, i) => [q, i % folds]));
  const out = new Array<number>(rows.length).fill(0);
  for (let k = 0; k < folds; k++) {
    const test = rows.map((r, i) => [r, i] as const).filter(([r]) => foldOf.get(r.qid) === k);
    if (test.length === 0) continue;
    const predicted = fitAndPredict(
      rows.filter((r) => foldOf.get(r.qid) !== k),
      test.map(([r]) => r),
      names,
      l2,
    );
    test.forEach(([, i], j) => (out[i] = predicted[j] ?? 0));
  }
  return out;
}

/** Fits on every row and returns the weights by feature name. */
export function fitAll(rows: readonly FitRow[], l2: number): { intercept: number; weights: Features } {
  const model = fitScaled(
    rows.map((r) => vector(r.features, FEATURE_NAMES)),
    rows.map((r) => r.human),
    l2,
  );
  const weights = Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, model.weights[j] ?? 0])) as Features;
  return { intercept: model.intercept, weights };
}

function agreementLine(label: string, rows: readonly FitRow[], predicted: readonly number[]): string {
  const human = rows.map((r) => r.human);
  const by = [...new Set(rows.map((r) => r.corpus))].sort().map((c) => {
    const idx = rows.flatMap((r, i) => (r.corpus === c ? [i] : []));
    return `${c} ${pearson(
      idx.map((i) => predicted[i] ?? 0),
      idx.map((i) => human[i] ?? 0),
    ).toFixed(3)}`;
  });
  return `${label.padEnd(48)} pearson ${pearson(predicted, human).toFixed(3)}  spearman ${spearman(predicted, human).toFixed(3)}  rmse ${rmse(predicted, human).toFixed(3)}  (${by.join(', ')})`;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function weightsSource(model: { intercept: number; weights: Features }, note: string): string {
  const lines = FEATURE_NAMES.map((n) => `    ${n}: ${round6(model.weights[n])},`);
  return `// Written by \`npm run grade:fit\` (${note}); regenerate rather than edit.\nexport const RULES_MODEL_WEIGHTS = {\n  intercept: ${round6(model.intercept)},\n  weights: {\n${lines.join('\n')}\n  },\n};\n`;
}

const USAGE = 'usage: fit.js FILE.jsonl [--folds 10] [--l2 1] [--ablation] [--write PATH]';

export function main(argv: readonly string[]): number {
  let file: string | undefined;
  let folds = 10;
  let l2 = 1;
  let ablation = false;
  let write: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--ablation') ablation = true;
    else if (arg === '--folds' || arg === '--l2' || arg === '--write') {
      const value = argv[++i];
      if (value === undefined) return usage(`${arg} needs a value`);
      if (arg === '--write') write = value;
      else {
        const n = Number(value);
        if (!Number.isFinite(n) || n < (arg === '--folds' ? 2 : 0)) return usage(`bad ${arg} ${value}`);
        if (arg === '--folds') folds = Math.floor(n);
        else l2 = n;
      }
    } else if (arg.startsWith('--') || file !== undefined) return usage(`unexpected argument ${arg}`);
    else file = arg;
  }
  if (file === undefined) return usage('missing FILE.jsonl');
  const rows = fitRows(readFileSync(file, 'utf8'), file);
  if (rows.length === 0) {
    console.error(`${file}: no development answers without a rubric to fit on`);
    return 1;
  }
  const questions = new Set(rows.map((r) => r.qid)).size;
  console.log(`Fitting on ${rows.length} answers to ${questions} development questions; ${folds}-fold cross-validation by question, l2 ${l2}`);
  console.log(agreementLine('key-concept coverage alone (no fit)', rows, rows.map((r) => (r.offTopic ? 0 : r.features.coverage))));
  console.log(agreementLine('learned combination, cross-validated', rows, crossValidate(rows, FEATURE_NAMES, folds, l2)));
  if (ablation) {
    for (const [group, names] of Object.entries(FEATURE_GROUPS)) {
      const rest = FEATURE_NAMES.filter((n) => !names.includes(n));
      console.log(agreementLine(`  without ${group}`, rows, crossValidate(rows, rest, folds, l2)));
    }
  }
  const model = fitAll(rows, l2);
  console.log(`weights (unscaled features): intercept ${round6(model.intercept)}, ${FEATURE_NAMES.map((n) => `${n} ${round6(model.weights[n])}`).join(', ')}`);
  if (write !== undefined) {
    writeFileSync(write, weightsSource(model, `${rows.length} development answers, l2 ${l2}`));
    console.log(`wrote ${write}`);
  }
  return 0;
}

function usage(problem: string): number {
  console.error(`${problem}\n${USAGE}`);
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

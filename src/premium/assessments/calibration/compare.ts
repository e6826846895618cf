/**
 * Compares two graders on the held-out questions, from the `--predictions` files of two
 * calibration runs on the same data (say before and after a change):
 *
 *   node dist/src/premium/assessments/calibration/compare.js BEFORE.jsonl AFTER.jsonl [--resamples 2000] [--format json]
 *
 * Each file's threshold for macro-F1 is chosen on its development questions and applied to the
 * held-out ones. The confidence intervals of the differences (after − before) come from a
 * bootstrap that resamples held-out questions with replacement (answers to one question are not
 * independent), seeded so that a rerun gives the same interval.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../../../common/random/index.js';
import type { Scored } from './calibrate.js';
import { binarize, chooseThreshold, macroF1, pearson, rmse, spearman } from './metrics.js';

const METRICS = ['pearson', 'spearman', 'rmse', 'macro_f1'] as const;
type Metric = (typeof METRICS)[number];
export type Interval = { before: number; after: number; difference: number; low: number; high: number };
export type Comparison = { n: number; questions: number; resamples: number } & Record<Metric, Interval>;

const SEED = 2013;

type Row = { human: number; before: number; after: number; beforeClass: 0 | 1; afterClass: 0 | 1 };

function gold(xs: readonly Scored[]): (0 | 1)[] {
  return xs.map((s) => (s.human === 1 ? 1 : 0));
}

function metrics(rows: readonly Row[], side: 'before' | 'after'): Record<Metric, number> {
  const human = rows.map((r) => r.human);
  const scores = rows.map((r) => r[side]);
  const classes = rows.map((r) => (side === 'before' ? r.beforeClass : r.afterClass));
  return {
    pearson: pearson(scores, human),
    spearman: spearman(scores, human),
    rmse: rmse(scores, human),
    macro_f1: macroF1(classes, human.map((h) => (h === 1 ? 1 : 0))),
  };
}

/** The 2.5th and 97.5th percentiles (nearest rank) of finite values. */
function interval95(values: number[]): [number, number] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return [at(0.025), at(0.975)];
}

/** Held-out agreement of both graders and bootstrap intervals of the differences. */
export function compare(before: readonly Scored[], after: readonly Scored[], resamples = 2000): Comparison {
  if (before.length !== after.length) throw new Error(`the files differ in length (${before.length} vs ${after.length} answers)`);
  before.forEach((b, i) => {
    const a = after[i];
    if (!a || a.qid !== b.qid || a.human !== b.human || a.heldout !== b.heldout) throw new Error(`answer ${i + 1} differs between the files: not the same data`);
  });
  const threshold = (xs: readonly Scored[], side: 'predicted') => {
    const dev = xs.filter((s) => !s.heldout);
    return chooseThreshold(
      dev.map((s) => s[side]),
      gold(dev),
    );
  };
  const tBefore = threshold(before, 'predicted');
  const tAfter = threshold(after, 'predicted');
  const byQuestion = new Map<string, Row[]>();
  before.forEach((b, i) => {
    const a = after[i];
    if (!b.heldout || !a) return;
    const row: Row = {
      human: b.human,
      before: b.predicted,
      after: a.predicted,
      beforeClass: binarize([b.predicted], tBefore)[0] ?? 0,
      afterClass: binarize([a.predicted], tAfter)[0] ?? 0,
    };
    const list = byQuestion.get(b.qid);
    if (list) list.push(row);
    else byQuestion.set(b.qid, [row]);
  });
  const questions = [...byQuestion.keys()].sort();
  if (questions.length === 0) throw new Error('no held-out answers in the files');
  const all = questions.flatMap((q) => byQuestion.get(q) ?? []);
  const pointBefore = metrics(all, 'before');
  const pointAfter = metrics(all, 'after');

  const random = mulberry32(SEED);
  const differences: Record<Metric, number[]> = { pearson: [], spearman: [], rmse: [], macro_f1: [] };
  for (let r = 0; r < resamples; r++) {
    const sample: Row[] = [];
    for (let k = 0; k < questions.length; k++) sample.push(...(byQuestion.get(questions[Math.floor(random() * questions.length)] ?? '') ?? []));
    const b = metrics(sample, 'before');
    const a = metrics(sample, 'after');
    for (const m of METRICS) differences[m].push(a[m] - b[m]);
  }
  const result = { n: all.length, questions: questions.length, resamples } as Comparison;
  for (const m of METRICS) {
    const [low, high] = interval95(differences[m]);
    result[m] = { before: pointBefore[m], after: pointAfter[m], difference: pointAfter[m] - pointBefore[m], low, high };
  }
  return result;
}

function readScored(file: string): Scored[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Scored);
}

/** Wide enough for "[-0.123, -0.456]" plus a gap: the interval column never runs into the difference. */
const CI_WIDTH = 20;

export function formatComparison(c: Comparison): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  const rows = [
    `Held-out questions: ${c.questions}, answers: ${c.n}; 95% intervals from ${c.resamples} bootstrap resamples of questions`,
    `${'metric'.padEnd(10)}${['before', 'after', 'after-before'].map((h) => h.padStart(14)).join('')}${'95% CI'.padStart(CI_WIDTH)}`,
  ];
  for (const m of METRICS) {
    const i = c[m];
    rows.push(`${m.padEnd(10)}${[f(i.before), f(i.after), f(i.difference)].map((v) => v.padStart(14)).join('')}${`[${f(i.low)}, ${f(i.high)}]`.padStart(CI_WIDTH)}`);
  }
  return rows.join('\n');
}

const USAGE = 'usage: compare.js BEFORE.jsonl AFTER.jsonl [--resamples N] [--format text|json]';

export function main(argv: readonly string[]): number {
  const files: string[] = [];
  let resamples = 2000;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--resamples') {
      resamples = Number(argv[++i]);
      if (!Number.isInteger(resamples) || resamples < 1) {
        console.error(`--resamples needs a positive integer\n${USAGE}`);
        return 2;
      }
    } else if (arg === '--format') {
      const v = argv[++i];
      if (v !== 'json' && v !== 'text') {
        console.error(`unknown format "${v ?? ''}" (use text or json)\n${USAGE}`);
        return 2;
      }
      json = v === 'json';
    } else if (arg.startsWith('--')) {
      console.error(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  const [beforeFile, afterFile] = files;
  if (files.length !== 2 || !beforeFile || !afterFile) {
    console.error(USAGE);
    return 2;
  }
  let result: Comparison;
  try {
    result = compare(readScored(beforeFile), readScored(afterFile), resamples);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  console.log(formatComparison(result));
  if (json) console.log(JSON.stringify(result));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

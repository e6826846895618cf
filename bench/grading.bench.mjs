// Rules-grader agreement and speed on the SemEval-2013 calibration data (not part of npm test):
// `npm run bench:grading` (needs ../shared/eval/semeval2013-train.jsonl beside the project).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const file = process.argv[2] ?? '../shared/eval/semeval2013-train.jsonl';
if (!existsSync(file)) {
  console.log(`skipped: ${file} is not here (it ships with the shared folder, not with the project)`);
  process.exit(0);
}

/** The calibration command's JSON summary (its last line) for one split. */
function calibrate(split) {
  const run = spawnSync(process.execPath, ['dist/src/premium/assessments/calibration/calibrate.js', file, '--format', 'json', '--split', split], { encoding: 'utf8' });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exit(run.status ?? 1);
  }
  return JSON.parse(run.stdout.trim().split('\n').at(-1));
}

const f = (x) => (typeof x === 'number' ? x.toFixed(3) : String(x));
const r = calibrate('all');
console.log(`n=${r.n}  rules macro-F1 ${f(r.macro_f1)} vs overlap baseline ${f(r.baseline.macro_f1)} (2-fold by question)`);
for (const [corpus, c] of Object.entries(r.by_corpus ?? {})) {
  console.log(`  ${corpus}: rules ${f(c.macro_f1)} vs baseline ${f(c.baseline?.macro_f1)}`);
}
console.log(`Pearson ${f(r.pearson)} (baseline ${f(r.baseline.pearson)}), Spearman ${f(r.spearman)}, RMSE ${f(r.rmse)} (fractions of full marks)`);
const h = calibrate('heldout');
console.log(
  `held-out questions (n=${h.n}): Pearson ${f(h.pearson)} (baseline ${f(h.baseline.pearson)}), macro-F1 ${f(h.macro_f1)} (baseline ${f(h.baseline.macro_f1)}), threshold from the development questions`,
);
console.log(`rules grader: ${Math.round(r.answers_per_second)} answers/s on one core (first pass)`);

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureCommandOutput } from '../../../../test/support/command-output.js';
import { scoredRow } from '../../../../test/support/scored-row.js';
import { projectRoot } from '../../../common/paths/project-root.js';
import { calibrate, main, reportOn, type Scored } from './calibrate.js';
import { CalibrationInputError, parseCalibrationLines } from './calibration-data.js';

const FIXTURE = join(projectRoot(), 'test/fixtures/calibration-sample.jsonl');
const METRICS = ['pearson', 'spearman', 'rmse', 'accuracy', 'macro_f1'] as const;

function expectFiniteMetrics(m: Record<string, unknown>): void {
  for (const k of METRICS) {
    expect(typeof m[k]).toBe('number');
    expect(Number.isFinite(m[k])).toBe(true);
  }
}

describe('calibrate on the sample fixture', () => {
  const lines = parseCalibrationLines(readFileSync(FIXTURE, 'utf8'), FIXTURE);
  const report = calibrate(lines, { grader: 'rules' });

  it('reads every line of the fixture, some with their own rubric', () => {
    expect(lines.length).toBeGreaterThanOrEqual(40);
    expect(lines.some((l) => l.rubric)).toBe(true);
    expect(lines.some((l) => !l.rubric)).toBe(true);
  });

  it('reports the documented shape with finite metrics', () => {
    expect(Object.keys(report).sort()).toEqual(
      ['answers_per_second', 'baseline', 'by_corpus', 'grader', 'macro_f1', 'accuracy', 'n', 'pearson', 'rmse', 'spearman', 'split', 'threshold'].sort(),
    );
    expect(report.n).toBe(lines.length);
    expect(report.grader).toBe('rules');
    expect(report.split).toBe('all');
    expectFiniteMetrics(report);
    expectFiniteMetrics(report.baseline);
    expect(Number.isFinite(report.threshold)).toBe(true);
    expect(report.answers_per_second).toBeGreaterThan(0);
    expect(Object.keys(report.by_corpus).sort()).toEqual(['ml', 'science']);
    for (const corpus of Object.values(report.by_corpus)) {
      expectFiniteMetrics(corpus);
      expectFiniteMetrics(corpus.baseline);
    }
    expect(report.by_corpus.ml?.n).toBe(lines.filter((l) => l.qid.startsWith('ml:')).length);
  });

  it('beats the word-overlap baseline on macro-F1', () => {
    expect(report.macro_f1 ?? 0).toBeGreaterThan(report.baseline.macro_f1 ?? 1);
  });

  it('is deterministic apart from the timing', () => {
    const again = calibrate(lines);
    expect({ ...again, answers_per_second: 0 }).toEqual({ ...report, answers_per_second: 0 });
  });
});

describe('reportOn a split', () => {
  // x:2 and x:6 are held out, x:1 and x:3 are not (see split.spec.ts); the baseline as the prediction.
  const row = (qid: string, human: number, predicted: number): Scored => scoredRow(qid, human, predicted, predicted);
  const scored = [row('x:1', 0, 0.2), row('x:1', 1, 0.8), row('x:3', 0, 0.4), row('x:3', 1, 0.6), row('x:2', 1, 0.55), row('x:2', 0, 0.45), row('x:6', 1, 0.3), row('x:6', 0, 0.1)];

  it('measures the held-out questions with the threshold chosen on the development ones', () => {
    const r = reportOn(scored, 'heldout');
    expect(r.n).toBe(4);
    expect(r.threshold).toBeCloseTo(0.5, 12); // the dev answers separate at 0.5
    // predicted classes 1, 0, 0, 0 against 1, 0, 1, 0
    expect(r.accuracy).toBeCloseTo(0.75, 12);
    expect(r.macro_f1).toBeCloseTo((2 / 3 + 4 / 5) / 2, 12);
    // x̄ = 0.35, ȳ = 0.5: Σdxdy = 0.15, Σdx² = 0.115, Σdy² = 1
    expect(r.pearson).toBeCloseTo(0.15 / Math.sqrt(0.115), 12);
    expect(r.rmse).toBeCloseTo(Math.sqrt((0.45 ** 2 + 0.45 ** 2 + 0.7 ** 2 + 0.1 ** 2) / 4), 12);
  });

  it('measures only the development questions with dev, and everything with all', () => {
    expect(reportOn(scored, 'dev').n).toBe(4);
    expect(reportOn(scored, 'dev').pearson).toBeCloseTo(pearsonOf([0.2, 0.8, 0.4, 0.6], [0, 1, 0, 1]), 12);
    expect(reportOn(scored, 'all').n).toBe(8);
  });
});

/** Pearson by the textbook formula, independent of metrics.ts. */
function pearsonOf(x: number[], y: number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  const sxy = x.reduce((s, v, i) => s + (v - mx) * ((y[i] ?? 0) - my), 0);
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  const syy = y.reduce((s, v) => s + (v - my) ** 2, 0);
  return sxy / Math.sqrt(sxx * syy);
}

describe('parseCalibrationLines', () => {
  const good = JSON.stringify({ qid: 'x:1', question: 'q', reference: 'r', answer: 'a', score: 1, max_score: 1 });

  it('skips blank lines', () => {
    expect(parseCalibrationLines(`${good}\n\n${good}\n`)).toHaveLength(2);
  });

  it('names the line of malformed JSON', () => {
    expect(() => parseCalibrationLines(`${good}\n{not json`, 'f.jsonl')).toThrow(/^f\.jsonl: line 2: not valid JSON/);
  });

  it('names the line and field of an invalid record', () => {
    const bad = JSON.stringify({ qid: 'x:1', question: 'q', reference: 'r', answer: 'a', max_score: 1 });
    expect(() => parseCalibrationLines(`${good}\n${good}\n${bad}`)).toThrow(CalibrationInputError);
    expect(() => parseCalibrationLines(`${good}\n${good}\n${bad}`)).toThrow(/line 3: invalid record at score/);
  });

  it('rejects a score above max_score', () => {
    const over = JSON.stringify({ qid: 'x:1', question: 'q', reference: 'r', answer: 'a', score: 2, max_score: 1 });
    expect(() => parseCalibrationLines(over)).toThrow(/line 1: score 2 exceeds max_score 1/);
  });
});

describe('the command', () => {
  const captured = captureCommandOutput('calibrate-');

  it('prints a report and, with --format json, a JSON object as its last line', () => {
    expect(main([FIXTURE, '--grader', 'rules', '--format', 'json'])).toBe(0);
    expect(captured.out[0]).toMatch(/overlap baseline/);
    const last = JSON.parse(captured.out[captured.out.length - 1] ?? '');
    expect(last.grader).toBe('rules');
    expect(last.baseline).toHaveProperty('macro_f1');
    expect(last.by_corpus).toHaveProperty('science');
  });

  it('with --split heldout reports the held-out questions and writes one prediction per answer', () => {
    const predictions = join(captured.dir, 'predictions.jsonl');
    expect(main([FIXTURE, '--split', 'heldout', '--predictions', predictions, '--format', 'json'])).toBe(0);
    const last = JSON.parse(captured.out[captured.out.length - 1] ?? '');
    expect(last.split).toBe('heldout');
    const rows = readFileSync(predictions, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Scored);
    const lines = parseCalibrationLines(readFileSync(FIXTURE, 'utf8'));
    expect(rows).toHaveLength(lines.length);
    expect(rows.map((r) => r.qid)).toEqual(lines.map((l) => l.qid));
    expect(last.n).toBe(rows.filter((r) => r.heldout).length);
    expect(captured.out.join('\n')).toMatch(/threshold tuned on the development questions/);
  });

  it('says the llm grader is not available and exits 2', () => {
    expect(main([FIXTURE, '--grader', 'llm'])).toBe(2);
    expect(captured.err[0]).toMatch(/not available in this build/);
  });

  it('exits 1 on a missing file', () => {
    expect(main([join(captured.dir, 'nope.jsonl')])).toBe(1);
    expect(captured.err[0]).toMatch(/nope\.jsonl: no such file/);
  });

  it('exits 1 on a malformed line, naming it', () => {
    const file = join(captured.dir, 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify({ qid: 'x:1', question: 'q', reference: 'r', answer: 'a', score: 0, max_score: 1 })}\n[1, 2\n`);
    expect(main([file])).toBe(1);
    expect(captured.err[0]).toMatch(/line 2/);
  });

  it('exits 2 on bad usage', () => {
    expect(main([])).toBe(2);
    expect(main([FIXTURE, '--format', 'xml'])).toBe(2);
    expect(main([FIXTURE, '--grader', 'magic'])).toBe(2);
    expect(main([FIXTURE, '--split', 'test'])).toBe(2);
    expect(captured.err.some((e) => /unknown split "test"/.test(e))).toBe(true);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureCommandOutput } from '../../../../test/support/command-output.js';
import { scoredRow } from '../../../../test/support/scored-row.js';
import type { Scored } from './calibrate.js';
import { compare, formatComparison, main, type Interval } from './compare.js';

// x:2 and x:6 are held out (see split.spec.ts); x:1 and x:3 are development questions. Baseline 0.
const row = (qid: string, human: number, predicted: number): Scored => scoredRow(qid, human, predicted, 0);
const dev = [row('x:1', 0, 0.2), row('x:1', 1, 0.8), row('x:3', 0, 0.4), row('x:3', 1, 0.6)];
const before = [...dev, row('x:2', 1, 0.55), row('x:2', 0, 0.45), row('x:6', 1, 0.3), row('x:6', 0, 0.1)];
// After: the held-out answers scored exactly as the humans did.
const after = [...dev, row('x:2', 1, 1), row('x:2', 0, 0), row('x:6', 1, 1), row('x:6', 0, 0)];

describe('compare', () => {
  const c = compare(before, after, 500);

  it('measures both graders on the held-out answers only, thresholds from the development ones', () => {
    expect(c.n).toBe(4);
    expect(c.questions).toBe(2);
    // before: x̄ = 0.35, ȳ = 0.5, Σdxdy = 0.15, Σdx² = 0.115 (as in calibrate.spec.ts)
    expect(c.pearson.before).toBeCloseTo(0.15 / Math.sqrt(0.115), 12);
    expect(c.pearson.after).toBeCloseTo(1, 12);
    // threshold 0.5: before predicts 1, 0, 0, 0 against 1, 0, 1, 0
    expect(c.macro_f1.before).toBeCloseTo((2 / 3 + 4 / 5) / 2, 12);
    expect(c.macro_f1.after).toBeCloseTo(1, 12);
    expect(c.macro_f1.difference).toBeCloseTo(1 - (2 / 3 + 4 / 5) / 2, 12);
  });

  it('bootstraps by question: the interval spans what resampled question sets can give', () => {
    // A resample of {x:2, x:2} or {x:6, x:6} ranks perfectly before and after (difference 0);
    // {x:2, x:6} gives the full-sample difference. Nothing else can occur.
    expect(c.pearson.low).toBeCloseTo(0, 12);
    expect(c.pearson.high).toBeCloseTo(1 - 0.15 / Math.sqrt(0.115), 12);
    // macro-F1 of {x:6, x:6} before: classes 0,0,0,0 against 1,0,1,0 → (0 + 2/3) / 2
    expect(c.macro_f1.high).toBeCloseTo(1 - 1 / 3, 12);
    expect(c.macro_f1.low).toBeCloseTo(0, 12);
  });

  it('gives a zero difference for identical predictions', () => {
    const same = compare(before, before, 200);
    for (const m of ['pearson', 'spearman', 'rmse', 'macro_f1'] as const) {
      expect(same[m].difference).toBe(0);
      expect([same[m].low, same[m].high]).toEqual([0, 0]);
    }
  });

  it('is deterministic (seeded resampling)', () => {
    expect(compare(before, after, 500)).toEqual(c);
  });

  it('refuses predictions of different data', () => {
    expect(() => compare(before, after.slice(1))).toThrow(/differ in length/);
    expect(() => compare(before, [...after.slice(0, 7), row('x:9', 0, 0)])).toThrow(/answer 8 differs/);
  });
});

describe('the compare command', () => {
  const captured = captureCommandOutput('compare-');

  it('keeps a space between the difference and an interval with two negative ends', () => {
    const i: Interval = { before: 0.49, after: 0.489, difference: -0.001, low: -0.009, high: -0.002 };
    const table = formatComparison({ n: 10, questions: 2, resamples: 100, pearson: i, spearman: i, rmse: i, macro_f1: i });
    const pearsonRow = table.split('\n').find((l) => l.startsWith('pearson')) ?? '';
    expect(pearsonRow.trim().split(/\s+/)).toEqual(['pearson', '0.490', '0.489', '-0.001', '[-0.009,', '-0.002]']);
  });

  it('reads two prediction files and prints the table and a JSON line', () => {
    const a = join(captured.dir, 'a.jsonl');
    const b = join(captured.dir, 'b.jsonl');
    writeFileSync(a, before.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(b, after.map((r) => JSON.stringify(r)).join('\n'));
    expect(main([a, b, '--resamples', '100', '--format', 'json'])).toBe(0);
    expect(captured.out[0]).toMatch(/Held-out questions: 2, answers: 4/);
    expect(JSON.parse(captured.out[captured.out.length - 1] ?? '').macro_f1.after).toBe(1);
  });

  it('exits 2 on bad usage and 1 on mismatched files', () => {
    expect(main([])).toBe(2);
    expect(main(['a', 'b', '--resamples', '0'])).toBe(2);
    const a = join(captured.dir, 'a.jsonl');
    const b = join(captured.dir, 'b.jsonl');
    writeFileSync(a, before.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(b, after.slice(1).map((r) => JSON.stringify(r)).join('\n'));
    expect(main([a, b])).toBe(1);
    expect(captured.err[captured.err.length - 1]).toMatch(/differ in length/);
  });
});

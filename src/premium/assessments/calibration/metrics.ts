/**
 * Agreement metrics between predicted and human scores. Undefined values (correlation of a constant
 * series, metrics of an empty series) are NaN rather than a made-up number.
 */

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function assertSameLength(a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new Error(`series differ in length (${a.length} vs ${b.length})`);
}

export function pearson(x: readonly number[], y: readonly number[]): number {
  assertSameLength(x, y);
  if (x.length < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = (x[i] ?? 0) - mx;
    const dy = (y[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const ranks = new Array<number>(xs.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.x === order[start]?.x) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]?.i ?? 0] = rank;
    start = end + 1;
  }
  return ranks;
}

export function spearman(x: readonly number[], y: readonly number[]): number {
  assertSameLength(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

export function rmse(predicted: readonly number[], actual: readonly number[]): number {
  assertSameLength(predicted, actual);
  if (predicted.length === 0) return NaN;
  return Math.sqrt(mean(predicted.map((p, i) => (p - (actual[i] ?? 0)) ** 2)));
}

export function accuracy(predicted: readonly (0 | 1)[], actual: readonly (0 | 1)[]): number {
  assertSameLength(predicted, actual);
  if (predicted.length === 0) return NaN;
  return predicted.filter((p, i) => p === actual[i]).length / predicted.length;
}

function f1For(label: 0 | 1, predicted: readonly (0 | 1)[], actual: readonly (0 | 1)[]): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] === label;
    const a = actual[i] === label;
    if (p && a) tp++;
    else if (p) fp++;
    else if (a) fn++;
  }
  // A class never predicted nor present scores 0, as scikit-learn's default does.
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Mean of the F1 of class 1 and the F1 of class 0. */
export function macroF1(predicted: readonly (0 | 1)[], actual: readonly (0 | 1)[]): number {
  assertSameLength(predicted, actual);
  if (predicted.length === 0) return NaN;
  return (f1For(1, predicted, actual) + f1For(0, predicted, actual)) / 2;
}

export function binarize(scores: readonly number[], threshold: number): (0 | 1)[] {
  return scores.map((s) => (s >= threshold ? 1 : 0));
}

/**
 * The cut-off (predict 1 when score ≥ threshold) that maximises macro-F1 on the given data.
 * Candidates lie midway between neighbouring distinct scores, so the cut does not sit on a value
 * seen in training. When several cut-offs tie, the middle one is taken: it is the least tied to
 * the particular training answers, and the choice stays deterministic.
 */
export function chooseThreshold(scores: readonly number[], actual: readonly (0 | 1)[]): number {
  assertSameLength(scores, actual);
  const values = [...new Set(scores)].sort((a, b) => a - b);
  if (values.length === 0) return 0.5;
  const candidates = [(values[0] ?? 0) - 0.5];
  for (let i = 1; i < values.length; i++) candidates.push(((values[i - 1] ?? 0) + (values[i] ?? 0)) / 2);
  candidates.push((values[values.length - 1] ?? 0) + 0.5);
  const f1s = candidates.map((t) => macroF1(binarize(scores, t), actual));
  const bestF1 = Math.max(...f1s);
  const best = candidates.filter((_, i) => (f1s[i] ?? -1) >= bestF1 - 1e-12);
  return best[Math.floor((best.length - 1) / 2)] ?? 0.5;
}

/**
 * L2-regularised logistic regression fitted by Newton's method, for the rules grader's learned
 * combination. Hand-written on purpose: about ten features and a few thousand rows need forty lines,
 * and this keeps the fit exact, deterministic and free of a numerical dependency.
 */

export type LogisticModel = { intercept: number; weights: number[] };

/** Solves A x = b by Gaussian elimination with partial pivoting (A small, symmetric positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f !== 0) for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predictLogistic(model: LogisticModel, x: readonly number[]): number {
  let z = model.intercept;
  model.weights.forEach((w, j) => (z += w * (x[j] ?? 0)));
  return sigmoid(z);
}

/**
 * Fits P(y = 1 | x) on rows `x` with labels `y` in [0, 1]; `l2` penalises the weights (not the
 * intercept). Features should be on comparable scales (see `standardize`) for the penalty to be fair.
 */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly number[], l2 = 1, maxIterations = 100): LogisticModel {
  const d = (x[0]?.length ?? 0) + 1;
  const w = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    x.forEach((row, i) => {
      const v = [1, ...row];
      const p = sigmoid(v.reduce((s, xj, j) => s + (w[j] ?? 0) * xj, 0));
      const e = p - (y[i] ?? 0);
      const s = p * (1 - p);
      for (let j = 0; j < d; j++) {
        gradient[j]! += e * v[j]!;
        for (let k = 0; k < d; k++) hessian[j]![k]! += s * v[j]! * v[k]!;
      }
    });
    for (let j = 1; j < d; j++) {
      gradient[j]! += l2 * w[j]!;
      hessian[j]![j]! += l2;
    }
    const step = solve(hessian, gradient);
    let largest = 0;
    step.forEach((s, j) => {
      w[j]! -= s;
      largest = Math.max(largest, Math.abs(s));
    });
    if (largest < 1e-10) break;
  }
  return { intercept: w[0] ?? 0, weights: w.slice(1) };
}

export type Scaling = { mean: number[]; sd: number[] };

/** Mean and standard deviation of each column (sd 1 for a constant column). */
export function scaling(x: readonly (readonly number[])[]): Scaling {
  const d = x[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, row) => s + (row[j] ?? 0), 0) / x.length);
  const sd = mean.map((m, j) => Math.sqrt(x.reduce((s, row) => s + ((row[j] ?? 0) - m) ** 2, 0) / x.length) || 1);
  return { mean, sd };
}

export function standardize(row: readonly number[], s: Scaling): number[] {
  return row.map((v, j) => (v - (s.mean[j] ?? 0)) / (s.sd[j] ?? 1));
}

/** The same model on unscaled features: what a caller without the scaling applies. */
export function unscale(model: LogisticModel, s: Scaling): LogisticModel {
  const weights = model.weights.map((w, j) => w / (s.sd[j] ?? 1));
  const intercept = model.intercept - weights.reduce((acc, w, j) => acc + w * (s.mean[j] ?? 0), 0);
  return { intercept, weights };
}

/** Fits on standardised features and returns the model for unscaled ones. */
export function fitScaled(x: readonly (readonly number[])[], y: readonly number[], l2 = 1): LogisticModel {
  const s = scaling(x);
  return unscale(
    fitLogistic(
      x.map((row) => standardize(row, s)),
      y,
      l2,
    ),
    s,
  );
}

import { fitLogistic, fitScaled, predictLogistic, scaling, standardize, unscale } from './logistic.js';

describe('fitLogistic', () => {
  it('recovers the closed-form fit of one binary feature without a penalty', () => {
    // P(y|x=0) = 1/4 and P(y|x=1) = 3/4 in the data, so intercept = ln(1/3) and weight = ln 9.
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const m = fitLogistic(x, y, 0);
    expect(m.intercept).toBeCloseTo(Math.log(1 / 3), 8);
    expect(m.weights[0]).toBeCloseTo(Math.log(9), 8);
    expect(predictLogistic(m, [0])).toBeCloseTo(0.25, 8);
    expect(predictLogistic(m, [1])).toBeCloseTo(0.75, 8);
  });

  it('shrinks weights towards zero as the penalty grows', () => {
    const x = [[0], [0], [1], [1]];
    const y = [0, 0, 1, 0];
    const w = (l2: number) => Math.abs(fitLogistic(x, y, l2).weights[0] ?? 0);
    expect(w(10)).toBeLessThan(w(1));
    expect(w(1)).toBeLessThan(w(0.01));
  });
});

describe('scaling', () => {
  it('standardises columns and maps a scaled model back onto raw features', () => {
    const x = [
      [1, 10],
      [3, 10],
    ];
    const s = scaling(x);
    expect(s).toEqual({ mean: [2, 10], sd: [1, 1] }); // a constant column keeps sd 1
    expect(standardize([3, 12], s)).toEqual([1, 2]);
    // z = 0.5 + 2 (x1 - 2) + 1 (x2 - 10) = -13.5 + 2 x1 + x2
    expect(unscale({ intercept: 0.5, weights: [2, 1] }, s)).toEqual({ intercept: -13.5, weights: [2, 1] });
  });

  it('fits the same probabilities on raw features as on standardised ones', () => {
    const x = [[0], [0], [0], [0], [100], [100], [100], [100]];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const m = fitScaled(x, y, 0);
    expect(predictLogistic(m, [0])).toBeCloseTo(0.25, 6);
    expect(predictLogistic(m, [100])).toBeCloseTo(0.75, 6);
  });
});

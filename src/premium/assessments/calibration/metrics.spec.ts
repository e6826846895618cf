import { accuracy, averageRanks, binarize, chooseThreshold, macroF1, pearson, rmse, spearman } from './metrics.js';

describe('pearson', () => {
  it('is 1 and -1 for exact linear relations', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('matches a hand computation', () => {
    // Σdxdy = 2.25 - 0.25 - 0.25 + 2.25 = 4, Σdx² = Σdy² = 5 → 0.8
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
  });

  it('is NaN when a series is constant or too short', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
  });

  it('refuses series of different lengths', () => {
    expect(() => pearson([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('spearman', () => {
  it('averages the ranks of ties', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 1, 2])).toEqual([3, 1, 2]);
  });

  it('matches a hand computation with a tie', () => {
    // ranks x = [1, 2.5, 2.5, 4], y = [1, 2, 3, 4]: Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5 → 4.5 / √22.5
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
  });

  it('is 1 for any monotone relation', () => {
    expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
  });
});

describe('rmse', () => {
  it('matches a hand computation', () => {
    expect(rmse([0, 1, 1], [0, 0, 1])).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(rmse([0.5, 0.5], [0, 1])).toBeCloseTo(0.5, 12);
  });
});

describe('accuracy and macro-F1', () => {
  const predicted = [1, 0, 1, 1] as const;
  const actual = [1, 0, 0, 1] as const;

  it('computes accuracy', () => {
    expect(accuracy([...predicted], [...actual])).toBe(0.75);
  });

  it('averages the F1 of both classes', () => {
    // class 1: tp 2, fp 1, fn 0 → 4/5; class 0: tp 1, fp 0, fn 1 → 2/3
    expect(macroF1([...predicted], [...actual])).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
  });

  it('scores a class that is never predicted as 0', () => {
    expect(macroF1([1, 1], [1, 0])).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });
});

describe('chooseThreshold', () => {
  it('cuts between the classes when they separate', () => {
    expect(chooseThreshold([0.1, 0.4, 0.6, 0.9], [0, 0, 1, 1])).toBeCloseTo(0.5, 12);
  });

  it('picks the best macro-F1 cut when they overlap', () => {
    const scores = [0.1, 0.2, 0.3, 0.6, 0.5, 0.7, 0.8];
    const labels = [0, 0, 0, 0, 1, 1, 1] as const;
    const t = chooseThreshold(scores, [...labels]);
    expect(t).toBeCloseTo(0.4, 12); // macro-F1 6/7 there; 0.65 gives (4/5 + 8/9) / 2
    expect(binarize(scores, t)).toEqual([0, 0, 0, 1, 1, 1, 1]);
  });

  it('takes the middle of tied cuts (the lower of two)', () => {
    // Cuts at 0.3 and 0.7 both give macro-F1 (4/5 + 2/3) / 2; 0.5 gives only 0.5.
    expect(chooseThreshold([0.2, 0.4, 0.6, 0.8], [0, 1, 0, 1])).toBeCloseTo(0.3, 12);
    // All labels 1: only the cut below every score predicts them all.
    expect(chooseThreshold([0.2, 0.4], [1, 1])).toBeCloseTo(-0.3, 12);
  });
});

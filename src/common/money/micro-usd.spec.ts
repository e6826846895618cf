import { divideMicro, formatUsd, microToUsd, parseUsd, sqlSumMicroUsd, trimDecimal } from './micro-usd.js';

describe('parseUsd and formatUsd', () => {
  it.each([
    [1_234_567, '1.234567'],
    [5, '0.000005'],
    [0, '0.000000'],
    [2_000_000, '2.000000'],
    [-5, '-0.000005'],
    [Number.MAX_SAFE_INTEGER, '9007199254.740991'],
  ])('%i µ$ <-> "%s"', (micro, text) => {
    expect(formatUsd(micro)).toBe(text);
    expect(parseUsd(text)).toBe(micro);
  });

  it('reads shorter forms as PostgreSQL may print them', () => {
    expect(parseUsd('1.5')).toBe(1_500_000);
    expect(parseUsd('42')).toBe(42_000_000);
    expect(parseUsd('0.1')).toBe(100_000);
    expect(Object.is(parseUsd('-0.000000'), 0)).toBe(true);
  });

  it.each(['1.2345678', '0.0000001', '', 'abc', '1e3', '1.', '.5', ' 1.0', '1,5', '+1', 'NaN', 'Infinity', '9007199254.740992'])(
    'parseUsd rejects %j',
    (text) => {
      expect(() => parseUsd(text)).toThrow(RangeError);
    },
  );

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('formatUsd and microToUsd reject %p', (micro) => {
    expect(() => formatUsd(micro)).toThrow(RangeError);
    expect(() => microToUsd(micro)).toThrow(RangeError);
  });
});

describe('microToUsd', () => {
  it.each([
    [1_234_567, 1.234567],
    [1, 0.000001],
    [0, 0],
    [-250_000, -0.25],
    [102_000_000, 102],
  ])('%i µ$ -> %p', (micro, dollars) => {
    expect(microToUsd(micro)).toBe(dollars);
  });
});

describe('divideMicro (half-up to a whole micro-dollar)', () => {
  it.each([
    [10, 4, 3], // 2.5 -> 3
    [9, 4, 2], // 2.25 -> 2
    [11, 4, 3], // 2.75 -> 3
    [7, 2, 4], // 3.5 -> 4
    [1, 3, 0], // 0.33 -> 0
    [2, 3, 1], // 0.67 -> 1
    [102_000_000, 3750, 27_200],
    [0, 5, 0],
    [5, 0, 0],
    [-10, 4, -2], // -2.5 -> -2 (half-up, toward +∞)
    [-11, 4, -3], // -2.75 -> -3
  ])('%i ÷ %i = %i', (micro, n, share) => {
    expect(divideMicro(micro, n)).toBe(share);
  });

  it('rejects a count that is not a non-negative integer', () => {
    expect(() => divideMicro(10, -1)).toThrow(RangeError);
    expect(() => divideMicro(10, 1.5)).toThrow(RangeError);
  });
});

describe('trimDecimal', () => {
  it.each([
    ['0.500000', 2, '0.50'],
    ['12.500000', 0, '12.5'],
    ['12.000000', 0, '12'],
    ['3', 2, '3.00'],
    ['0.123456', 2, '0.123456'],
  ])('(%j, %i) -> %j', (text, min, out) => {
    expect(trimDecimal(text, min)).toBe(out);
  });
});

describe('sqlSumMicroUsd', () => {
  it('sums a numeric dollar column as bigint micro-dollar text', () => {
    expect(sqlSumMicroUsd('l.cost_usd')).toBe('(coalesce(sum(l.cost_usd), 0) * 1000000)::bigint::text');
  });
});

/** The dashboard's formatters, the same module files the browser loads (public/admin/js/format.js). */
import { compact, dayLabel, dayLong, formatDateTime, int, labelOf, money, ms, num, pct, truncate, usd, usdAxis } from '../../../public/admin/js/format.js';

describe('dashboard formatters', () => {
  it('num reads numbers and numeric strings, and nothing else', () => {
    expect([num(3), num('0.25'), num(' 7 '), num(-0.5)]).toEqual([3, 0.25, 7, -0.5]);
    expect([num(''), num('  '), num('abc'), num(null), num(undefined), num(NaN), num(Infinity), num({}), num(true)]).toEqual([
      null, null, null, null, null, null, null, null, null,
    ]);
  });

  it('usd: cents from a dollar up, four digits down to a ten-thousandth, six below', () => {
    expect(usd(0)).toBe('$0.00');
    expect(usd(1)).toBe('$1.00');
    expect(usd(1234.5)).toBe('$1,234.50');
    expect(usd(1.239)).toBe('$1.24');
    expect(usd(0.5)).toBe('$0.50');
    expect(usd(0.0272)).toBe('$0.0272');
    expect(usd(0.00345)).toBe('$0.0035');
    expect(usd(0.0001)).toBe('$0.0001');
    expect(usd(0.000042)).toBe('$0.000042');
    expect(usd(0.0000004)).toBe('$0.00');
    expect(usd(-0.004)).toBe('-$0.004');
    expect(usd('0.150004')).toBe('$0.15');
    expect(usd(null)).toBe('–');
  });

  it('money: totals to the cent, unless under a cent', () => {
    expect(money(0)).toBe('$0.00');
    expect(money(0.01)).toBe('$0.01');
    expect(money(0.6)).toBe('$0.60');
    expect(money(0.666)).toBe('$0.67');
    expect(money(247.5)).toBe('$247.50');
    expect(money(12345678.9)).toBe('$12,345,678.90');
    expect(money(0.009)).toBe('$0.009');
    expect(money(0.000014)).toBe('$0.000014');
    expect(money('x')).toBe('–');
  });

  it('usdAxis: compact dollars from a thousand up, blank for no value', () => {
    expect(usdAxis(0)).toBe('$0.00');
    expect(usdAxis(0.5)).toBe('$0.50');
    expect(usdAxis(999)).toBe('$999.00');
    expect(usdAxis(1000)).toBe('$1K');
    expect(usdAxis(2500)).toBe('$2.5K');
    expect(usdAxis(3_400_000)).toBe('$3.4M');
    expect(usdAxis(undefined)).toBe('');
  });

  it('int and compact', () => {
    expect(int(0)).toBe('0');
    expect(int(11250)).toBe('11,250');
    expect(int('42')).toBe('42');
    expect(int(null)).toBe('–');
    expect(compact(950)).toBe('950');
    expect(compact(1200)).toBe('1.2K');
    expect(compact(4_100_000)).toBe('4.1M');
    expect(compact(undefined)).toBe('–');
  });

  it('pct: a rate as a percentage with one decimal', () => {
    expect(pct(0)).toBe('0.0%');
    expect(pct(0.05)).toBe('5.0%');
    expect(pct(0.4217)).toBe('42.2%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(null)).toBe('–');
  });

  it('ms: milliseconds below a second, seconds from there', () => {
    expect(ms(0)).toBe('0 ms');
    expect(ms(12.4)).toBe('12 ms');
    expect(ms(999.6)).toBe('1000 ms');
    expect(ms(1000)).toBe('1.00 s');
    expect(ms(1234)).toBe('1.23 s');
    expect(ms(null)).toBe('–');
  });

  it('dates in UTC: day labels, a full day, an instant with its zone', () => {
    expect(dayLabel('2026-03-05')).toBe('Mar 5');
    expect(dayLabel('2026-12-31')).toBe('Dec 31');
    expect(dayLong('2026-03-05')).toBe('Thu, Mar 5, 2026');
    expect(formatDateTime('2026-11-22T09:05:00.000Z')).toBe('Nov 22, 2026, 09:05 UTC');
    expect(formatDateTime('2026-11-22T23:59:00+02:00')).toBe('Nov 22, 2026, 21:59 UTC');
    expect(formatDateTime('2026-11-22T00:05:00Z')).toBe('Nov 22, 2026, 00:05 UTC');
    expect(formatDateTime('not a date')).toBe('not a date');
    expect(formatDateTime(null)).toBe('');
  });

  it('truncate and labelOf', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('exactly10!', 10)).toBe('exactly10!');
    expect(truncate('<script>window.__pwned=1</script>', 26)).toBe('<script>window.__pwned=1<…');
    expect(truncate(12345, 3)).toBe('12…');
    expect(labelOf('adaptive_paths', '(none)')).toBe('adaptive_paths');
    expect(labelOf(0, '(none)')).toBe('0');
    expect([labelOf('', 'x'), labelOf(null, 'x'), labelOf(undefined, 'x')]).toEqual(['x', 'x', 'x']);
  });
});

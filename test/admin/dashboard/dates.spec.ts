/** The dashboard's date ranges (public/admin/js/dates.js): inclusive UTC days, as the API reads them. */
import { addDays, daysInRange, isoDay, lastDays, parseDay, today, withinOneMonth } from '../../../public/admin/js/dates.js';

describe('dashboard dates', () => {
  it('parses real YYYY-MM-DD days only, at UTC midnight', () => {
    expect(parseDay('2026-03-05')?.toISOString()).toBe('2026-03-05T00:00:00.000Z');
    expect(parseDay('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-3-5', '05/03/2026', '', '2026-03-05T00:00:00Z']) expect(parseDay(bad)).toBeNull();
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
    expect(() => addDays('nope', 1)).toThrow(RangeError);
  });

  it('today is the UTC date, whatever the local clock says', () => {
    expect(today(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11-30');
    expect(today(new Date('2026-12-01T00:00:00.000Z'))).toBe('2026-12-01');
    expect(isoDay(new Date(Date.UTC(2026, 0, 9)))).toBe('2026-01-09');
  });

  it('the last n days end on the given day, both ends included', () => {
    expect(lastDays(1, '2026-03-05')).toEqual({ start: '2026-03-05', end: '2026-03-05' });
    expect(lastDays(7, '2026-03-05')).toEqual({ start: '2026-02-27', end: '2026-03-05' });
    expect(lastDays(30, '2026-03-29')).toEqual({ start: '2026-02-28', end: '2026-03-29' });
    expect(lastDays(365, '2026-12-31')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
  });

  it('lists every day of a range, inclusive', () => {
    expect(daysInRange('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysInRange('2026-03-05', '2026-03-05')).toEqual(['2026-03-05']);
    expect(daysInRange('2026-03-06', '2026-03-05')).toEqual([]);
    expect(daysInRange('2026-01-01', '2026-12-31')).toHaveLength(365);
    expect(daysInRange('bad', '2026-03-05')).toEqual([]);
  });

  it('knows a range within one calendar month', () => {
    expect(withinOneMonth('2026-03-01', '2026-03-31')).toBe(true);
    expect(withinOneMonth('2026-02-28', '2026-03-01')).toBe(false);
    expect(withinOneMonth('2025-03-01', '2026-03-31')).toBe(false);
  });
});

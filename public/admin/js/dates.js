/*
 * Date ranges as the API reads them: inclusive UTC calendar days, written YYYY-MM-DD.
 */

export const DAY_MS = 86_400_000;

/**
 * @param {Date} date
 * @returns {string}
 */
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/**
 * The day's UTC midnight, or null for anything but a real YYYY-MM-DD day.
 * @param {string} day
 * @returns {Date | null}
 */
export function parseDay(day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const date = new Date(day + 'T00:00:00Z');
  return Number.isNaN(date.getTime()) || isoDay(date) !== day ? null : date;
}

/**
 * @param {string} day
 * @param {number} n
 * @returns {string}
 */
export function addDays(day, n) {
  const date = parseDay(day);
  if (!date) throw new RangeError('not a day: ' + day);
  return isoDay(new Date(date.getTime() + n * DAY_MS));
}

/**
 * Today in UTC.
 * @param {Date} [now]
 * @returns {string}
 */
export function today(now = new Date()) {
  return isoDay(now);
}

/**
 * The last `days` days up to and including `end`.
 * @param {number} days
 * @param {string} end
 * @returns {{ start: string, end: string }}
 */
export function lastDays(days, end) {
  return { start: addDays(end, -(days - 1)), end };
}

/**
 * Every day from start to end, both included.
 * @param {string} start
 * @param {string} end
 * @returns {string[]}
 */
export function daysInRange(start, end) {
  const first = parseDay(start);
  const last = parseDay(end);
  if (!first || !last) return [];
  const days = [];
  for (let t = first.getTime(); t <= last.getTime(); t += DAY_MS) days.push(isoDay(new Date(t)));
  return days;
}

/**
 * Whether the range lies within one calendar month (UTC).
 * @param {string} start
 * @param {string} end
 * @returns {boolean}
 */
export function withinOneMonth(start, end) {
  return start.slice(0, 7) === end.slice(0, 7);
}

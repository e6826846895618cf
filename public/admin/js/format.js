/*
 * How the dashboard writes numbers, money, rates, durations and dates: pure functions, shared by
 * the page and by the tests that check it (test/admin/dashboard/). en-US, dates in UTC as the API
 * reads them. A value that is not a finite number is written as a dash.
 */

/**
 * A finite number from an API value (numbers, or numeric strings), else null.
 * @param {unknown} value
 * @returns {number | null}
 */
export function num(value) {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

const DASH = '–';
const intFormat = new Intl.NumberFormat('en-US');
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const usdCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdDigits = [2, 4, 6].map(
  (digits) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: digits }),
);
const dayShort = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayFull = new Intl.DateTimeFormat('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  // h23: midnight is 00:05, where hour12: false writes 24:05.
  hourCycle: 'h23',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

/**
 * Dollars: cents from a dollar up, more digits below so small per-request costs stay readable.
 * @param {unknown} value
 * @returns {string}
 */
export function usd(value) {
  const n = num(value);
  if (n === null) return DASH;
  const abs = Math.abs(n);
  const format = abs >= 1 || abs === 0 ? usdDigits[0] : abs >= 0.0001 ? usdDigits[1] : usdDigits[2];
  return format.format(n);
}

/**
 * Dollar totals: cents, unless the amount is under a cent.
 * @param {unknown} value
 * @returns {string}
 */
export function money(value) {
  const n = num(value);
  if (n === null) return DASH;
  return Math.abs(n) >= 0.01 || n === 0 ? usdCents.format(n) : usd(n);
}

/**
 * A chart axis tick in dollars: compact from a thousand up.
 * @param {unknown} value
 * @returns {string}
 */
export function usdAxis(value) {
  const n = num(value);
  if (n === null) return '';
  return Math.abs(n) >= 1000 ? '$' + compactFormat.format(n) : money(n);
}

/**
 * @param {unknown} value
 * @returns {string}
 */
export function int(value) {
  const n = num(value);
  return n === null ? DASH : intFormat.format(n);
}

/**
 * @param {unknown} value
 * @returns {string}
 */
export function compact(value) {
  const n = num(value);
  return n === null ? DASH : compactFormat.format(n);
}

/**
 * A rate (0.123) as a percentage with one decimal (12.3%).
 * @param {unknown} value
 * @returns {string}
 */
export function pct(value) {
  const n = num(value);
  return n === null ? DASH : (n * 100).toFixed(1) + '%';
}

/**
 * A latency: milliseconds below a second, seconds with two decimals from there.
 * @param {unknown} value
 * @returns {string}
 */
export function ms(value) {
  const n = num(value);
  if (n === null) return DASH;
  return n >= 1000 ? (n / 1000).toFixed(2) + ' s' : Math.round(n) + ' ms';
}

/**
 * An ISO instant as a UTC date and time; anything unparseable as it came.
 * @param {unknown} value
 * @returns {string}
 */
export function formatDateTime(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = new Date(/** @type {string} */ (value));
  return Number.isNaN(d.getTime()) ? String(value) : dateTime.format(d);
}

/**
 * A UTC day (YYYY-MM-DD) for an axis: "Mar 5".
 * @param {string} day
 * @returns {string}
 */
export function dayLabel(day) {
  return dayShort.format(new Date(day + 'T00:00:00Z'));
}

/**
 * A UTC day in full: "Thu, Mar 5, 2026".
 * @param {string} day
 * @returns {string}
 */
export function dayLong(day) {
  return dayFull.format(new Date(day + 'T00:00:00Z'));
}

/**
 * At most `max` characters, an ellipsis standing for the rest.
 * @param {unknown} text
 * @param {number} max
 * @returns {string}
 */
export function truncate(text, max) {
  const s = String(text);
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * An API string for display, or `fallback` when it is missing or empty.
 * @param {unknown} value
 * @param {string} fallback
 * @returns {string}
 */
export function labelOf(value, fallback) {
  return value === null || value === undefined || value === '' ? fallback : String(value);
}

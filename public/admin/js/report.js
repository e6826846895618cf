/*
 * What the panels show, read from the API's answers: pure functions, no page access. Every
 * judgement (who is over the cost threshold, when the failure rate warns) is the API's rule with
 * the API's numbers; nothing here has a threshold of its own.
 */
import { labelOf, num } from './format.js';

/**
 * A report's breakdown rows (`breakdown_by_<group>`), or none.
 * @param {any} report
 * @param {string} group
 * @returns {any[]}
 */
export function breakdown(report, group) {
  const list = report && report['breakdown_by_' + group];
  return Array.isArray(list) ? list : [];
}

/**
 * The months in which the API counts this student over the cost threshold (empty: not over).
 * @param {any} row a `breakdown_by_student` row
 * @returns {string[]}
 */
export function monthsOver(row) {
  return row && Array.isArray(row.over_threshold_months) ? row.over_threshold_months.map(String) : [];
}

/**
 * @param {any} row a `breakdown_by_student` row
 * @returns {boolean}
 */
export function isOver(row) {
  return monthsOver(row).length > 0;
}

/**
 * The `n` rows that cost most, most first (the API's order among equals).
 * @param {any[]} rows
 * @param {number} n
 * @returns {any[]}
 */
export function topByCost(rows, n) {
  return rows
    .map((row, i) => ({ row, i, cost: num(row.total_cost_usd) ?? 0 }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i)
    .slice(0, n)
    .map((x) => x.row);
}

/**
 * Whether failed calls reach the error-rate alert's percentage of all attempts.
 * @param {unknown} successful
 * @param {unknown} failed
 * @param {unknown} thresholdPercent the report's error_rate_threshold_percent
 * @returns {boolean}
 */
export function failureRateReached(successful, failed, thresholdPercent) {
  const ok = num(successful) ?? 0;
  const bad = num(failed) ?? 0;
  const percent = num(thresholdPercent);
  const attempts = ok + bad;
  return percent !== null && attempts > 0 && bad * 100 >= percent * attempts;
}

/**
 * Stored alerts newest first, and the students the report counts over the threshold for whom no
 * COST_THRESHOLD_EXCEEDED alert is stored in the range (the scheduled check has not run since).
 * @param {any[]} alerts the report's `alerts`
 * @param {any[]} overRows the `breakdown_by_student` rows over the threshold
 * @returns {{ stored: any[], unalerted: any[] }}
 */
export function alertsToList(alerts, overRows) {
  const stored = alerts.slice().sort((a, b) => (Date.parse(b.created_at) || 0) - (Date.parse(a.created_at) || 0));
  const alerted = new Set(stored.filter((a) => a.type === 'COST_THRESHOLD_EXCEEDED' && a.student_id).map((a) => a.student_id));
  return { stored, unalerted: overRows.filter((row) => !row.student || !alerted.has(row.student)) };
}

/**
 * Every premium feature, in the order the flags API lists them, then any other feature the
 * numbers name (one no longer flagged), alphabetically.
 * @param {any[]} flags the flags API's `flags`
 * @param {any[]} rows rows with a `feature`
 * @returns {string[]}
 */
export function featureList(flags, rows) {
  const listed = flags.map((f) => labelOf(f && f.feature, '')).filter(Boolean);
  const seen = new Set(listed);
  const others = [...new Set(rows.map((r) => labelOf(r.feature, '(none)')))].filter((f) => !seen.has(f)).sort();
  return [...listed, ...others];
}

/**
 * The metrics rows per feature, in `features` order, each feature's variants alphabetically; a
 * feature with no requests in the range has no rows.
 * @param {string[]} features
 * @param {any[]} rows the metrics API's `features`
 * @returns {{ feature: string, rows: any[] }[]}
 */
export function variantsByFeature(features, rows) {
  return features.map((feature) => ({
    feature,
    rows: rows
      .filter((r) => labelOf(r.feature, '(none)') === feature)
      .sort((a, b) => labelOf(a.variant, '').localeCompare(labelOf(b.variant, ''))),
  }));
}

/**
 * Of a feature's variants, the best value of a column (`direction`: lower or higher is better);
 * null when fewer than two have a value, or on a tie.
 * @param {any[]} rows
 * @param {(row: any) => unknown} pick
 * @param {'min' | 'max'} direction
 * @returns {number | null}
 */
export function bestOf(rows, pick, direction) {
  const values = rows.map((row) => num(pick(row))).filter((v) => v !== null);
  if (values.length < 2) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) return null;
  return direction === 'min' ? min : max;
}

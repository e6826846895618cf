/*
 * Puts one loaded range on the page: tiles, charts, tables and alerts, all from the API's
 * answers for that range.
 */
import { renderAlerts } from './alerts.js';
import { destroyCharts, paletteColour, renderDaily, renderFeature, renderModel, renderStudents } from './charts.js';
import { withinOneMonth } from './dates.js';
import { $, setError, setStatus, setTile, updateScrollHints } from './dom.js';
import { compact, int, money, num, pct, usd } from './format.js';
import { alertsToList, breakdown, failureRateReached, featureList, isOver, topByCost, variantsByFeature } from './report.js';
import { clearVariants, renderStudentsTable, renderVariants, studentLabel } from './tables.js';

const TOP_STUDENTS = 10;
const TILES = ['tile-total-cost', 'tile-requests', 'tile-failed', 'tile-avg-student', 'tile-avg-request'];

/**
 * @typedef {{ value: any } | { error: Error }} Outcome an optional panel's answer, or why it has none
 * @typedef {{ reports: Record<string, any>, metrics: Outcome, flags: Outcome }} Loaded
 */

/**
 * @param {any} summary the report's totals
 * @param {any[]} students `breakdown_by_student`
 */
function renderTiles(summary, students) {
  const requests = num(summary.total_requests) ?? 0;
  const failed = num(summary.failed_requests) ?? 0;
  const attempts = requests + failed;
  const withUse = students.filter((row) => row.student).length;
  setTile('tile-total-cost', money(summary.total_cost_usd), num(summary.total_cost_usd), compact(summary.tokens_input) + ' tokens in · ' + compact(summary.tokens_output) + ' out');
  setTile('tile-requests', int(summary.total_requests), num(summary.total_requests), 'successful LLM calls');
  setTile('tile-failed', int(summary.failed_requests), num(summary.failed_requests), attempts ? pct(failed / attempts) + ' of LLM calls' : 'no LLM calls');
  // Warns from the error-rate alert's own percentage, as the API states it.
  const warn = failureRateReached(requests, failed, summary.error_rate_threshold_percent);
  const tile = $('tile-failed').parentElement;
  tile.classList.toggle('tile-warn', warn);
  tile.title = num(summary.error_rate_threshold_percent) === null ? '' : 'Warns at ' + num(summary.error_rate_threshold_percent) + '% failed, the error-rate alert threshold';
  setTile('tile-avg-student', usd(summary.average_cost_per_student), num(summary.average_cost_per_student), withUse ? int(withUse) + ' students with LLM use' : '');
  const perCall = (/** @type {unknown} */ tokens) => compact(Math.round((num(tokens) ?? 0) / requests));
  setTile(
    'tile-avg-request',
    usd(summary.average_cost_per_request),
    num(summary.average_cost_per_request),
    requests ? perCall(summary.tokens_input) + ' tokens in · ' + perCall(summary.tokens_output) + ' out per call' : '',
  );
}

/**
 * The threshold as the API states it, and how many students its rule counts over in this range.
 * @param {number | null} threshold dollars per student per month
 * @param {number} overCount
 */
function thresholdNote(threshold, overCount) {
  if (threshold === null) return '';
  if (threshold <= 0) return 'cost alerts are off (no threshold)';
  return 'alert threshold ' + money(threshold) + ' per student per calendar month (UTC) · ' + (overCount ? overCount + ' over in a month of this range' : 'nobody over');
}

/**
 * @param {Outcome} metrics
 * @param {Outcome} flags
 * @returns {string[]} every feature, for the colours
 */
function renderVariantPanel(metrics, flags) {
  const table = $('variants-table');
  const note = $('variants-note');
  clearVariants();
  const failed = 'error' in metrics ? metrics.error : 'error' in flags ? flags.error : null;
  const flagList = 'value' in flags && Array.isArray(flags.value && flags.value.flags) ? flags.value.flags : [];
  const rows = 'value' in metrics && Array.isArray(metrics.value && metrics.value.features) ? metrics.value.features : [];
  table.hidden = failed !== null;
  note.hidden = failed === null;
  note.textContent = failed ? 'Variant metrics are unavailable: ' + (failed.message || String(failed)) : '';
  const features = featureList(flagList, rows);
  if (!failed) renderVariants(variantsByFeature(features, rows), Object.fromEntries(flagList.map((f) => [f.feature, f])));
  return features;
}

/**
 * @param {Loaded} loaded
 * @param {{ start: string, end: string }} range
 */
export function renderRange(loaded, range) {
  const { reports } = loaded;
  const summary = reports.day;
  const students = breakdown(reports.student, 'student');
  /** @type {Record<string, string>} */
  const names = {};
  for (const row of students) if (row.student) names[row.student] = row.full_name;
  const byFeature = breakdown(reports.feature, 'feature');

  renderTiles(summary, students);
  renderDaily(breakdown(reports.day, 'day'), range.start, range.end);
  renderModel(breakdown(reports.model, 'model'));

  const features = renderVariantPanel(loaded.metrics, loaded.flags);
  const known = featureList(features.map((feature) => ({ feature })), byFeature);
  renderFeature(byFeature, (feature) => paletteColour(known.indexOf(feature)));

  const threshold = num(summary.threshold_usd);
  const over = students.filter(isOver);
  const top = topByCost(students, TOP_STUDENTS);
  $('threshold-note').textContent = thresholdNote(threshold, over.length);
  // Within one calendar month a bar is that month's spend, so reaching the line is the API's rule exactly.
  const line = threshold !== null && threshold > 0 && withinOneMonth(range.start, range.end) ? threshold : null;
  renderStudents(top, studentLabel, line);
  renderStudentsTable(top);
  renderAlerts(alertsToList(Array.isArray(summary.alerts) ? summary.alerts : [], over), names);
  updateScrollHints();
}

/** Empties every panel (signed out, or not allowed). */
export function clearPanels() {
  destroyCharts();
  for (const id of TILES) setTile(id, '–', null, '');
  $('students-table').tBodies[0].replaceChildren();
  $('alerts-list').replaceChildren();
  $('alerts-count').textContent = '';
  $('threshold-note').textContent = '';
  clearVariants();
  setError('');
  setStatus('');
}

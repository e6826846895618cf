/*
 * The alerts panel: the alerts the scheduled check stored in the range, and the students the
 * same cost report counts over the threshold for whom no alert is stored yet, so the panel and
 * the students table never disagree.
 */
import { el, $ } from './dom.js';
import { formatDateTime, labelOf, money, num, pct } from './format.js';
import { monthsOver } from './report.js';
import { studentLabel } from './tables.js';

const ALERT_TITLES = {
  COST_THRESHOLD_EXCEEDED: 'Student over cost threshold',
  DAILY_BUDGET_EXCEEDED: 'Daily budget exceeded',
  ERROR_RATE_HIGH: 'High error rate',
};

/**
 * @param {any} alert
 * @param {Record<string, string>} names full names by student id
 */
function storedItem(alert, names) {
  const level = labelOf(alert.level, 'info');
  const item = el('li', null, 'alert');
  item.dataset.level = level;
  const badgeClass = /^[a-z]+$/.test(level) ? ' badge-' + level : '';
  item.append(el('span', level, 'badge' + badgeClass));
  const who = alert.student_id ? names[alert.student_id] || 'Student ' + String(alert.student_id).slice(0, 8) : labelOf(alert.subject, '');
  const title = /** @type {Record<string, string>} */ (ALERT_TITLES)[alert.type] || labelOf(alert.type, 'Alert');
  item.append(el('span', title + (who ? ' · ' + who : ''), 'alert-title'));
  // An error-rate alert's numbers are percentages (error_rate_percent), the others dollars.
  const rate = alert.type === 'ERROR_RATE_HIGH';
  const observed = num(rate ? alert.error_rate_percent : alert.cost_usd);
  const limit = num(rate ? alert.error_rate_threshold_percent : alert.threshold_usd);
  const format = rate ? (/** @type {number} */ n) => pct(n / 100) : money;
  const meta = [];
  if (observed !== null) meta.push(format(observed) + (limit !== null ? ' of ' + format(limit) + ' limit' : ''));
  if (alert.period) meta.push('period ' + alert.period);
  if (alert.created_at) meta.push(formatDateTime(alert.created_at));
  item.append(el('span', meta.join(' · '), 'alert-meta'));
  return item;
}

/** @param {any} row a student over the threshold with no stored alert */
function unalertedItem(row) {
  const item = el('li', null, 'alert');
  item.dataset.level = 'over';
  item.dataset.student = row.student || '';
  item.append(el('span', 'over threshold', 'badge badge-over'));
  item.append(el('span', 'Over the cost threshold · ' + studentLabel(row), 'alert-title'));
  const meta = [money(row.total_cost_usd) + ' in this period', 'over in ' + monthsOver(row).join(', '), 'from this cost report; no stored alert yet (the scheduled check records one)'];
  item.append(el('span', meta.join(' · '), 'alert-meta'));
  return item;
}

/**
 * @param {{ stored: any[], unalerted: any[] }} list
 * @param {Record<string, string>} names full names by student id
 */
export function renderAlerts(list, names) {
  const count = list.stored.length + list.unalerted.length;
  $('alerts-count').textContent = count ? String(count) : '';
  $('alerts-empty').hidden = count > 0;
  $('alerts-list').replaceChildren(...list.stored.map((a) => storedItem(a, names)), ...list.unalerted.map(unalertedItem));
}

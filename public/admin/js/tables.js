/*
 * The two tables: the top students by cost, and the variants of each feature side by side.
 */
import { el, $ } from './dom.js';
import { compact, int, labelOf, money, ms, num, pct, usd } from './format.js';
import { bestOf, isOver, monthsOver } from './report.js';

/**
 * @param {any} row a `breakdown_by_student` row
 * @returns {string}
 */
export function studentLabel(row) {
  return labelOf(row.full_name, row.student ? 'Student ' + String(row.student).slice(0, 8) : '(no student)');
}

/**
 * The top students, those the API counts over the cost threshold marked, with the months.
 * @param {any[]} top
 */
export function renderStudentsTable(top) {
  const body = $('students-table').tBodies[0];
  body.replaceChildren();
  if (!top.length) {
    const empty = el('tr');
    const cell = el('td', 'No LLM usage by students in this period.', 'empty');
    cell.colSpan = 6;
    empty.append(cell);
    body.append(empty);
    return;
  }
  top.forEach((row, i) => {
    const tr = el('tr');
    const over = isOver(row);
    if (over) tr.className = 'over';
    tr.dataset.student = row.student || '';
    const who = el('td');
    const name = el('span', studentLabel(row), 'student-name');
    if (row.student) name.title = 'Student ID ' + String(row.student);
    who.append(name);
    if (over) {
      const badge = el('span', 'over threshold', 'badge badge-over');
      badge.title = 'Over the cost threshold in ' + monthsOver(row).join(', ') + ' (UTC)';
      who.append(document.createTextNode(' '), badge);
    }
    tr.append(
      el('td', String(i + 1)),
      who,
      el('td', int(row.total_requests), 'num'),
      el('td', money(row.total_cost_usd), 'num'),
      el('td', usd(row.average_cost_per_request), 'num'),
      el('td', compact(row.tokens_input) + ' / ' + compact(row.tokens_output), 'num'),
    );
    body.append(tr);
  });
}

/** Removes the variant table's row groups. */
export function clearVariants() {
  for (const body of Array.from($('variants-table').tBodies)) /** @type {any} */ (body).remove();
}

/**
 * A number cell, marked when it holds the best value of its feature.
 * @param {string} text
 * @param {number | null} best
 * @param {unknown} value
 */
function cellBest(text, best, value) {
  const td = el('td', text, 'num');
  if (best !== null && num(value) === best) {
    td.classList.add('best');
    td.title = 'best of this feature';
  }
  return td;
}

/**
 * One row group per premium feature, every feature the flags API lists; a feature without
 * requests in the range says so, and whether it is switched off.
 * @param {{ feature: string, rows: any[] }[]} groups
 * @param {Record<string, any>} flags by feature
 */
export function renderVariants(groups, flags) {
  const table = $('variants-table');
  for (const { feature, rows } of groups) {
    const body = document.createElement('tbody');
    body.className = 'feature-group';
    body.dataset.feature = feature;
    if (!rows.length) {
      const tr = el('tr');
      tr.dataset.feature = feature;
      tr.dataset.variant = '';
      const flag = flags[feature];
      const note = el('td', 'No requests in this period' + (flag && flag.enabled === false ? ' · switched off' : ''), 'empty');
      note.colSpan = 10;
      tr.append(el('td', feature), note);
      body.append(tr);
      table.append(body);
      continue;
    }
    // Within a feature, the better value of each comparable column is marked.
    const best = {
      cost: bestOf(rows, (r) => r.cost_per_request, 'min'),
      completion: bestOf(rows, (r) => r.completion_rate, 'max'),
      error: bestOf(rows, (r) => r.error_rate, 'min'),
      p95: bestOf(rows, (r) => r.latency_ms && r.latency_ms.p95, 'min'),
    };
    rows.forEach((row, i) => {
      const tr = el('tr');
      tr.dataset.feature = feature;
      tr.dataset.variant = labelOf(row.variant, '');
      const latency = row.latency_ms || {};
      tr.append(
        el('td', i === 0 ? feature : ''),
        el('td', labelOf(row.variant, '(none)')),
        el('td', int(row.requests), 'num'),
        el('td', int(row.llm_calls), 'num'),
        el('td', pct(row.cache_hit_rate), 'num'),
        el('td', pct(row.fallback_rate), 'num'),
        cellBest(pct(row.error_rate), best.error, row.error_rate),
        cellBest(pct(row.completion_rate), best.completion, row.completion_rate),
        cellBest(usd(row.cost_per_request), best.cost, row.cost_per_request),
        el('td', ms(latency.p50), 'num'),
        cellBest(ms(latency.p95), best.p95, latency.p95),
      );
      body.append(tr);
    });
    table.append(body);
  }
}

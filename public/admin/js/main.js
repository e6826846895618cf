/*
 * Course Companion admin dashboard: what the LLM costs, for whom, for what, and whether it works.
 *
 * Browser ES modules, no build step; Chart.js (UMD) is loaded before them as window.Chart. Every
 * string from the API is put on the page with textContent or drawn on a canvas, never parsed as
 * HTML. This module wires the page: sign-in, the date range, loading, the CSV export.
 */
import { ApiError, apiGet, apiJson, logIn, rangeQuery } from './api.js';
import { setUpCharts } from './charts.js';
import { daysInRange, lastDays, parseDay, today } from './dates.js';
import { $, setError, setStatus, show, updateScrollHints } from './dom.js';
import { clearPanels, renderRange } from './panels.js';
import { readToken, state, writeToken } from './state.js';

const GROUPS = ['day', 'feature', 'model', 'student'];
const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/** Marks the numbers on screen as those of the last range that loaded, and says so. */
function staleNote() {
  if (!state.shown) return '';
  $('dashboard').dataset.stale = 'true';
  return ' The numbers below are still those of ' + state.shown.start + ' to ' + state.shown.end + '.';
}

/** @param {boolean} loading */
function setLoading(loading) {
  const dash = $('dashboard');
  dash.setAttribute('aria-busy', loading ? 'true' : 'false');
  if (loading) dash.dataset.state = 'loading';
}

/** @param {string} message */
function showLogin(message) {
  state.seq++;
  if (state.abort) state.abort.abort();
  state.token = null;
  state.shown = null;
  writeToken(null);
  clearPanels();
  $('whoami').textContent = '';
  $('dashboard').dataset.state = 'idle';
  show('login');
  const err = $('login-error');
  err.textContent = message || '';
  err.hidden = !message;
  $('login-password').value = '';
  $('login-email').focus();
}

/** @param {string} token */
function signedIn(token) {
  state.token = token;
  writeToken(token);
  $('login-error').hidden = true;
  show('dashboard');
  void loadWhoami(token);
  void load();
}

/** @param {string} token */
async function loadWhoami(token) {
  try {
    const me = await apiJson('/api/v1/auth/me', { token });
    const who = [me.full_name, me.email ? '(' + me.email + ')' : ''].filter(Boolean).join(' ');
    $('whoami').textContent = who ? 'Signed in as ' + who : '';
  } catch {
    // Only a label; the data requests report real problems.
  }
}

/** @param {Event} event */
async function onLogin(event) {
  event.preventDefault();
  const email = $('login-email').value.trim();
  const password = $('login-password').value;
  const err = $('login-error');
  err.hidden = true;
  if (!email || !password) {
    err.textContent = 'Enter your email and password.';
    err.hidden = false;
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  try {
    const token = await logIn(email, password);
    $('login-password').value = '';
    signedIn(token);
  } catch (e) {
    err.textContent = e instanceof ApiError ? e.message : 'Could not reach the server. Check your connection and try again.';
    err.hidden = false;
  } finally {
    button.disabled = false;
  }
}

/**
 * @param {string} start
 * @param {string} end
 * @param {number | null} preset
 */
function setRange(start, end, preset) {
  state.start = start;
  state.end = end;
  state.preset = preset;
  $('start-date').value = start;
  $('end-date').value = end;
  const max = today();
  $('start-date').max = max;
  $('end-date').max = max;
  document.querySelectorAll('.preset').forEach((button) => {
    button.setAttribute('aria-pressed', String(Number(/** @type {any} */ (button).dataset.days) === preset));
  });
}

/** @param {number} days */
function presetRange(days) {
  const range = lastDays(days, today());
  setRange(range.start, range.end, days);
}

/** @param {Event} event */
function onPreset(event) {
  presetRange(Number(/** @type {any} */ (event.currentTarget).dataset.days));
  void load();
}

function onDateChange() {
  const start = $('start-date').value;
  const end = $('end-date').value;
  if (!parseDay(start) || !parseDay(end)) return;
  if (start > end) {
    setError('The start date must be on or before the end date.' + staleNote());
    return;
  }
  setRange(start, end, null);
  void load();
}

/**
 * An optional panel's request: its failure is shown in its panel, the rest of the page still loads.
 * @param {Promise<any>} request
 */
function settle(request) {
  return request.then(
    (value) => ({ value }),
    (error) => ({ error }),
  );
}

/** One request per grouping, one for the variant metrics and one for the feature flags, all at once. */
async function load() {
  const token = state.token;
  const start = state.start;
  const end = state.end;
  if (!token || !start || !end) return;
  const seq = ++state.seq;
  if (state.abort) state.abort.abort();
  const abort = new AbortController();
  state.abort = abort;
  setError('');
  setLoading(true);
  setStatus('Loading ' + start + ' to ' + end + '…');
  const started = performance.now();
  const query = rangeQuery(start, end);
  const options = { token, signal: abort.signal };

  const costs = Promise.all(GROUPS.map((group) => apiJson('/api/v2/admin/costs?' + query + '&group_by=' + group, options)));
  const metrics = settle(apiJson('/api/v2/admin/metrics?' + query, options));
  const flags = settle(apiJson('/api/v2/admin/flags', options));
  try {
    const [answers, metricsOutcome, flagsOutcome] = await Promise.all([costs, metrics, flags]);
    if (seq !== state.seq) return;
    /** @type {Record<string, any>} */
    const reports = {};
    GROUPS.forEach((group, i) => {
      reports[group] = answers[i];
    });
    renderRange({ reports, metrics: metricsOutcome, flags: flagsOutcome }, { start, end });
    state.shown = { start, end };
    delete $('dashboard').dataset.stale;
    $('dashboard').dataset.state = 'ready';
    setLoading(false);
    const took = Math.round(performance.now() - started);
    setStatus('Showing ' + start + ' to ' + end + ' (UTC, ' + daysInRange(start, end).length + ' days) · loaded in ' + took + ' ms');
  } catch (e) {
    if (seq !== state.seq || (e && /** @type {any} */ (e).name === 'AbortError')) return;
    setLoading(false);
    if (e instanceof ApiError && e.status === 401) {
      showLogin(SESSION_ENDED);
      return;
    }
    if (e instanceof ApiError && e.status === 403) {
      clearPanels();
      $('dashboard').dataset.state = 'forbidden';
      show('forbidden');
      return;
    }
    $('dashboard').dataset.state = 'error';
    setStatus('');
    const message = e && /** @type {any} */ (e).message ? /** @type {any} */ (e).message : String(e);
    setError('Could not load the cost report for ' + start + ' to ' + end + ': ' + message + staleNote());
  }
}

async function onDownload() {
  const token = state.token;
  const group = $('export-group').value;
  if (!token || !GROUPS.includes(group)) return;
  const button = $('download-csv');
  button.disabled = true;
  const before = button.textContent;
  button.textContent = 'Preparing…';
  try {
    const res = await apiGet('/api/v2/admin/costs/export?' + rangeQuery(String(state.start), String(state.end)) + '&group_by=' + group, { token, accept: 'text/csv' });
    const blob = await res.blob();
    const csv = blob.type ? blob : new Blob([blob], { type: 'text/csv' });
    const url = URL.createObjectURL(csv);
    const link = document.createElement('a');
    link.href = url;
    link.download = 'llm-costs-by-' + group + '-' + state.start + '-to-' + state.end + '.csv';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showLogin(SESSION_ENDED);
      return;
    }
    setError('Could not download the CSV: ' + (e && /** @type {any} */ (e).message ? /** @type {any} */ (e).message : String(e)));
  } finally {
    button.disabled = false;
    button.textContent = before;
  }
}

function start() {
  if (!setUpCharts()) {
    setError('Chart.js did not load; the charts cannot be drawn.');
    show('dashboard');
    return;
  }
  $('login-form').addEventListener('submit', onLogin);
  $('sign-out').addEventListener('click', () => showLogin(''));
  document.querySelectorAll('.preset').forEach((button) => button.addEventListener('click', onPreset));
  $('start-date').addEventListener('change', onDateChange);
  $('end-date').addEventListener('change', onDateChange);
  $('download-csv').addEventListener('click', onDownload);
  window.addEventListener('resize', updateScrollHints);

  presetRange(30);
  const token = readToken();
  if (token) signedIn(token);
  else showLogin('');
}

// A module runs after the document is parsed (and after the deferred Chart.js script).
start();

/*
 * Course Companion admin dashboard: what the LLM costs, for whom, for what, and whether it works.
 *
 * Plain browser JavaScript, no build step. Chart.js (UMD) is loaded before this file and is
 * `window.Chart`. Every string from the API is put on the page with textContent or drawn on a
 * canvas: never parsed as HTML.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'courseCompanion.admin.token';
  var GROUPS = ['day', 'feature', 'model', 'student'];
  var DAY_MS = 86400000;
  var TOP_STUDENTS = 10;

  var COLORS = {
    accent: '#2563eb',
    accentFill: 'rgba(37, 99, 235, 0.12)',
    warn: '#f59e0b',
    danger: '#dc2626',
    grid: '#eef2f7',
    text: '#475569',
    palette: ['#2563eb', '#0d9488', '#f59e0b', '#7c3aed', '#db2777', '#65a30d', '#0891b2', '#ea580c', '#64748b', '#4f46e5'],
  };

  // ---------------------------------------------------------------- small helpers

  function $(id) {
    return document.getElementById(id);
  }

  /** An element with text content and optional class: the only way API strings reach the page. */
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function num(value) {
    var n = typeof value === 'string' ? Number(value) : value;
    return typeof n === 'number' && isFinite(n) ? n : null;
  }

  var intFormat = new Intl.NumberFormat('en-US');
  var compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  var dayLabel = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  var dayLong = new Intl.DateTimeFormat('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  var dateTime = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC', timeZoneName: 'short' });

  /** Dollars: cents from a dollar up, more digits below so small per-request costs stay readable. */
  function usd(value) {
    var n = num(value);
    if (n === null) return '–';
    var abs = Math.abs(n);
    var digits = abs >= 1 || abs === 0 ? 2 : abs >= 0.0001 ? 4 : 6;
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: 2,
      maximumFractionDigits: digits,
    }).format(n);
  }

  var usdCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

  /** Dollar totals: cents, unless the amount is under a cent. */
  function money(value) {
    var n = num(value);
    if (n === null) return '–';
    return Math.abs(n) >= 0.01 || n === 0 ? usdCents.format(n) : usd(n);
  }

  function usdAxis(value) {
    var n = num(value);
    if (n === null) return '';
    if (Math.abs(n) >= 1000) return '$' + compactFormat.format(n);
    return money(n);
  }

  function int(value) {
    var n = num(value);
    return n === null ? '–' : intFormat.format(n);
  }

  function compact(value) {
    var n = num(value);
    return n === null ? '–' : compactFormat.format(n);
  }

  function pct(value) {
    var n = num(value);
    return n === null ? '–' : (n * 100).toFixed(1) + '%';
  }

  function ms(value) {
    var n = num(value);
    if (n === null) return '–';
    return n >= 1000 ? (n / 1000).toFixed(2) + ' s' : Math.round(n) + ' ms';
  }

  function formatDateTime(value) {
    var d = new Date(value);
    return isNaN(d.getTime()) ? String(value || '') : dateTime.format(d);
  }

  // Dates are UTC calendar days, as the API reads them.
  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function parseDay(day) {
    return /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(day + 'T00:00:00Z') : null;
  }

  function addDays(day, n) {
    return isoDay(new Date(parseDay(day).getTime() + n * DAY_MS));
  }

  function today() {
    return isoDay(new Date());
  }

  function daysInRange(start, end) {
    var days = [];
    var t = parseDay(start).getTime();
    var last = parseDay(end).getTime();
    for (; t <= last; t += DAY_MS) days.push(isoDay(new Date(t)));
    return days;
  }

  function truncate(text, max) {
    text = String(text);
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  // ---------------------------------------------------------------- API

  function ApiError(status, code, message) {
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.message = message;
  }
  ApiError.prototype = Object.create(Error.prototype);

  /** The API's error envelope as one readable line, with field details when there are some. */
  async function errorFrom(res) {
    var body = null;
    try {
      body = await res.json();
    } catch {
      // Not JSON: the status says it all.
    }
    var error = body && body.error ? body.error : {};
    var message = typeof error.message === 'string' && error.message ? error.message : 'The server answered ' + res.status;
    if (Array.isArray(error.details) && error.details.length) {
      message +=
        ': ' +
        error.details
          .map(function (d) {
            return [d && d.field, d && d.issue].filter(Boolean).join(' ');
          })
          .join('; ');
    }
    return new ApiError(res.status, typeof error.code === 'string' ? error.code : null, message);
  }

  async function api(path, options) {
    options = options || {};
    var res;
    try {
      res = await fetch(path, {
        headers: { Authorization: 'Bearer ' + state.token, Accept: options.accept || 'application/json' },
        cache: 'no-store',
        signal: options.signal,
      });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.');
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  function rangeQuery() {
    return 'start_date=' + encodeURIComponent(state.start) + '&end_date=' + encodeURIComponent(state.end);
  }

  // ---------------------------------------------------------------- state and views

  var state = {
    token: null,
    start: null,
    end: null,
    preset: 30,
    seq: 0,
    abort: null,
  };
  var charts = {};

  function readToken() {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  }

  function writeToken(token) {
    try {
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Storage disabled: the token lives for this page only.
    }
  }

  function show(view) {
    $('login').hidden = view !== 'login';
    $('dashboard').hidden = view !== 'dashboard';
    $('forbidden').hidden = view !== 'forbidden';
    $('session').hidden = view === 'login';
  }

  function setStatus(text) {
    $('status').textContent = text;
  }

  function setError(message) {
    var box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  /** Marks the numbers on screen as those of the last range that loaded, and says so. */
  function staleNote() {
    if (!state.shown) return '';
    $('dashboard').dataset.stale = 'true';
    return ' The numbers below are still those of ' + state.shown.start + ' to ' + state.shown.end + '.';
  }

  function setLoading(loading) {
    var dash = $('dashboard');
    dash.setAttribute('aria-busy', loading ? 'true' : 'false');
    if (loading) dash.dataset.state = 'loading';
  }

  function showLogin(message) {
    state.seq++;
    if (state.abort) state.abort.abort();
    state.token = null;
    writeToken(null);
    destroyCharts();
    clearData();
    $('whoami').textContent = '';
    $('dashboard').dataset.state = 'idle';
    show('login');
    var err = $('login-error');
    err.textContent = message || '';
    err.hidden = !message;
    $('login-password').value = '';
    $('login-email').focus();
  }

  function signedIn(token) {
    state.token = token;
    writeToken(token);
    $('login-error').hidden = true;
    show('dashboard');
    loadWhoami();
    load();
  }

  async function loadWhoami() {
    try {
      var me = await (await api('/api/v1/auth/me')).json();
      var who = [me.full_name, me.email ? '(' + me.email + ')' : ''].filter(Boolean).join(' ');
      $('whoami').textContent = who ? 'Signed in as ' + who : '';
    } catch {
      // Only a label; the data requests report real problems.
    }
  }

  // ---------------------------------------------------------------- sign-in

  async function onLogin(event) {
    event.preventDefault();
    var email = $('login-email').value.trim();
    var password = $('login-password').value;
    var err = $('login-error');
    err.hidden = true;
    if (!email || !password) {
      err.textContent = 'Enter your email and password.';
      err.hidden = false;
      return;
    }
    var button = $('login-submit');
    button.disabled = true;
    try {
      var res = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email: email, password: password }),
        cache: 'no-store',
      });
      if (!res.ok) throw await errorFrom(res);
      var body = await res.json();
      if (!body || typeof body.access_token !== 'string') throw new ApiError(res.status, null, 'The server did not return a token.');
      $('login-password').value = '';
      signedIn(body.access_token);
    } catch (e) {
      err.textContent = e instanceof ApiError ? e.message : 'Could not reach the server. Check your connection and try again.';
      err.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- date range

  function setRange(start, end, preset) {
    state.start = start;
    state.end = end;
    state.preset = preset;
    $('start-date').value = start;
    $('end-date').value = end;
    var max = today();
    $('start-date').max = max;
    $('end-date').max = max;
    document.querySelectorAll('.preset').forEach(function (button) {
      button.setAttribute('aria-pressed', String(Number(button.dataset.days) === preset));
    });
  }

  function presetRange(days) {
    var end = today();
    setRange(addDays(end, -(days - 1)), end, days);
  }

  function onPreset(event) {
    var days = Number(event.currentTarget.dataset.days);
    presetRange(days);
    load();
  }

  function onDateChange() {
    var start = $('start-date').value;
    var end = $('end-date').value;
    if (!parseDay(start) || !parseDay(end)) return;
    if (start > end) {
      setError('The start date must be on or before the end date.' + staleNote());
      return;
    }
    setRange(start, end, null);
    load();
  }

  // ---------------------------------------------------------------- loading

  /** One request per grouping and one for the variant metrics, all at once. */
  async function load() {
    if (!state.token) return;
    var seq = ++state.seq;
    if (state.abort) state.abort.abort();
    var abort = new AbortController();
    state.abort = abort;
    setError('');
    setLoading(true);
    setStatus('Loading ' + state.start + ' to ' + state.end + '…');
    var started = performance.now();
    var query = rangeQuery();

    var costs = Promise.all(
      GROUPS.map(function (group) {
        return api('/api/v2/admin/costs?' + query + '&group_by=' + group, { signal: abort.signal }).then(function (res) {
          return res.json();
        });
      }),
    );
    // Variant metrics are their own panel: if they fail, the costs still show.
    var metrics = api('/api/v2/admin/metrics?' + query, { signal: abort.signal })
      .then(function (res) {
        return res.json();
      })
      .then(
        function (value) {
          return { value: value };
        },
        function (error) {
          return { error: error };
        },
      );

    try {
      var results = await Promise.all([costs, metrics]);
      if (seq !== state.seq) return;
      var reports = {};
      GROUPS.forEach(function (group, i) {
        reports[group] = results[0][i];
      });
      render(reports, results[1]);
      state.shown = { start: state.start, end: state.end };
      delete $('dashboard').dataset.stale;
      $('dashboard').dataset.state = 'ready';
      setLoading(false);
      var took = Math.round(performance.now() - started);
      setStatus(
        'Showing ' + state.start + ' to ' + state.end + ' (UTC, ' + daysInRange(state.start, state.end).length + ' days) · loaded in ' + took + ' ms',
      );
    } catch (e) {
      if (seq !== state.seq || (e && e.name === 'AbortError')) return;
      setLoading(false);
      if (e instanceof ApiError && e.status === 401) {
        showLogin('Your session has ended. Please sign in again.');
        return;
      }
      if (e instanceof ApiError && e.status === 403) {
        destroyCharts();
        clearData();
        $('dashboard').dataset.state = 'forbidden';
        show('forbidden');
        return;
      }
      $('dashboard').dataset.state = 'error';
      setStatus('');
      setError('Could not load the cost report for ' + state.start + ' to ' + state.end + ': ' + (e && e.message ? e.message : String(e)) + staleNote());
    }
  }

  // ---------------------------------------------------------------- rendering

  function rows(report, group) {
    var list = report && report['breakdown_by_' + group];
    return Array.isArray(list) ? list : [];
  }

  function render(reports, metrics) {
    var summary = reports.day;
    var threshold = num(summary.threshold_usd);
    var students = rows(reports.student, 'student');
    var names = {};
    students.forEach(function (row) {
      if (row.student) names[row.student] = row.full_name;
    });

    renderTiles(summary, students);
    renderDaily(rows(reports.day, 'day'));
    renderFeature(rows(reports.feature, 'feature'));
    renderModel(rows(reports.model, 'model'));
    var over = renderStudents(students, threshold);
    renderAlerts(Array.isArray(summary.alerts) ? summary.alerts : [], names, over);
    renderVariants(metrics);
    updateScrollHints();
  }

  /** Under each table that is wider than its box, a line saying it scrolls sideways. */
  function updateScrollHints() {
    document.querySelectorAll('.table-wrap').forEach(function (wrap) {
      var hint = wrap.parentElement.querySelector('.scroll-hint');
      if (hint) hint.hidden = !(wrap.scrollWidth > wrap.clientWidth + 1);
    });
  }

  /** An empty breakdown gets a sentence instead of an empty chart. */
  function showChart(key, hasData) {
    $('chart-' + key).parentElement.hidden = !hasData;
    $(key + '-empty').hidden = hasData;
    if (!hasData && charts[key]) {
      charts[key].destroy();
      delete charts[key];
    }
    return hasData;
  }

  function setTile(id, text, value, sub) {
    var node = $(id);
    node.textContent = text;
    node.dataset.value = value === null || value === undefined ? '' : String(value);
    $(id + '-sub').textContent = sub || '';
  }

  function renderTiles(s, students) {
    var requests = num(s.total_requests) || 0;
    var failed = num(s.failed_requests) || 0;
    var attempts = requests + failed;
    var studentCount = students.filter(function (row) {
      return row.student;
    }).length;
    setTile('tile-total-cost', money(s.total_cost_usd), num(s.total_cost_usd), compact(s.tokens_input) + ' tokens in · ' + compact(s.tokens_output) + ' out');
    setTile('tile-requests', int(s.total_requests), num(s.total_requests), 'successful LLM calls');
    setTile('tile-failed', int(s.failed_requests), num(s.failed_requests), attempts ? pct(failed / attempts) + ' of LLM calls' : 'no LLM calls');
    $('tile-failed').parentElement.classList.toggle('tile-warn', attempts > 0 && failed / attempts >= 0.05);
    setTile('tile-avg-student', usd(s.average_cost_per_student), num(s.average_cost_per_student), studentCount ? int(studentCount) + ' students with LLM use' : '');
    setTile(
      'tile-avg-request',
      usd(s.average_cost_per_request),
      num(s.average_cost_per_request),
      requests ? compact(Math.round((num(s.tokens_input) || 0) / requests)) + ' tokens in · ' + compact(Math.round((num(s.tokens_output) || 0) / requests)) + ' out per call' : '',
    );
  }

  function destroyCharts() {
    Object.keys(charts).forEach(function (key) {
      charts[key].destroy();
      delete charts[key];
    });
  }

  function chart(key, config) {
    if (charts[key]) charts[key].destroy();
    charts[key] = new window.Chart($('chart-' + key), config);
    return charts[key];
  }

  function renderDaily(list) {
    var byDay = {};
    list.forEach(function (row) {
      byDay[row.day] = (byDay[row.day] || 0) + (num(row.total_cost_usd) || 0);
    });
    // Every day of the range, so a day without usage shows as zero, not as a gap.
    var days = daysInRange(state.start, state.end);
    var points = days.map(function (day, i) {
      return { x: i, y: byDay[day] || 0 };
    });
    var n = days.length;
    var step = n <= 14 ? 1 : n <= 62 ? 7 : n <= 190 ? 14 : 30;
    $('chart-daily').setAttribute('aria-label', 'Cost per day, ' + state.start + ' to ' + state.end);
    chart('daily', {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'Cost (USD)',
            data: points,
            borderColor: COLORS.accent,
            backgroundColor: COLORS.accentFill,
            borderWidth: 2,
            fill: 'origin',
            pointRadius: n > 60 ? 0 : 2.5,
            pointHoverRadius: 4,
            tension: 0,
          },
        ],
      },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'index', intersect: false, axis: 'x' },
        plugins: {
          legend: { display: false },
          decimation: { enabled: true, algorithm: 'lttb', samples: 240, threshold: 480 },
          tooltip: {
            callbacks: {
              title: function (items) {
                var day = days[items[0].parsed.x];
                return day ? dayLong.format(parseDay(day)) : '';
              },
              label: function (item) {
                return ' ' + money(item.parsed.y);
              },
            },
          },
        },
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: Math.max(n - 1, 1),
            grid: { display: false },
            // Ticks counted back from the last day, so the newest day always has its label.
            afterBuildTicks: function (axis) {
              var ticks = [];
              for (var i = n - 1; i >= 0; i -= step) ticks.unshift({ value: i });
              axis.ticks = ticks;
            },
            ticks: {
              autoSkip: true,
              maxRotation: 0,
              callback: function (value) {
                var day = days[value];
                return Number.isInteger(value) && day ? dayLabel.format(parseDay(day)) : '';
              },
            },
          },
          y: {
            beginAtZero: true,
            grid: { color: COLORS.grid },
            ticks: { callback: usdAxis, maxTicksLimit: 6 },
          },
        },
      },
    });
  }

  function labelOf(value, fallback) {
    return value === null || value === undefined || value === '' ? fallback : String(value);
  }

  function renderFeature(list) {
    var total = list.reduce(function (sum, row) {
      return sum + (num(row.total_cost_usd) || 0);
    }, 0);
    if (!showChart('feature', list.length > 0 && total > 0)) return;
    // Beside the doughnut on a wide card; under it on a narrow one (a phone), where it would be cut off.
    var narrow = $('chart-feature').parentElement.clientWidth < 480;
    chart('feature', {
      type: 'doughnut',
      data: {
        labels: list.map(function (row) {
          return truncate(labelOf(row.feature, '(none)'), 40);
        }),
        datasets: [
          {
            data: list.map(function (row) {
              return num(row.total_cost_usd) || 0;
            }),
            backgroundColor: list.map(function (_, i) {
              return COLORS.palette[i % COLORS.palette.length];
            }),
            borderWidth: 2,
            borderColor: '#fff',
          },
        ],
      },
      options: {
        cutout: '58%',
        plugins: {
          legend: {
            position: narrow ? 'bottom' : 'right',
            labels: {
              boxWidth: 12,
              padding: 12,
              // Each feature's cost and share next to its name.
              generateLabels: function (c) {
                var items = window.Chart.overrides.doughnut.plugins.legend.labels.generateLabels(c);
                items.forEach(function (item) {
                  var value = num(list[item.index] && list[item.index].total_cost_usd) || 0;
                  item.text += '  ' + money(value) + (total ? ' · ' + ((value / total) * 100).toFixed(0) + '%' : '');
                });
                return items;
              },
            },
          },
          tooltip: {
            callbacks: {
              label: function (item) {
                var row = list[item.dataIndex];
                var share = total ? ' (' + ((item.parsed / total) * 100).toFixed(1) + '%)' : '';
                return ' ' + money(item.parsed) + share + ' · ' + int(row.total_requests) + ' requests';
              },
            },
          },
        },
      },
    });
  }

  function renderModel(list) {
    var total = list.reduce(function (sum, row) {
      return sum + (num(row.total_cost_usd) || 0);
    }, 0);
    if (!showChart('model', list.length > 0 && total > 0)) return;
    chart('model', {
      type: 'bar',
      data: {
        labels: list.map(function (row) {
          return truncate(labelOf(row.model, '(none)'), 32);
        }),
        datasets: [
          {
            label: 'Cost (USD)',
            data: list.map(function (row) {
              return num(row.total_cost_usd) || 0;
            }),
            backgroundColor: list.map(function (_, i) {
              return COLORS.palette[(i + 1) % COLORS.palette.length];
            }),
            borderRadius: 4,
            maxBarThickness: 56,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                var row = list[item.dataIndex];
                return ' ' + money(item.parsed.y) + ' · ' + int(row.total_requests) + ' requests · ' + usd(row.average_cost_per_request) + '/request';
              },
            },
          },
        },
        scales: {
          x: { grid: { display: false } },
          y: { beginAtZero: true, grid: { color: COLORS.grid }, ticks: { callback: usdAxis, maxTicksLimit: 6 } },
        },
      },
    });
  }

  /** Draws the alert threshold as a dashed vertical line across a horizontal bar chart. */
  var thresholdLine = {
    id: 'thresholdLine',
    afterDatasetsDraw: function (c, _args, options) {
      var value = num(options && options.value);
      if (value === null || value <= 0) return;
      var x = c.scales.x.getPixelForValue(value);
      var area = c.chartArea;
      if (x < area.left || x > area.right) return;
      var ctx = c.ctx;
      ctx.save();
      ctx.strokeStyle = COLORS.danger;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      // The label sits above the plot (in the top padding), centred on the line but kept inside the canvas.
      ctx.fillStyle = COLORS.danger;
      ctx.font = '600 11px system-ui, sans-serif';
      var text = 'threshold ' + money(value);
      var half = ctx.measureText(text).width / 2;
      var centre = Math.min(Math.max(x, half + 2), c.width / (c.currentDevicePixelRatio || 1) - half - 2);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      ctx.fillText(text, centre, area.top - 4);
      ctx.restore();
    },
  };

  function studentLabel(row) {
    return labelOf(row.full_name, row.student ? 'Student ' + String(row.student).slice(0, 8) : '(no student)');
  }

  /**
   * The alert threshold is per student per month. Over a longer range it is scaled to the range's
   * length (a year shows 12 months' worth), so a student is only marked who spent more than the
   * monthly threshold on average; the alerts list has the real per-month breaches.
   */
  function rangeThreshold(monthly, days) {
    if (monthly === null || monthly <= 0) return null;
    return days > 31 ? Math.round(monthly * (days / 30.4375) * 100) / 100 : monthly;
  }

  function renderStudents(all, monthly) {
    var days = daysInRange(state.start, state.end).length;
    var threshold = rangeThreshold(monthly, days);
    var top = all
      .slice()
      .sort(function (a, b) {
        return (num(b.total_cost_usd) || 0) - (num(a.total_cost_usd) || 0);
      })
      .slice(0, TOP_STUDENTS);
    var over = function (row) {
      return threshold !== null && threshold > 0 && (num(row.total_cost_usd) || 0) > threshold;
    };
    var overCount = all.filter(over).length;
    var note = '';
    if (threshold !== null) {
      note = 'alert threshold ' + money(monthly) + ' per student per month';
      if (threshold !== monthly) note += ', ' + money(threshold) + ' over these ' + days + ' days';
      note += ' · ' + (overCount ? overCount + ' over' : 'nobody over');
    }
    $('threshold-note').textContent = note;

    // The chart grows with the number of bars, so two students do not get a bar each a third of the chart apart.
    $('chart-students').parentElement.style.height = Math.max(150, Math.min(340, 60 + 28 * top.length)) + 'px';

    var max = top.reduce(function (m, row) {
      return Math.max(m, num(row.total_cost_usd) || 0);
    }, 0);
    chart('students', {
      type: 'bar',
      data: {
        labels: top.map(function (row) {
          return truncate(studentLabel(row), 26);
        }),
        datasets: [
          {
            label: 'Cost (USD)',
            data: top.map(function (row) {
              return num(row.total_cost_usd) || 0;
            }),
            backgroundColor: top.map(function (row) {
              return over(row) ? COLORS.warn : COLORS.accent;
            }),
            borderRadius: 3,
            maxBarThickness: 22,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        layout: { padding: { top: 18 } },
        plugins: {
          legend: { display: false },
          thresholdLine: { value: threshold },
          tooltip: {
            callbacks: {
              title: function (items) {
                return studentLabel(top[items[0].dataIndex]);
              },
              label: function (item) {
                var row = top[item.dataIndex];
                return ' ' + money(item.parsed.x) + ' · ' + int(row.total_requests) + ' requests' + (over(row) ? ' · over threshold' : '');
              },
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            suggestedMax: threshold !== null && threshold > max ? threshold * 1.15 : undefined,
            grid: { color: COLORS.grid },
            ticks: { callback: usdAxis, maxTicksLimit: 6 },
          },
          y: { grid: { display: false } },
        },
      },
      plugins: [thresholdLine],
    });

    var body = $('students-table').tBodies[0];
    body.replaceChildren();
    var overRows = all.filter(over);
    if (!top.length) {
      var empty = el('tr');
      var cell = el('td', 'No LLM usage by students in this period.', 'empty');
      cell.colSpan = 6;
      empty.append(cell);
      body.append(empty);
      return overRows;
    }
    top.forEach(function (row, i) {
      var tr = el('tr');
      if (over(row)) tr.className = 'over';
      tr.dataset.student = row.student || '';
      var who = el('td');
      var name = el('span', studentLabel(row), 'student-name');
      if (row.student) name.title = 'Student ID ' + String(row.student);
      who.append(name);
      if (over(row)) {
        who.append(document.createTextNode(' '));
        who.append(el('span', 'over threshold', 'badge badge-over'));
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
    return overRows;
  }

  var ALERT_TITLES = {
    COST_THRESHOLD_EXCEEDED: 'Student over cost threshold',
    DAILY_BUDGET_EXCEEDED: 'Daily budget exceeded',
    ERROR_RATE_HIGH: 'High error rate',
  };

  /**
   * Stored alerts come from the scheduled check; a student the cost report shows over the
   * threshold may have none yet (the check has not run since, or ran before the range). They are
   * listed too, from the same report as the table, so the two panels never disagree.
   */
  function renderAlerts(alerts, names, overRows) {
    var list = $('alerts-list');
    list.replaceChildren();
    var sorted = alerts.slice().sort(function (a, b) {
      return (Date.parse(b.created_at) || 0) - (Date.parse(a.created_at) || 0);
    });
    var alerted = {};
    sorted.forEach(function (alert) {
      if (alert.type === 'COST_THRESHOLD_EXCEEDED' && alert.student_id) alerted[alert.student_id] = true;
    });
    var unalerted = (overRows || []).filter(function (row) {
      return !row.student || !alerted[row.student];
    });
    var count = sorted.length + unalerted.length;
    $('alerts-count').textContent = count ? String(count) : '';
    $('alerts-empty').hidden = count > 0;
    sorted.forEach(function (alert) {
      var level = labelOf(alert.level, 'info');
      var item = el('li', null, 'alert');
      item.dataset.level = level;
      var badgeClass = /^[a-z]+$/.test(level) ? ' badge-' + level : '';
      item.append(el('span', level, 'badge' + badgeClass));
      var who = alert.student_id ? names[alert.student_id] || 'Student ' + String(alert.student_id).slice(0, 8) : labelOf(alert.subject, '');
      item.append(el('span', (ALERT_TITLES[alert.type] || labelOf(alert.type, 'Alert')) + (who ? ' · ' + who : ''), 'alert-title'));
      var observed = num(alert.cost_usd !== undefined ? alert.cost_usd : alert.observed);
      var limit = num(alert.threshold_usd !== undefined ? alert.threshold_usd : alert.threshold);
      var isMoney = alert.type !== 'ERROR_RATE_HIGH';
      var format = isMoney ? money : pct;
      var meta = [];
      if (observed !== null) meta.push(format(observed) + (limit !== null ? ' of ' + format(limit) + ' limit' : ''));
      if (alert.period) meta.push('period ' + alert.period);
      if (alert.created_at) meta.push(formatDateTime(alert.created_at));
      item.append(el('span', meta.join(' · '), 'alert-meta'));
      list.append(item);
    });
    unalerted.forEach(function (row) {
      var item = el('li', null, 'alert');
      item.dataset.level = 'over';
      item.dataset.student = row.student || '';
      item.append(el('span', 'over threshold', 'badge badge-over'));
      item.append(el('span', 'Over the cost threshold · ' + studentLabel(row), 'alert-title'));
      item.append(el('span', money(row.total_cost_usd) + ' in this period · from this cost report; no stored alert yet (the scheduled check records one)', 'alert-meta'));
      list.append(item);
    });
  }

  function renderVariants(metrics) {
    var table = $('variants-table');
    var note = $('variants-note');
    Array.prototype.slice.call(table.tBodies).forEach(function (b) {
      b.remove();
    });
    if (metrics.error) {
      table.hidden = true;
      note.hidden = false;
      note.textContent = 'Variant metrics are unavailable: ' + (metrics.error.message || String(metrics.error));
      return;
    }
    var features = metrics.value && Array.isArray(metrics.value.features) ? metrics.value.features : [];
    table.hidden = features.length === 0;
    note.hidden = features.length > 0;
    note.textContent = features.length ? '' : 'No premium requests in this period.';

    var groups = {};
    var order = [];
    features.forEach(function (row) {
      var key = labelOf(row.feature, '(none)');
      if (!groups[key]) {
        groups[key] = [];
        order.push(key);
      }
      groups[key].push(row);
    });
    order.sort();
    order.forEach(function (key) {
      var list = groups[key].slice().sort(function (a, b) {
        return labelOf(a.variant, '').localeCompare(labelOf(b.variant, ''));
      });
      // Within a feature, the better value of each comparable column is marked.
      var best = {
        cost_per_request: bestOf(list, 'cost_per_request', 'min'),
        completion_rate: bestOf(list, 'completion_rate', 'max'),
        error_rate: bestOf(list, 'error_rate', 'min'),
        p95: bestOf(list, 'p95', 'min'),
      };
      var body = document.createElement('tbody');
      body.className = 'feature-group';
      list.forEach(function (row, i) {
        var tr = el('tr');
        tr.dataset.feature = key;
        tr.dataset.variant = labelOf(row.variant, '');
        var latency = row.latency_ms || {};
        tr.append(
          el('td', i === 0 ? key : ''),
          el('td', labelOf(row.variant, '(none)')),
          el('td', int(row.requests), 'num'),
          el('td', int(row.llm_calls), 'num'),
          el('td', pct(row.cache_hit_rate), 'num'),
          el('td', pct(row.fallback_rate), 'num'),
          cellBest(pct(row.error_rate), best.error_rate, row.error_rate, list.length),
          cellBest(pct(row.completion_rate), best.completion_rate, row.completion_rate, list.length),
          cellBest(usd(row.cost_per_request), best.cost_per_request, row.cost_per_request, list.length),
          el('td', ms(latency.p50), 'num'),
          cellBest(ms(latency.p95), best.p95, latency.p95, list.length),
        );
        body.append(tr);
      });
      table.append(body);
    });
  }

  function bestOf(list, field, direction) {
    var values = list
      .map(function (row) {
        return num(field === 'p95' ? row.latency_ms && row.latency_ms.p95 : row[field]);
      })
      .filter(function (v) {
        return v !== null;
      });
    if (values.length < 2) return null;
    var min = Math.min.apply(null, values);
    var max = Math.max.apply(null, values);
    if (min === max) return null; // a tie marks nothing
    return direction === 'min' ? min : max;
  }

  function cellBest(text, best, value, count) {
    var td = el('td', text, 'num');
    if (count > 1 && best !== null && num(value) === best) {
      td.classList.add('best');
      td.title = 'best of this feature';
    }
    return td;
  }

  function clearData() {
    ['tile-total-cost', 'tile-requests', 'tile-failed', 'tile-avg-student', 'tile-avg-request'].forEach(function (id) {
      setTile(id, '–', null, '');
    });
    $('students-table').tBodies[0].replaceChildren();
    $('alerts-list').replaceChildren();
    $('alerts-count').textContent = '';
    $('threshold-note').textContent = '';
    Array.prototype.slice.call($('variants-table').tBodies).forEach(function (b) {
      b.remove();
    });
    setError('');
    setStatus('');
  }

  // ---------------------------------------------------------------- CSV export

  async function onDownload() {
    if (!state.token) return;
    var group = $('export-group').value;
    if (GROUPS.indexOf(group) < 0) return;
    var button = $('download-csv');
    button.disabled = true;
    var before = button.textContent;
    button.textContent = 'Preparing…';
    try {
      var res = await api('/api/v2/admin/costs/export?' + rangeQuery() + '&group_by=' + group, { accept: 'text/csv' });
      var blob = await res.blob();
      var csv = blob.type ? blob : new Blob([blob], { type: 'text/csv' });
      var url = URL.createObjectURL(csv);
      var link = document.createElement('a');
      link.href = url;
      link.download = 'llm-costs-by-' + group + '-' + state.start + '-to-' + state.end + '.csv';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(function () {
        URL.revokeObjectURL(url);
      }, 30000);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        showLogin('Your session has ended. Please sign in again.');
        return;
      }
      setError('Could not download the CSV: ' + (e && e.message ? e.message : String(e)));
    } finally {
      button.disabled = false;
      button.textContent = before;
    }
  }

  // ---------------------------------------------------------------- start

  function start() {
    if (!window.Chart) {
      setError('Chart.js did not load; the charts cannot be drawn.');
      show('dashboard');
      return;
    }
    var Chart = window.Chart;
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
    Chart.defaults.font.size = 12;
    Chart.defaults.color = COLORS.text;

    $('login-form').addEventListener('submit', onLogin);
    $('sign-out').addEventListener('click', function () {
      showLogin('');
    });
    document.querySelectorAll('.preset').forEach(function (button) {
      button.addEventListener('click', onPreset);
    });
    $('start-date').addEventListener('change', onDateChange);
    $('end-date').addEventListener('change', onDateChange);
    $('download-csv').addEventListener('click', onDownload);
    window.addEventListener('resize', updateScrollHints);

    presetRange(30);
    var token = readToken();
    if (token) signedIn(token);
    else showLogin('');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

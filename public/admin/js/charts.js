/*
 * The four charts, drawn with Chart.js (its UMD build, loaded before the modules: window.Chart).
 * Labels and tooltips are canvas text, never HTML.
 */
import { $ } from './dom.js';
import { daysInRange } from './dates.js';
import { dayLabel, dayLong, int, labelOf, money, num, truncate, usd, usdAxis } from './format.js';
import { isOver, monthsOver } from './report.js';

export const COLORS = {
  accent: '#2563eb',
  accentFill: 'rgba(37, 99, 235, 0.12)',
  warn: '#f59e0b',
  danger: '#dc2626',
  grid: '#eef2f7',
  text: '#475569',
  palette: ['#2563eb', '#0d9488', '#f59e0b', '#7c3aed', '#db2777', '#65a30d', '#0891b2', '#ea580c', '#64748b', '#4f46e5'],
};

/** @type {Record<string, any>} */
const charts = {};

/** @returns {any} */
function Chart() {
  return /** @type {any} */ (window).Chart;
}

/** Whether Chart.js loaded; if so, the dashboard's defaults are set on it. */
export function setUpCharts() {
  const C = Chart();
  if (!C) return false;
  C.defaults.animation = false;
  C.defaults.responsive = true;
  C.defaults.maintainAspectRatio = false;
  C.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  C.defaults.font.size = 12;
  C.defaults.color = COLORS.text;
  return true;
}

/**
 * A feature's colour: its place in the feature list, so it keeps its colour from one range to the next.
 * @param {number} index
 */
export function paletteColour(index) {
  return COLORS.palette[index % COLORS.palette.length];
}

/**
 * @param {string} key
 * @param {any} config
 */
function chart(key, config) {
  if (charts[key]) charts[key].destroy();
  const C = Chart();
  charts[key] = new C($('chart-' + key), config);
  return charts[key];
}

export function destroyCharts() {
  for (const key of Object.keys(charts)) {
    charts[key].destroy();
    delete charts[key];
  }
}

/**
 * An empty breakdown gets a sentence instead of an empty chart.
 * @param {string} key
 * @param {boolean} hasData
 */
function showChart(key, hasData) {
  $('chart-' + key).parentElement.hidden = !hasData;
  $(key + '-empty').hidden = hasData;
  if (!hasData && charts[key]) {
    charts[key].destroy();
    delete charts[key];
  }
  return hasData;
}

/** @param {any[]} list */
function totalCost(list) {
  return list.reduce((sum, row) => sum + (num(row.total_cost_usd) ?? 0), 0);
}

/**
 * Cost per day over every day of the range, so a day without usage shows as zero, not as a gap.
 * @param {any[]} list `breakdown_by_day`
 * @param {string} start
 * @param {string} end
 */
export function renderDaily(list, start, end) {
  /** @type {Record<string, number>} */
  const byDay = {};
  for (const row of list) byDay[row.day] = (byDay[row.day] || 0) + (num(row.total_cost_usd) ?? 0);
  const days = daysInRange(start, end);
  const points = days.map((day, i) => ({ x: i, y: byDay[day] || 0 }));
  const n = days.length;
  const step = n <= 14 ? 1 : n <= 62 ? 7 : n <= 190 ? 14 : 30;
  $('chart-daily').setAttribute('aria-label', 'Cost per day, ' + start + ' to ' + end);
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
            title: (/** @type {any[]} */ items) => {
              const day = days[items[0].parsed.x];
              return day ? dayLong(day) : '';
            },
            label: (/** @type {any} */ item) => ' ' + money(item.parsed.y),
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
          afterBuildTicks: (/** @type {any} */ axis) => {
            const ticks = [];
            for (let i = n - 1; i >= 0; i -= step) ticks.unshift({ value: i });
            axis.ticks = ticks;
          },
          ticks: {
            autoSkip: true,
            maxRotation: 0,
            callback: (/** @type {number} */ value) => {
              const day = days[value];
              return Number.isInteger(value) && day ? dayLabel(day) : '';
            },
          },
        },
        y: { beginAtZero: true, grid: { color: COLORS.grid }, ticks: { callback: usdAxis, maxTicksLimit: 6 } },
      },
    },
  });
}

/**
 * Cost by feature as a doughnut, each feature in its own colour.
 * @param {any[]} list `breakdown_by_feature`
 * @param {(feature: string) => string} colourOf
 */
export function renderFeature(list, colourOf) {
  const total = totalCost(list);
  if (!showChart('feature', list.length > 0 && total > 0)) return;
  // Beside the doughnut on a wide card; under it on a narrow one (a phone), where it would be cut off.
  const narrow = $('chart-feature').parentElement.clientWidth < 480;
  chart('feature', {
    type: 'doughnut',
    data: {
      labels: list.map((row) => truncate(labelOf(row.feature, '(none)'), 40)),
      datasets: [
        {
          data: list.map((row) => num(row.total_cost_usd) ?? 0),
          backgroundColor: list.map((row) => colourOf(labelOf(row.feature, '(none)'))),
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
            generateLabels: (/** @type {any} */ c) => {
              const items = Chart().overrides.doughnut.plugins.legend.labels.generateLabels(c);
              for (const item of items) {
                const value = num(list[item.index] && list[item.index].total_cost_usd) ?? 0;
                item.text += '  ' + money(value) + (total ? ' · ' + ((value / total) * 100).toFixed(0) + '%' : '');
              }
              return items;
            },
          },
        },
        tooltip: {
          callbacks: {
            label: (/** @type {any} */ item) => {
              const row = list[item.dataIndex];
              const share = total ? ' (' + ((item.parsed / total) * 100).toFixed(1) + '%)' : '';
              return ' ' + money(item.parsed) + share + ' · ' + int(row.total_requests) + ' requests';
            },
          },
        },
      },
    },
  });
}

/** @param {any[]} list `breakdown_by_model` */
export function renderModel(list) {
  if (!showChart('model', list.length > 0 && totalCost(list) > 0)) return;
  chart('model', {
    type: 'bar',
    data: {
      labels: list.map((row) => truncate(labelOf(row.model, '(none)'), 32)),
      datasets: [
        {
          label: 'Cost (USD)',
          data: list.map((row) => num(row.total_cost_usd) ?? 0),
          backgroundColor: list.map((_, i) => paletteColour(i + 1)),
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
            label: (/** @type {any} */ item) => {
              const row = list[item.dataIndex];
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
const thresholdLine = {
  id: 'thresholdLine',
  afterDatasetsDraw(/** @type {any} */ c, /** @type {unknown} */ _args, /** @type {any} */ options) {
    const value = num(options && options.value);
    if (value === null || value <= 0) return;
    const x = c.scales.x.getPixelForValue(value);
    const area = c.chartArea;
    if (x < area.left || x > area.right) return;
    const ctx = c.ctx;
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
    const text = 'threshold ' + money(value);
    const half = ctx.measureText(text).width / 2;
    const centre = Math.min(Math.max(x, half + 2), c.width / (c.currentDevicePixelRatio || 1) - half - 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(text, centre, area.top - 4);
    ctx.restore();
  },
};

/**
 * The top students' spend in the range as horizontal bars, those the API counts over the
 * threshold in the warning colour.
 * @param {any[]} top
 * @param {(row: any) => string} labelOfStudent
 * @param {number | null} line the threshold to draw, or null for none
 */
export function renderStudents(top, labelOfStudent, line) {
  // The chart grows with the number of bars, so two students do not get a bar each a third of the chart apart.
  $('chart-students').parentElement.style.height = Math.max(150, Math.min(340, 60 + 28 * top.length)) + 'px';
  const max = top.reduce((m, row) => Math.max(m, num(row.total_cost_usd) ?? 0), 0);
  chart('students', {
    type: 'bar',
    data: {
      labels: top.map((row) => truncate(labelOfStudent(row), 26)),
      datasets: [
        {
          label: 'Cost (USD)',
          data: top.map((row) => num(row.total_cost_usd) ?? 0),
          backgroundColor: top.map((row) => (isOver(row) ? COLORS.warn : COLORS.accent)),
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
        thresholdLine: { value: line },
        tooltip: {
          callbacks: {
            title: (/** @type {any[]} */ items) => labelOfStudent(top[items[0].dataIndex]),
            label: (/** @type {any} */ item) => {
              const row = top[item.dataIndex];
              const months = monthsOver(row);
              return ' ' + money(item.parsed.x) + ' · ' + int(row.total_requests) + ' requests' + (months.length ? ' · over threshold in ' + months.join(', ') : '');
            },
          },
        },
      },
      scales: {
        x: {
          beginAtZero: true,
          suggestedMax: line !== null && line > max ? line * 1.15 : undefined,
          grid: { color: COLORS.grid },
          ticks: { callback: usdAxis, maxTicksLimit: 6 },
        },
        y: { grid: { display: false } },
      },
    },
    plugins: [thresholdLine],
  });
}

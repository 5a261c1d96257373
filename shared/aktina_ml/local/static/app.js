// Preview of the admin page's charts, drawn from the API's answers (GET /segments,
// GET /forecast). Each panel has data-state: loading | ready | no-model | unreachable | error.
"use strict";

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const API_KEY = meta("aktina-api-key");
// AKTINA_CURRENCY, injected by the local server (an ISO 4217 code such as UGX).
const CURRENCY = /^[A-Z]{3}$/.test(meta("aktina-currency")) ? meta("aktina-currency") : null;
const TIMEOUT_MS = 30000; // the Laravel app's timeout
const DAY_MS = 86400000;

// One meaning per colour on the whole page. Segments take the API's colours (one per stable
// segment id, the same in GET /forecast/segments); volume classes and demographic categories
// are neutral ramps (shares, not things); the forecast has its own hues, none a segment's.
const COLOURS = {
  segments: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#4E79A7",
    "#F28E2B", "#59A14F", "#B07AA1"], // used when an answer carries no colours
  volume: { high: "#334155", medium: "#94a3b8", low: "#e2e8f0" },
  averageSales: "#854d0e",
  // demographic categories, in their natural order (young → old, low → high): dark → light
  categories: ["#1c1917", "#57534e", "#8f8780", "#c2bbb5", "#e7e2dd"],
  unknown: "#fef08a",
  actual: "#0f172a",
  forecast: "#7c3aed",
  interval: "#c4b5fd",
  partial: "#6b7280",
  today: "#dc2626",
};
let segmentColours = COLOURS.segments;
const segmentColour = (i) => segmentColours[i % segmentColours.length];

const charts = {};
const count = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const money = CURRENCY
  ? new Intl.NumberFormat("en", { style: "currency", currency: CURRENCY, maximumFractionDigits: 0 })
  : count;
const moneyShort = CURRENCY
  ? new Intl.NumberFormat("en", { style: "currency", currency: CURRENCY, notation: "compact",
    maximumFractionDigits: 1 })
  : new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const percent = (fraction) => `${Math.round(fraction * 100)} %`;

// Dates arrive as ISO days ("2026-12-01", read as UTC) or timestamps with a zone.
const dateFormat = (options) => new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...options });
const longDay = dateFormat({ weekday: "short", day: "numeric", month: "short", year: "numeric" });
const shortDay = dateFormat({ day: "numeric", month: "short", year: "numeric" });
const monthName = dateFormat({ month: "long", year: "numeric" });
const moment = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
  timeZoneName: "short" });
const dayMs = (iso) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
const inWords = (iso) => (iso ? shortDay.format(dayMs(iso)) : "–");
const whenInWords = (timestamp) => (timestamp ? moment.format(new Date(timestamp)) : "–");

async function callApi(path) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    // The API sends Cache-Control and an ETag: revalidate (304 when unchanged) so that a
    // refresh still notices a model that is gone or a service that stopped.
    response = await fetch(path, {
      headers: { "x-api-key": API_KEY }, cache: "no-cache", signal: controller.signal });
  } catch (err) {
    return { kind: "unreachable", message: String(err.message || err) };
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  try { body = await response.json(); } catch (err) { body = null; }
  if (response.ok && body) return { kind: "ok", body };
  const message = (body && body.message) || response.statusText || "no message";
  if (response.status === 503) return { kind: "no-model", message };
  return { kind: "error", status: response.status, message };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function setState(panel, state, html) {
  panel.dataset.state = state;
  panel.querySelector(".status").innerHTML = html || "";
}

function showProblem(panel, what, result) {
  if (result.kind === "no-model") {
    setState(panel, "no-model", `<strong>No ${what} model yet.</strong> The service answered 503:
      ${escapeHtml(result.message)}. Train one with <code>aktina-ml train --data-dir var/demo</code>
      (or <code>make demo</code>), then press Refresh.`);
  } else if (result.kind === "unreachable") {
    setState(panel, "unreachable", `<strong>Service unavailable.</strong> The Aktina ML service at
      ${escapeHtml(location.origin)} cannot be reached (${escapeHtml(result.message)}). Is
      <code>aktina-ml serve</code> still running?`);
  } else if (result.status === 403 && result.message === "Missing Authentication Token") {
    setState(panel, "error", `<strong>Not available.</strong> This service has no ${what}
      endpoint (API Gateway's 403 for an unknown route).`);
  } else if (result.status === 403) {
    setState(panel, "error", `<strong>API key refused (403).</strong> Reload this page from the
      server that printed the key.`);
  } else {
    setState(panel, "error", `<strong>The service answered ${result.status}.</strong>
      ${escapeHtml(result.message)}`);
  }
}

// A chart is drawn anew into a fresh element every time, and only from the latest answer (an
// earlier selection's late answer is dropped, see loadForecast). A fresh element because a
// destroyed ApexCharts instance can still run a pending resize redraw into its old element:
// the page then showed the previous selection until the window was resized.
async function draw(id, element, options) {
  if (charts[id]) charts[id].destroy();
  const target = document.createElement("div");
  element.replaceChildren(target);
  const base = { chart: { animations: { enabled: false }, toolbar: { show: false },
    fontFamily: "inherit" }, dataLabels: { enabled: false } };
  const merged = { ...base, ...options, chart: { ...base.chart, ...options.chart } };
  charts[id] = new ApexCharts(target, merged);
  await charts[id].render();
}

// Segment names are long ("Urban · adult — 80% high volume"): axes show "S<id>", the
// tooltip and the description list the full name.
function segmentAxis(chart) {
  return {
    xaxis: { categories: chart.segment_ids.map((id) => `S${id}`) },
    tooltip: { x: { formatter: (value, opts) => chart.categories[opts.dataPointIndex] } },
  };
}

// --- quality figures: a few headlines a manager can read, the rest folded ------------------

function headlines(list, rows) {
  list.innerHTML = rows.filter(Boolean).map(({ label, value, meaning }) => `<div class="headline">
    <dt>${escapeHtml(label)}</dt><dd><strong>${escapeHtml(value)}</strong>
    <span class="meaning">${escapeHtml(meaning)}</span></dd></div>`).join("");
}

function humanLabel(key) {
  const text = key.replace(/[._]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function plainValue(key, value) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return count.format(value);
  if (/accuracy|fraction|coverage|share/.test(key) && value >= 0 && value <= 1) {
    return `${(value * 100).toFixed(1)} %`;
  }
  return value.toFixed(2);
}

function flatScalars(object, prefix = "") {
  const rows = [];
  for (const [key, value] of Object.entries(object || {})) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      rows.push(...flatScalars(value, `${prefix}${key}.`));
    } else if (!Array.isArray(value)) {
      rows.push([`${prefix}${key}`, value]);
    }
  }
  return rows;
}

function allFigures(list, extra, metrics) {
  const rows = [...extra, ...flatScalars(metrics).map(([key, value]) =>
    [humanLabel(key), plainValue(key, value)])];
  list.innerHTML = rows.map(([label, value]) => `<div class="metric"><dt>${escapeHtml(label)}</dt>
    <dd>${escapeHtml(value)}</dd></div>`).join("");
}

// --- segments ----------------------------------------------------------------------------

async function loadSegments() {
  const panel = document.getElementById("segments");
  setState(panel, "loading", "Loading segments …");
  const result = await callApi("/segments");
  if (result.kind !== "ok") return showProblem(panel, "segmentation", result);
  const body = result.body;
  const c = body.charts;
  segmentColours = c.distribution.colors || COLOURS.segments;
  setState(panel, "ready");
  document.getElementById("segments-meta").textContent =
    `${body.k} segments of ${count.format(body.metrics.retailers || body.segments.reduce(
      (n, s) => n + (s.size || 0), 0))} retailers · trained ${whenInWords(body.trained_at)}`;

  const list = document.getElementById("segment-list");
  list.innerHTML = body.segments.map((s, i) => `<li><span class="swatch"
    style="background:${segmentColour(i)}"></span><span class="id">S${s.id}</span>
    <span class="name">${escapeHtml(s.name)}</span><div>${escapeHtml(s.description)}</div></li>`)
    .join("");

  const rendered = [
    draw("distribution", document.getElementById("chart-distribution"), {
      chart: { type: c.distribution.type, height: 340 },
      labels: c.distribution.labels,
      series: c.distribution.series,
      colors: body.segments.map((s, i) => segmentColour(i)),
      legend: { position: "bottom" },
      dataLabels: { enabled: true },
      tooltip: { y: { formatter: (v) => `${count.format(v)} retailers` } },
    }),
    draw("performance", document.getElementById("chart-performance"),
      performanceOptions(c.performance)),
  ];
  // Lay every figure out first: a chart takes its width from its cell when it renders.
  const container = document.getElementById("chart-demographics");
  container.innerHTML = c.demographics.map((d) => `<figure data-dimension="${escapeHtml(d.dimension)}">
    <figcaption>${escapeHtml(d.title)}</figcaption><div class="chart"></div></figure>`).join("");
  c.demographics.forEach((d, i) => {
    const axis = segmentAxis(d);
    let known = 0;
    rendered.push(draw(`demographics-${i}`, container.children[i].querySelector(".chart"), {
      chart: { type: d.type, height: 280, stacked: !!d.stacked },
      series: d.series,
      colors: d.series.map((s) => (s.name === "unknown" ? COLOURS.unknown
        : COLOURS.categories[known++ % COLOURS.categories.length])),
      stroke: { width: 1, colors: ["#ffffff"] },
      xaxis: axis.xaxis,
      yaxis: { max: 100, labels: { formatter: (v) => `${Math.round(v)} %` } },
      tooltip: { ...axis.tooltip, y: { formatter: (v) => `${v} % of the segment` } },
      legend: { position: "top" },
    }));
  });
  segmentQuality(body);
  await Promise.all(rendered);
}

function segmentQuality(body) {
  const m = body.metrics || {};
  const t = body.volume_thresholds || {};
  const smallest = body.segments.length
    ? Math.min(...body.segments.map((s) => s.size || 0)) : null;
  const total = body.segments.reduce((n, s) => n + (s.size || 0), 0);
  headlines(document.getElementById("segment-headlines"), [
    m.heldout_accuracy !== undefined && {
      label: "Sales volume guessed right",
      value: percent(m.heldout_accuracy),
      meaning: "of retailers the model had not seen, from their demographics alone" +
        (m.best_single_attribute_accuracy !== undefined
          ? `; one attribute alone (${humanLabel(String(m.best_single_attribute || "best"))}) gets ` +
            `${percent(m.best_single_attribute_accuracy)}` : "") +
        (m.majority_class_accuracy !== undefined
          ? `, always guessing the commonest class ${percent(m.majority_class_accuracy)}` : "") + ".",
    },
    t.low_medium !== undefined && {
      label: "Volume classes",
      value: `${moneyShort.format(t.low_medium)} | ${moneyShort.format(t.medium_high)}`,
      meaning: `total sales below ${money.format(t.low_medium)} is low volume, above ` +
        `${money.format(t.medium_high)} high.`,
    },
    smallest !== null && total > 0 && {
      label: "Smallest segment",
      value: percent(smallest / total),
      meaning: `of retailers (${count.format(smallest)}): every segment is large enough to act on.`,
    },
  ]);
  allFigures(document.getElementById("segment-metrics"), [
    ["Model version", body.model_version || "–"],
    ["Trained", whenInWords(body.trained_at)],
  ], m);
}

// The API's performance chart: volume-mix shares (stacked, %) and average sales, each group
// on its own y axis. ApexCharts maps an axis to several series through a seriesName list.
function performanceOptions(p) {
  const groupOf = (name) => (p.series.find((s) => s.name === name) || {}).group;
  const names = (group) => p.series.filter((s) => s.group === group).map((s) => s.name);
  const isMoney = (group) => group === "average_sales";
  const colour = (s) => (isMoney(s.group) ? COLOURS.averageSales
    : COLOURS.volume[s.name.split(" ")[0].toLowerCase()] || COLOURS.partial);
  return {
    chart: { type: p.type, height: 320, stacked: true },
    series: p.series,
    colors: p.series.map(colour),
    ...segmentAxis(p),
    yaxis: (p.yaxis || []).map((axis) => ({
      seriesName: names(groupOf(axis.seriesName)),
      opposite: !!axis.opposite,
      max: axis.max,
      title: { text: isMoney(groupOf(axis.seriesName)) && CURRENCY
        ? `${axis.title} (${CURRENCY})` : axis.title },
      labels: { formatter: (v) => (isMoney(groupOf(axis.seriesName))
        ? moneyShort.format(v) : `${Math.round(v)} %`) },
    })),
    tooltip: { ...segmentAxis(p).tooltip, y: { formatter: (v, opts) =>
      (isMoney(p.series[opts.seriesIndex].group) ? money.format(v) : `${v} %`) } },
    legend: { position: "top" },
  };
}

// --- forecast ----------------------------------------------------------------------------

const PERIOD = { day: "day", week: "week", month: "month" };

function fullPeriodDays(iso, granularity) {
  if (granularity === "day") return 1;
  if (granularity === "week") return 7;
  const d = new Date(dayMs(iso));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

function periodText(iso, days, granularity) {
  const start = dayMs(iso);
  if (granularity === "day") return longDay.format(start);
  const full = fullPeriodDays(iso, granularity);
  const name = granularity === "month" ? monthName.format(start)
    : `week of ${shortDay.format(start)}`;
  if (days >= full) return name;
  const end = start + (days - 1) * DAY_MS;
  return `${shortDay.format(start)} – ${shortDay.format(end)} (${days} of ${full} days of the ` +
    `${granularity}: partial)`;
}

// Each period of an answer: its day, total, bounds, days covered and whether it is partial.
function periodsOf(dates, values, periodDays, granularity, lower, upper) {
  return dates.map((iso, i) => ({
    iso, x: dayMs(iso), y: values[i], lower: lower && lower[i], upper: upper && upper[i],
    days: periodDays[i], partial: periodDays[i] < fullPeriodDays(iso, granularity),
  }));
}

let forecastRequest = 0;

async function loadForecast() {
  const panel = document.getElementById("forecast");
  const form = document.getElementById("forecast-controls");
  const horizon = form.elements.horizon_days.value;
  const granularity = form.elements.granularity.value;
  const request = ++forecastRequest;
  setState(panel, "loading", "Loading the forecast …");
  const result = await callApi(`/forecast?horizon_days=${horizon}&granularity=${granularity}`);
  if (request !== forecastRequest) return; // a later selection is on its way
  if (result.kind !== "ok") return showProblem(panel, "forecast", result);
  const body = result.body;
  setState(panel, "ready");
  panel.dataset.horizon = String(body.horizon_days);
  panel.dataset.granularity = body.granularity;
  const window = body.data_window || {};
  const first = window.first_day || window.start;
  const last = window.last_day || window.end;
  document.getElementById("forecast-meta").textContent =
    `${body.horizon_days} days by ${PERIOD[body.granularity]}, from ` +
    `${inWords(body.dates[0])} to ${inWords(new Date(dayMs(body.dates[0]) +
      (body.horizon_days - 1) * DAY_MS).toISOString())}` +
    (CURRENCY ? ` · amounts in ${CURRENCY}` : "") +
    ` · trained ${whenInWords(body.trained_at)}` +
    (first ? ` on sales from ${inWords(first)} to ${inWords(last)}` : "");
  staleWarning(body.dates[0]);
  await draw("forecast", document.getElementById("chart-forecast"),
    forecastOptions(body, granularity));
  if (request !== forecastRequest) return;
  panel.dataset.drawn = String(request);
  forecastQuality(body);
}

function staleWarning(firstForecastDay) {
  const note = document.getElementById("forecast-stale");
  const behind = Math.round((todayMs() - dayMs(firstForecastDay)) / DAY_MS);
  note.hidden = behind < 2;
  note.textContent = behind < 2 ? "" : `This forecast starts on ${inWords(firstForecastDay)}, ` +
    `${behind} days ago: the model was trained on old data. Train it again for a forecast ` +
    "from today.";
}

function todayMs() {
  const now = new Date();
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
}

// Complete periods are lines (actual, forecast) with the interval as a band; a partial first
// or last period is a hollow grey point of its own, so that it never looks like a drop.
function forecastOptions(body, granularity) {
  const history = periodsOf(body.history.dates, body.history.values, body.history.period_days,
    granularity);
  const ahead = periodsOf(body.dates, body.values, body.period_days, granularity,
    body.lower, body.upper);
  const complete = (list) => list.filter((p) => !p.partial);
  const partial = [...history.filter((p) => p.partial).map((p) => ({ ...p, kind: "actual" })),
    ...ahead.filter((p) => p.partial).map((p) => ({ ...p, kind: "forecast" }))];
  const intervalName = `${Math.round(body.interval_width * 100)}% interval`;
  const series = [
    { name: "Actual sales", type: "line", data: complete(history).map((p) => ({ x: p.x, y: p.y })) },
    { name: "Forecast", type: "line", data: complete(ahead).map((p) => ({ x: p.x, y: p.y })) },
    { name: intervalName, type: "rangeArea",
      data: complete(ahead).map((p) => ({ x: p.x, y: [p.lower, p.upper] })) },
  ];
  const colours = [COLOURS.actual, COLOURS.forecast, COLOURS.interval];
  if (partial.length) {
    series.push({ name: `Partial ${granularity}`, type: "line",
      data: partial.map((p) => ({ x: p.x, y: p.y })) });
    colours.push(COLOURS.partial);
  }
  const lookup = new Map([...history, ...ahead].map((p) => [p.x, p]));
  const xs = [...history, ...ahead].map((p) => p.x);
  const first = Math.min(...xs, todayMs());
  const last = Math.max(...xs, todayMs());
  const pad = { day: 1, week: 3.5, month: 15 }[granularity] * DAY_MS;
  const few = (n) => (n <= 60 ? 4 : 0);
  return {
    chart: { type: "rangeArea", height: 380, zoom: { enabled: false } },
    series,
    colors: colours,
    // Half a period of room at each end: a lone first or last point is not cut off.
    xaxis: { type: "datetime", min: first - pad, max: last + pad, labels: { datetimeUTC: true,
      datetimeFormatter: { year: "yyyy", month: "MMM yyyy", day: "d MMM", hour: "" } } },
    stroke: { curve: "straight", width: [2, 2, 0, 0] },
    fill: { opacity: [1, 1, 0.35, 1] },
    markers: {
      size: [few(series[0].data.length), few(series[1].data.length), 0, 6],
      strokeWidth: [0, 0, 0, 2],
      strokeColors: colours,
      fillOpacity: [1, 1, 1, 0],
      hover: { sizeOffset: 2 },
    },
    annotations: { xaxis: [{ x: todayMs(), borderColor: COLOURS.today, strokeDashArray: 4,
      label: { text: `Today, ${shortDay.format(todayMs())}`, orientation: "horizontal",
        textAnchor: "end",
        borderColor: COLOURS.today, style: { color: "#fff", background: COLOURS.today } } }] },
    yaxis: { min: 0, title: { text: CURRENCY ? `Sales (${CURRENCY})` : "Sales" },
      labels: { formatter: (v) => moneyShort.format(v) } },
    tooltip: {
      shared: false, intersect: false,
      x: { formatter: (x) => { const p = lookup.get(x); return p
        ? periodText(p.iso, p.days, granularity) : longDay.format(x); } },
      y: { formatter: (v) => (Array.isArray(v) ? v.map((e) => money.format(e)).join(" – ")
        : money.format(v)) },
    },
    legend: { position: "top" },
  };
}

function forecastQuality(body) {
  const b = body.backtest || {};
  const width = Math.round((body.interval_width || b.interval_width || 0.8) * 100);
  const coverage = b.coverage_calibrated ?? b.coverage;
  const ratio = b.mase && b.mase_seasonal_naive ? b.mase / b.mase_seasonal_naive : null;
  headlines(document.getElementById("forecast-headlines"), [
    b.smape !== undefined && b.smape !== null && {
      label: "Typical daily error",
      value: `${Math.round(b.smape)} %`,
      meaning: `how far a day's forecast was from the real sales (sMAPE), tested on the last ` +
        `${b.folds || "few"} × ${b.horizon_days || 30} days of history the model had not seen.`,
    },
    ratio !== null && {
      label: "Against a simple guess",
      value: ratio <= 1 ? `${Math.round((1 - ratio) * 100)} % smaller error`
        : `${Math.round((ratio - 1) * 100)} % larger error`,
      meaning: "than repeating the last week's sales (seasonal naive; MASE " +
        `${b.mase.toFixed(2)} against ${b.mase_seasonal_naive.toFixed(2)}).`,
    },
    coverage !== undefined && coverage !== null && {
      label: `${width}% range`,
      value: `held ${percent(coverage)} of days`,
      meaning: `the shaded band should hold the real sales on ${width} % of days; it did on ` +
        `${percent(coverage)} of the held-out days.`,
    },
  ]);
  allFigures(document.getElementById("forecast-metrics"), [
    ["Model version", body.model_version || "–"],
    ["Trained", whenInWords(body.trained_at)],
  ], b);
}

function loadAll() {
  return Promise.all([loadSegments(), loadForecast()]);
}

document.getElementById("forecast-controls").addEventListener("change", loadForecast);
document.getElementById("refresh").addEventListener("click", loadAll);
loadAll();

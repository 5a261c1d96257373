// Preview of the admin page's charts, drawn from the API's answers (GET /summary,
// GET /segments, GET /forecast). Each panel has data-state: loading | ready | no-model | unreachable | error.
// Page glue only: every chart's options come from the Laravel kit's chart script
// (aktina-ml.js, window.AktinaMl.options), the one place that shapes each chart.
"use strict";

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const API_KEY = meta("aktina-api-key");
// AKTINA_CURRENCY, injected by the local server (an ISO 4217 code such as UGX).
const CURRENCY = /^[A-Z]{3}$/.test(meta("aktina-currency")) ? meta("aktina-currency") : null;
const TIMEOUT_MS = 30000; // the Laravel app's timeout
const DAY_MS = 86400000;

// Segments take the API's colours (one per stable segment id, the same in GET
// /forecast/segments); these are used when an answer carries none.
const SEGMENT_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
  "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1"];
let segmentColours = SEGMENT_COLOURS;
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
const shortDay = dateFormat({ day: "numeric", month: "short", year: "numeric" });
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
async function draw(id, element, kind, data) {
  if (charts[id]) charts[id].destroy();
  const target = document.createElement("div");
  element.replaceChildren(target);
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  charts[id] = new ApexCharts(target, AktinaMl.options(kind, data, { dark, currency: CURRENCY }));
  await charts[id].render();
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
  segmentColours = c.distribution.colors || SEGMENT_COLOURS;
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
    draw("distribution", document.getElementById("chart-distribution"), "distribution",
      { ...c.distribution, colors: body.segments.map((s, i) => segmentColour(i)) }),
    draw("performance", document.getElementById("chart-performance"), "performance",
      c.performance),
  ];
  // Lay every figure out first: a chart takes its width from its cell when it renders.
  const container = document.getElementById("chart-demographics");
  container.innerHTML = c.demographics.map((d) => `<figure data-dimension="${escapeHtml(d.dimension)}">
    <figcaption>${escapeHtml(d.title)}</figcaption><div class="chart"></div></figure>`).join("");
  c.demographics.forEach((d, i) => {
    rendered.push(draw(`demographics-${i}`, container.children[i].querySelector(".chart"),
      "demographics", d));
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

// --- forecast ----------------------------------------------------------------------------

const PERIOD = { day: "day", week: "week", month: "month" };

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
  await draw("forecast", document.getElementById("chart-forecast"), "forecast", body);
  if (request !== forecastRequest) return;
  panel.dataset.drawn = String(request);
  forecastQuality(body);
}

function staleWarning(firstForecastDay) {
  const note = document.getElementById("forecast-stale");
  const behind = Math.round((AktinaMl.todayMs() - dayMs(firstForecastDay)) / DAY_MS);
  note.hidden = behind < 2;
  note.textContent = behind < 2 ? "" : `This forecast starts on ${inWords(firstForecastDay)}, ` +
    `${behind} days ago: the model was trained on old data. Train it again for a forecast ` +
    "from today.";
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

// --- the summary (GET /summary): cards, the Revenue & Demand chart, trends, recommendations -

const SUMMARY_PANELS = ["summary-cards", "revenue-demand", "trends", "recommendations"];
const signed = (fraction) => (fraction === null || fraction === undefined ? ""
  : `${fraction > 0 ? "+" : fraction < 0 ? "−" : ""}${Math.abs(fraction * 100).toFixed(Math.abs(fraction) >= 0.1 ? 0 : 1)} %`);
const direction = (fraction) => (fraction > 0.005 ? "up" : fraction < -0.005 ? "down" : "");
const changeHtml = (fraction) => `<strong class="${direction(fraction)}">${escapeHtml(signed(fraction))}</strong>`;
const span = (start, end) => `${inWords(start)} – ${inWords(end)}`;
const figures = (object) => Object.entries(object || {}).filter(([, v]) => v === null || typeof v !== "object")
  .map(([k, v]) => `${k.replace(/_/g, " ")} ${typeof v === "number" && /share|change/.test(k) ? signed(v).replace("+", "")
    : typeof v === "number" ? (Number.isInteger(v) || Math.abs(v) >= 10000 ? count.format(v)
      : String(Math.round(v * 100) / 100)) : v}`).join(" · ");

let summaryRequest = 0;

async function loadSummary() {
  const panels = SUMMARY_PANELS.map((id) => document.getElementById(id));
  const request = ++summaryRequest;
  panels.forEach((panel) => setState(panel, "loading", "Loading the summary …"));
  const result = await callApi("/summary");
  if (request !== summaryRequest) return;
  if (result.kind !== "ok") return panels.forEach((panel) => showProblem(panel, "forecast", result));
  const b = result.body;
  panels.forEach((panel) => setState(panel, "ready"));
  const versions = b.versions || {};
  document.getElementById("summary-meta").textContent = `sales to ${inWords(b.as_of)} · forecast model ` +
    `${versions.forecast}` + (versions.demand ? ` · demand model ${versions.demand}` : "") +
    (CURRENCY ? ` · amounts in ${CURRENCY}` : "");
  revenueCard(b.revenue || {});
  demandCard(b.demand || {});
  riskCard(b.risk || {});
  trendsPanel(b.trends || {});
  recommendationsPanel(b.recommendations || []);
  const chart = b.chart;
  const width = (b.revenue || {}).interval_width || 0.8;
  document.getElementById("revenue-demand-meta").textContent = `By ${chart.granularity}: revenue` +
    (chart.units ? " (left axis) and units (right axis)" : "") + ` from ${inWords(chart.revenue.history.dates[0])}, ` +
    `forecast from ${inWords(chart.revenue.forecast.dates[0])} with its ${Math.round(width * 100)} % band`;
  document.getElementById("revenue-demand-units").textContent = chart.units ? ""
    : `Units: not available yet (${(b.demand || {}).reason || "no demand model has been promoted yet"}).`;
  await draw("revenue-demand", document.getElementById("chart-revenue-demand"), "revenueDemand",
    { ...chart, interval_width: width, as_of: b.as_of });
  if (request !== summaryRequest) return;
  document.getElementById("revenue-demand").dataset.drawn = String(request);
}

function revenueCard(revenue) {
  const card = document.getElementById("card-revenue");
  const spans = [...(revenue.spans || [])].sort((a, b) => b.days - a.days);
  card.dataset.state = revenue.status === "ok" && spans.length ? "ready" : "unavailable";
  const width = Math.round((revenue.interval_width || 0.8) * 100);
  card.querySelector(".body").innerHTML = card.dataset.state !== "ready"
    ? `No revenue forecast: ${escapeHtml(revenue.reason || "the forecast has no span from today")}.`
    : spans.map((s) => `<div class="span" data-days="${s.days}">
      <p class="label">${escapeHtml(s.label)} · ${escapeHtml(span(s.start, s.end))}</p>
      <p class="figure" data-figure="revenue">${escapeHtml(moneyShort.format(s.point))}</p>
      <p>${changeHtml(s.change)} against ${escapeHtml(moneyShort.format(s.previous))} the same span before</p>
      <p class="note">${width} % likely ${escapeHtml(moneyShort.format(s.lower))} – ${escapeHtml(moneyShort.format(s.upper))}</p>
      <p><span class="badge ${escapeHtml(s.certainty)}">${escapeHtml(s.certainty)} certainty</span>
        ${escapeHtml(s.certainty_text)}</p></div>`).join("");
}

function demandCard(demand) {
  const card = document.getElementById("card-demand");
  const m = demand.month;
  card.dataset.state = demand.status === "ok" && m ? "ready" : "unavailable";
  if (card.dataset.state !== "ready") {
    card.querySelector(".body").textContent =
      `Demand in units is not available yet: ${demand.reason || "no demand model has been promoted yet"}.`;
    return;
  }
  const rise = demand.largest_rise;
  const q = demand.item_quality || {};
  const problems = Object.entries(q.problems || {}).filter(([, n]) => n > 0)
    .map(([k, n]) => `${count.format(n)} ${k.replace(/_/g, " ")}`);
  card.querySelector(".body").innerHTML = `<p class="label">Units next month · ${escapeHtml(span(m.start, m.end))}</p>
    <p class="figure" data-figure="units">${escapeHtml(count.format(m.units))}</p>
    <p>${changeHtml(m.change)} against ${escapeHtml(count.format(m.previous))} in the last ${m.days} days</p>
    <p><span class="badge ${escapeHtml(m.certainty)}">${escapeHtml(m.certainty)} certainty</span>
      ${escapeHtml(m.certainty_text)}</p>
    <p class="rise">${rise ? `Largest rise: ${escapeHtml(rise.name)}, ${count.format(rise.units)} units ` +
      `(${rise.rise >= 0 ? "+" : "−"}${count.format(Math.abs(rise.rise))} on the last 30 days' ${count.format(rise.previous)})`
      : "No product is expected to sell more next month than in the last 30 days."}</p>
    <ol class="rows">${(demand.products || []).map((p) => `<li data-product="${p.product_id}"><strong>${escapeHtml(p.name)}</strong>
      ${count.format(p.units)} ${changeHtml(p.change)}<span class="note">likely ${count.format(p.lower)} – ` +
      `${count.format(p.upper)} · ${escapeHtml(p.method_note || p.method || "")}</span></li>`).join("")}</ol>
    <p class="note">${q.lines !== undefined ? `Read from ${count.format(q.lines)} item lines of ${count.format(q.orders)} orders` +
      (problems.length ? `; problems counted: ${escapeHtml(problems.join(", "))}.` : "; every line could be read.") : ""}</p>`;
}

function riskCard(risk) {
  const card = document.getElementById("card-risk");
  card.dataset.state = "ready";
  const level = String(risk.level || "");
  card.querySelector(".body").innerHTML = `<p class="label">Risk level</p>
    <p class="figure level-${escapeHtml(level)}" data-figure="risk" data-level="${escapeHtml(level)}">` +
    `${escapeHtml(level.charAt(0).toUpperCase() + level.slice(1))}</p>
    <ul class="rows">${(risk.reasons || []).map((r) => `<li data-code="${escapeHtml(r.code)}"><span class="badge ` +
      `risk-${escapeHtml(r.level)}">${escapeHtml(r.level)}</span> ${escapeHtml(r.text)}<span class="note">` +
      `${escapeHtml(figures(r.figures))}</span></li>`).join("")}</ul>` +
    ((risk.reasons || []).length ? "" : "<p class=\"note\">No measured fact points to a risk.</p>");
}

function trendsPanel(trends) {
  const w = trends.window || {};
  document.getElementById("trends-window").textContent = w.start ? `Sales of the last ${w.days} days ` +
    `(${span(w.start, w.end)}) against the ${w.days} days before (${span(w.previous_start, w.previous_end)}).` : "";
  const rows = (list, format) => (list || []).map((r) => `<li><strong>${escapeHtml(r.name)}</strong> ` +
    `${r.change === null && !r.previous ? (r.current ? "<strong>new</strong>" : "") : changeHtml(r.change)}` +
    `<span class="note">${escapeHtml(format(r.current))} against ${escapeHtml(format(r.previous))}</span></li>`).join("");
  document.getElementById("trends-segments").innerHTML = rows(trends.segments, (v) => moneyShort.format(v));
  document.getElementById("trends-products").innerHTML = rows(trends.products, (v) => `${count.format(v)} units`);
}

function recommendationsPanel(list) {
  document.getElementById("recommendation-list").innerHTML = list.map((r) => `<li data-code="${escapeHtml(r.code)}">` +
    `${escapeHtml(r.text)}<span class="note">Rests on: ${escapeHtml(figures(r.figures))}</span></li>`).join("");
  const empty = document.getElementById("recommendations-empty");
  empty.hidden = list.length > 0;
  empty.textContent = list.length ? "" : "Nothing the data supports yet: no rule over these figures applies, " +
    "so there is no advice to give.";
}

function loadAll() {
  return Promise.all([loadSummary(), loadSegments(), loadForecast()]);
}

document.getElementById("forecast-controls").addEventListener("change", loadForecast);
document.getElementById("refresh").addEventListener("click", loadAll);
loadAll();

// --- parts of a panel with answers of their own: segment forecasts, forecast accuracy -----

// Resolves with the panel's state once it is no longer loading: a part draws its chart only
// in a panel that shows its content (a chart takes its width from its cell when it renders).
function panelSettled(panel) {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => check());
    const check = () => {
      if (panel.dataset.state === "loading") return false;
      observer.disconnect();
      resolve(panel.dataset.state);
      return true;
    };
    if (!check()) observer.observe(panel, { attributes: true, attributeFilter: ["data-state"] });
  });
}

// --- segment forecasts (GET /forecast/segments), under "Segment performance" --------------

let segmentForecastRequest = 0;

async function loadSegmentForecasts() {
  const part = document.getElementById("segment-forecasts");
  const form = document.getElementById("forecast-controls");
  const horizon = form.elements.horizon_days.value;
  const granularity = form.elements.granularity.value;
  const request = ++segmentForecastRequest;
  setState(part, "loading", "Loading the segment forecasts …");
  if (await panelSettled(document.getElementById("segments")) !== "ready") return;
  const [result, overview] = await Promise.all([
    callApi(`/forecast/segments?horizon_days=${horizon}&granularity=${granularity}`),
    callApi("/segments"), // the segment colours, by segment id (revalidated: a 304)
  ]);
  if (request !== segmentForecastRequest) return; // a later selection is on its way
  if (result.kind === "no-model") {
    return setState(part, "no-model", `<strong>No per-segment forecasts yet.</strong> The
      service answered 503: ${escapeHtml(result.message)}. Once trained, press Refresh.`);
  }
  if (result.kind !== "ok") return showProblem(part, "per-segment forecast", result);
  const body = result.body;
  const colours = new Map();
  if (overview.kind === "ok") {
    const d = overview.body.charts.distribution;
    (d.segment_ids || []).forEach((id, i) => colours.set(id, (d.colors || [])[i]));
  }
  setState(part, "ready");
  part.dataset.horizon = String(body.horizon_days);
  part.dataset.granularity = body.granularity;
  const lastDay = new Date(dayMs(body.dates[0]) + (body.horizon_days - 1) * DAY_MS).toISOString();
  document.getElementById("segment-forecasts-meta").textContent =
    `${body.segments.length} segments, ${body.horizon_days} days by ${PERIOD[body.granularity]}, ` +
    `from ${inWords(body.dates[0])} to ${inWords(lastDay)}` +
    (CURRENCY ? ` · amounts in ${CURRENCY}` : "") + ` · trained ${whenInWords(body.trained_at)}`;
  document.getElementById("segment-forecasts-reconciliation").textContent =
    reconciliationWords(body.reconciliation || {});
  await draw("segment-forecasts", document.getElementById("chart-segment-forecasts"),
    "segmentForecasts", { ...body, segments: body.segments.map((s) =>
      ({ ...s, color: colours.get(s.id) || s.color })) });
  if (request !== segmentForecastRequest) return;
  part.dataset.drawn = String(request);
}

function reconciliationWords(r) {
  const skipped = Object.keys(r.skipped || {});
  const times = (f) => `×${Number(f).toFixed(2)}`;
  return (r.factor_min !== undefined
    ? "The segments add up to the total forecast: each segment's own forecast is scaled, day " +
      "by day, by the total's share of their sum (top-down by forecast shares), between " +
      `${times(r.factor_min)} and ${times(r.factor_max)} (median ${times(r.factor_median)}).`
    : "") + (skipped.length
    ? ` Not forecast (too little history): ${skipped.map((id) => `S${id}`).join(", ")}.` : "");
}

// --- how the forecasts did (GET /forecast/accuracy) ---------------------------------------

let accuracyRequest = 0;

async function loadAccuracy() {
  const part = document.getElementById("accuracy");
  const lead = document.getElementById("accuracy-controls").elements.lead_days.value;
  const request = ++accuracyRequest;
  setState(part, "loading", "Loading how the earlier forecasts did …");
  if (await panelSettled(document.getElementById("forecast")) !== "ready") return;
  const result = await callApi(`/forecast/accuracy?lead_days=${lead}`);
  if (request !== accuracyRequest) return;
  if (result.kind === "no-model") {
    return setState(part, "no-model", `<strong>No forecast model yet</strong>, so no earlier
      forecasts to score. The service answered 503: ${escapeHtml(result.message)}.`);
  }
  if (result.kind !== "ok") return showProblem(part, "forecast accuracy", result);
  const body = result.body;
  const comparison = body.comparison || { dates: [] };
  setState(part, "ready");
  part.dataset.lead = String(body.lead_days);
  const band = ((body.chart.series[2] || {}).name || "").match(/^(\d+)%/);
  const width = band ? Number(band[1]) : null;
  const kept = body.archived_forecasts || 0;
  const days = comparison.dates.length;
  document.getElementById("accuracy-meta").textContent =
    `${count.format(kept)} earlier forecast${kept === 1 ? "" : "s"} kept` +
    (days ? ` · ${days} days of actual sales compared with the forecast made ` +
      `${body.lead_days} days before, from ${inWords(comparison.dates[0])} to ` +
      `${inWords(comparison.dates[days - 1])}` : "") + ` · model trained ${whenInWords(body.trained_at)}`;
  driftVerdict(document.getElementById("accuracy-drift"), body.drift || {});
  const empty = document.getElementById("accuracy-empty");
  const figure = document.getElementById("chart-accuracy").closest("figure");
  empty.hidden = days > 0;
  figure.hidden = days === 0;
  empty.textContent = days ? "" : noComparisonWords(kept, body.lead_days);
  accuracyHeadlines(body, width);
  if (days) {
    await draw("accuracy", document.getElementById("chart-accuracy"), "accuracy", body.chart);
  } else if (charts.accuracy) {
    charts.accuracy.destroy();
    delete charts.accuracy;
    document.getElementById("chart-accuracy").replaceChildren();
  }
  if (request !== accuracyRequest) return;
  part.dataset.drawn = String(request);
}

function noComparisonWords(kept, lead) {
  if (!kept) {
    return "No earlier forecast yet: this is the first forecast trained on these sales. Each " +
      "training keeps the forecast it replaces; once one has days of actual sales behind it, " +
      "this chart compares them.";
  }
  return `No forecast made ${lead} days before a day with known sales yet: the ${kept} ` +
    `earlier forecast${kept === 1 ? "" : "s"} started too recently. Choose a shorter lead, ` +
    "or look again after more days of sales.";
}

function driftVerdict(element, drift) {
  const judged = drift.recent_mase !== undefined;
  element.dataset.drift = drift.detected ? "yes" : judged ? "no" : "unknown";
  const reason = drift.reason || "no earlier forecasts yet";
  element.textContent = drift.detected
    ? `Drift: the recent forecasts do worse than their backtest promised (${reason}). ` +
      "Look at recent sales for a change the model has not seen; the next training refits on it."
    : judged ? `No drift: the recent forecasts do as well as their backtest promised (${reason}).`
      : `Drift not judged yet: ${reason}.`;
}

function accuracyHeadlines(body, width) {
  const band = width ? `${width}% band` : "band";
  headlines(document.getElementById("accuracy-headlines"), (body.leads || [7, 30, 90]).map((lead) => {
    const s = (body.summary || {})[String(lead)];
    if (!s) {
      return { label: `${lead} days ahead`, value: "not scored yet",
        meaning: `no earlier forecast has all of its first ${lead} days of actual sales yet.` };
    }
    const ratio = s.mase <= 1 ? `${Math.round((1 - s.mase) * 100)} % smaller`
      : `${Math.round((s.mase - 1) * 100)} % larger`;
    return {
      label: `${lead} days ahead`,
      value: `MASE ${s.mase.toFixed(2)} · ${band} held ${percent(s.coverage)}`,
      meaning: `over the first ${lead} days of ${s.forecasts} earlier forecast` +
        `${s.forecasts === 1 ? "" : "s"}: errors ${ratio} than repeating the last week's ` +
        `sales had on the training history (MASE), and the ${band} held the real sales on ` +
        `${percent(s.coverage)} of days${width ? ` (it should on ${width} %)` : ""}.`,
    };
  }));
}

function loadParts() {
  return Promise.all([loadSegmentForecasts(), loadAccuracy()]);
}

document.getElementById("forecast-controls").addEventListener("change", loadSegmentForecasts);
document.getElementById("accuracy-controls").addEventListener("change", loadAccuracy);
document.getElementById("refresh").addEventListener("click", loadParts);
loadParts();

// Preview of the admin page's charts, drawn from the API's own chart data (GET /segments,
// GET /forecast). Each panel has data-state: loading | ready | no-model | unreachable | error.
"use strict";

const API_KEY = document.querySelector('meta[name="aktina-api-key"]').content;
const TIMEOUT_MS = 30000; // the Laravel app's timeout
const PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899",
  "#84cc16", "#64748b", "#f97316"];
const charts = {};
const number = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

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

function draw(id, element, options) {
  if (charts[id]) charts[id].destroy();
  const base = { chart: { animations: { enabled: false }, toolbar: { show: false },
    fontFamily: "inherit" }, dataLabels: { enabled: false } };
  const merged = { ...base, ...options, chart: { ...base.chart, ...options.chart } };
  charts[id] = new ApexCharts(element, merged);
  return charts[id].render();
}

// Segment names are long ("Urban · adult — 80% high volume"): axes show "S<id>", the
// tooltip and the description list the full name.
function segmentAxis(chart) {
  return {
    xaxis: { categories: chart.segment_ids.map((id) => `S${id}`) },
    tooltip: { x: { formatter: (value, opts) => chart.categories[opts.dataPointIndex] } },
  };
}

function metricRows(list, entries) {
  list.innerHTML = entries.map(([label, value]) => `<div class="metric"><dt>${escapeHtml(label)}</dt>
    <dd>${escapeHtml(value)}</dd></div>`).join("");
}

function flatScalars(object, prefix = "") {
  const rows = [];
  for (const [key, value] of Object.entries(object || {})) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      rows.push(...flatScalars(value, `${prefix}${key}.`));
    } else if (value === null || typeof value !== "object") {
      rows.push([`${prefix}${key}`, value === null ? "–" : value]);
    }
  }
  return rows;
}

// --- segments ----------------------------------------------------------------------------

async function loadSegments() {
  const panel = document.getElementById("segments");
  setState(panel, "loading", "Loading segments …");
  const result = await callApi("/segments");
  if (result.kind !== "ok") return showProblem(panel, "segmentation", result);
  const body = result.body;
  const c = body.charts;
  setState(panel, "ready");
  document.getElementById("segments-meta").textContent =
    `${body.k} segments · model ${body.model_version} · trained ${body.trained_at}`;

  const list = document.getElementById("segment-list");
  list.innerHTML = body.segments.map((s, i) => `<li><span class="swatch"
    style="background:${PALETTE[i % PALETTE.length]}"></span><span class="id">S${s.id}</span>
    <span class="name">${escapeHtml(s.name)}</span><div>${escapeHtml(s.description)}</div></li>`)
    .join("");

  const rendered = [
    draw("distribution", document.getElementById("chart-distribution"), {
      chart: { type: c.distribution.type, height: 380 },
      labels: c.distribution.labels,
      series: c.distribution.series,
      colors: PALETTE,
      legend: { position: "bottom" },
      dataLabels: { enabled: true },
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
    rendered.push(draw(`demographics-${i}`, container.children[i].querySelector(".chart"), {
      chart: { type: d.type, height: 280, stacked: !!d.stacked },
      series: d.series,
      colors: d.series.map((s, j) => (s.name === "unknown" ? "#cbd5e1" : PALETTE[j % PALETTE.length])),
      xaxis: axis.xaxis,
      yaxis: { max: 100, labels: { formatter: (v) => `${Math.round(v)}%` } },
      tooltip: { ...axis.tooltip, y: { formatter: (v) => `${v}% of the segment` } },
      legend: { position: "top" },
    }));
  });
  metricRows(document.getElementById("segment-metrics"), [
    ["segments (k)", body.k],
    ["volume thresholds (low|medium, medium|high)",
      `${number.format(body.volume_thresholds.low_medium)} | ${number.format(body.volume_thresholds.medium_high)}`],
    ...flatScalars(body.metrics),
  ]);
  await Promise.all(rendered);
}

// The API's performance chart: volume-mix shares (stacked, %) and average sales, each group
// on its own y axis. ApexCharts maps an axis to several series through a seriesName list.
function performanceOptions(p) {
  const groupOf = (name) => (p.series.find((s) => s.name === name) || {}).group;
  const names = (group) => p.series.filter((s) => s.group === group).map((s) => s.name);
  return {
    chart: { type: p.type, height: 320, stacked: true },
    series: p.series,
    colors: ["#16a34a", "#facc15", "#94a3b8", "#2563eb"],
    ...segmentAxis(p),
    yaxis: (p.yaxis || []).map((axis) => ({
      seriesName: names(groupOf(axis.seriesName)),
      opposite: !!axis.opposite,
      max: axis.max,
      title: { text: axis.title },
      labels: { formatter: (v) => number.format(v) },
    })),
    legend: { position: "top" },
  };
}

// --- forecast ----------------------------------------------------------------------------

async function loadForecast() {
  const panel = document.getElementById("forecast");
  const form = document.getElementById("forecast-controls");
  const horizon = form.elements.horizon_days.value;
  const granularity = form.elements.granularity.value;
  setState(panel, "loading", "Loading the forecast …");
  const result = await callApi(`/forecast?horizon_days=${horizon}&granularity=${granularity}`);
  if (result.kind !== "ok") return showProblem(panel, "forecast", result);
  const body = result.body;
  setState(panel, "ready");
  const window = body.data_window || {};
  document.getElementById("forecast-meta").textContent =
    `${body.horizon_days} days by ${body.granularity} · model ${body.model_version} · trained ` +
    `${body.trained_at}` + (window.start ? ` on ${window.start} to ${window.end}` : "");
  const c = body.chart;
  await draw("forecast", document.getElementById("chart-forecast"), {
    chart: { type: "rangeArea", height: 380, zoom: { enabled: false } },
    series: c.series,
    xaxis: c.xaxis,
    stroke: c.stroke,
    fill: c.fill,
    colors: ["#475569", "#2563eb", "#2563eb"],
    yaxis: { min: 0, labels: { formatter: (v) => number.format(v) } },
    tooltip: { shared: true, x: { format: "yyyy-MM-dd" } },
    legend: { position: "top" },
  });
  const b = body.backtest || {};
  const labels = {
    mase: "MASE, Prophet (lower is better)",
    mase_seasonal_naive: "MASE, seasonal naive",
    smape: "sMAPE, Prophet (%)",
    smape_seasonal_naive: "sMAPE, seasonal naive (%)",
    coverage: `coverage of the ${Math.round(body.interval_width * 100)}% interval`,
    coverage_calibrated: "coverage after calibration (held-out folds)",
    interval_scale: "interval scale applied",
    folds: "backtest folds",
    horizon_days: "backtest horizon (days)",
    mode: "seasonality mode",
  };
  metricRows(document.getElementById("forecast-metrics"),
    Object.entries(labels).filter(([key]) => key in b).map(([key, label]) => [label, b[key]]));
}

function loadAll() {
  return Promise.all([loadSegments(), loadForecast()]);
}

document.getElementById("forecast-controls").addEventListener("change", loadForecast);
document.getElementById("refresh").addEventListener("click", loadAll);
loadAll();

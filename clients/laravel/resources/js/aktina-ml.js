// Aktina ML widgets: draws each [data-aktina-ml-chart] element with ApexCharts from the API's
// own chart data (data-aktina-ml-data), with the same options as the service's preview page
// (shared/aktina_ml/local/static/app.js). Framework-free start-up that works under Livewire 3:
// draws on load, after wire:navigate (livewire:navigated), and whenever a Livewire update
// (or anything else) changes a chart's data or adds a chart: a MutationObserver, so no
// Livewire-2-only load event is needed.
(function () {
  "use strict";
  if (window.AktinaMl) return; // wire:navigate may run the script again

  const PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899",
    "#84cc16", "#64748b", "#f97316"];
  const number = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
  const drawn = new Map(); // element → {chart, json}

  // "YYYY-MM-DD" → UTC midnight in ms, and back: no browser time zone ever shifts a day.
  const utcMs = (day) => {
    const [y, m, d] = String(day).split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  };
  const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);

  // Segment names are long: axes show "S<id>", tooltips the full name.
  function segmentAxis(chart) {
    return {
      xaxis: { categories: chart.segment_ids.map((id) => `S${id}`) },
      tooltip: { x: { formatter: (value, opts) => chart.categories[opts.dataPointIndex] } },
    };
  }

  const options = {
    distribution: (c) => ({
      chart: { type: c.type, height: 380 },
      labels: c.labels,
      series: c.series,
      colors: PALETTE,
      legend: { position: "bottom" },
      dataLabels: { enabled: true },
    }),
    // Volume-mix shares (stacked, %) and average sales, each group on its own y axis.
    performance: (p) => {
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
    },
    demographics: (d) => {
      const axis = segmentAxis(d);
      return {
        chart: { type: d.type, height: 280, stacked: !!d.stacked },
        series: d.series,
        colors: d.series.map((s, j) => (s.name === "unknown" ? "#cbd5e1" : PALETTE[j % PALETTE.length])),
        xaxis: axis.xaxis,
        yaxis: { max: 100, labels: { formatter: (v) => `${Math.round(v)}%` } },
        tooltip: { ...axis.tooltip, y: { formatter: (v) => `${v}% of the segment` } },
        legend: { position: "top" },
      };
    },
    forecast: (c) => ({
      chart: { type: "rangeArea", height: 380, zoom: { enabled: false } },
      series: c.series.map((s) => ({ ...s, data: s.data.map((p) => ({ x: utcMs(p.x), y: p.y })) })),
      xaxis: { ...c.xaxis, labels: { datetimeUTC: true } },
      stroke: c.stroke,
      fill: c.fill,
      colors: ["#475569", "#2563eb", "#2563eb"],
      yaxis: { min: 0, labels: { formatter: (v) => number.format(v) } },
      tooltip: { shared: true, x: { formatter: utcDay } },
      legend: { position: "top" },
    }),
  };

  function merged(kind, data) {
    const own = options[kind](data);
    const base = { chart: { animations: { enabled: false }, toolbar: { show: false },
      fontFamily: "inherit" }, dataLabels: { enabled: false } };
    return { ...base, ...own, chart: { ...base.chart, ...own.chart } };
  }

  function draw(element) {
    const json = element.getAttribute("data-aktina-ml-data");
    const kind = element.getAttribute("data-aktina-ml-chart");
    const canvas = element.querySelector("[data-aktina-ml-canvas]") || element;
    const known = drawn.get(element);
    const rendering = element.getAttribute("data-aktina-ml-drawn") === "pending";
    if (known && known.json === json && (rendering || canvas.querySelector(".apexcharts-canvas"))) return;
    if (known) known.chart.destroy();
    drawn.delete(element);
    if (typeof window.ApexCharts !== "function") {
      canvas.textContent = "This chart needs ApexCharts (3.40 or later) on the page.";
      return;
    }
    let chart;
    try {
      chart = new window.ApexCharts(canvas, merged(kind, JSON.parse(json)));
    } catch (error) {
      canvas.textContent = `This chart cannot be drawn: ${error.message}`;
      return;
    }
    drawn.set(element, { chart, json });
    element.setAttribute("data-aktina-ml-drawn", "pending");
    chart.render().then(() => {
      if (drawn.get(element)?.chart === chart) element.setAttribute("data-aktina-ml-drawn", "yes");
    });
  }

  function drawAll() {
    for (const [element, known] of drawn) {
      if (!element.isConnected) { known.chart.destroy(); drawn.delete(element); }
    }
    // Lay everything out before drawing: a chart takes its width from its cell.
    document.querySelectorAll("[data-aktina-ml-chart]").forEach(draw);
  }

  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => { pending = false; drawAll(); });
  });

  function start() {
    observer.disconnect();
    drawAll();
    observer.observe(document.body, { subtree: true, childList: true, attributes: true,
      attributeFilter: ["data-aktina-ml-data"] });
  }

  window.AktinaMl = { drawAll, charts: drawn, utcDay };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("livewire:navigated", start); // wire:navigate swapped <body>
})();

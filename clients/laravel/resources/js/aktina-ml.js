// Aktina ML widgets: draws each [data-aktina-ml-chart] element with ApexCharts from the API's
// answers (data-aktina-ml-data), with the same options as the service's preview page
// (shared/aktina_ml/local/static/app.js). Framework-free start-up that works under Livewire 3:
// draws on load, after wire:navigate (livewire:navigated), and whenever a Livewire update
// (or anything else) changes a chart's data or adds a chart: a MutationObserver, so no
// Livewire-2-only load event is needed.
(function () {
  "use strict";
  if (window.AktinaMl) return; // wire:navigate may run the script again

  const DAY_MS = 86400000;
  // One meaning per colour, as on the preview page: segments take the API's colours; volume
  // classes and demographic categories are neutral ramps; the forecast has its own hues.
  const COLOURS = {
    segments: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#4E79A7",
      "#F28E2B", "#59A14F", "#B07AA1"], // used when an answer carries no colours
    volume: { high: "#334155", medium: "#94a3b8", low: "#e2e8f0" },
    averageSales: "#854d0e",
    categories: ["#1c1917", "#57534e", "#8f8780", "#c2bbb5", "#e7e2dd"],
    unknown: "#fef08a",
    actual: "#0f172a",
    forecast: "#7c3aed",
    interval: "#c4b5fd",
    partial: "#6b7280",
    today: "#dc2626",
  };
  const count = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
  // Dates are the API's "YYYY-MM-DD" days, read and shown as UTC: no browser zone shifts a day.
  const dateFormat = (options) => new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...options });
  const longDay = dateFormat({ weekday: "short", day: "numeric", month: "short", year: "numeric" });
  const shortDay = dateFormat({ day: "numeric", month: "short", year: "numeric" });
  const monthName = dateFormat({ month: "long", year: "numeric" });
  const dayMs = (iso) => Date.parse(`${String(iso).slice(0, 10)}T00:00:00Z`);
  const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
  const todayMs = () => {
    const now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  };
  const drawn = new Map(); // element → {chart, json}

  // Segment names are long: axes show "S<id>", tooltips the full name.
  function segmentAxis(chart) {
    return {
      xaxis: { categories: chart.segment_ids.map((id) => `S${id}`) },
      tooltip: { x: { formatter: (value, opts) => chart.categories[opts.dataPointIndex] } },
    };
  }

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
    const name = granularity === "month" ? monthName.format(start) : `week of ${shortDay.format(start)}`;
    if (days >= full) return name;
    const end = start + (days - 1) * DAY_MS;
    return `${shortDay.format(start)} – ${shortDay.format(end)} (${days} of ${full} days of the ` +
      `${granularity}: partial)`;
  }

  function periodsOf(dates, values, periodDays, granularity, lower, upper) {
    return dates.map((iso, i) => ({
      iso, x: dayMs(iso), y: values[i], lower: lower && lower[i], upper: upper && upper[i],
      days: periodDays[i], partial: periodDays[i] < fullPeriodDays(iso, granularity),
    }));
  }

  const options = {
    distribution: (c) => ({
      chart: { type: c.type, height: 340 },
      labels: c.labels,
      series: c.series,
      colors: c.series.map((s, i) => (c.colors || COLOURS.segments)[i % (c.colors || COLOURS.segments).length]),
      legend: { position: "bottom" },
      dataLabels: { enabled: true },
      tooltip: { y: { formatter: (v) => `${count.format(v)} retailers` } },
    }),
    // Volume-mix shares (stacked, %) and average sales, each group on its own y axis.
    performance: (p) => {
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
          title: { text: axis.title },
          labels: { formatter: (v) => (isMoney(groupOf(axis.seriesName)) ? compact.format(v) : `${Math.round(v)} %`) },
        })),
        tooltip: { ...segmentAxis(p).tooltip, y: { formatter: (v, opts) =>
          (isMoney(p.series[opts.seriesIndex].group) ? count.format(v) : `${v} %`) } },
        legend: { position: "top" },
      };
    },
    demographics: (d) => {
      const axis = segmentAxis(d);
      let known = 0;
      return {
        chart: { type: d.type, height: 280, stacked: !!d.stacked },
        series: d.series,
        colors: d.series.map((s) => (s.name === "unknown" ? COLOURS.unknown
          : COLOURS.categories[known++ % COLOURS.categories.length])),
        stroke: { width: 1, colors: ["#ffffff"] },
        xaxis: axis.xaxis,
        yaxis: { max: 100, labels: { formatter: (v) => `${Math.round(v)} %` } },
        tooltip: { ...axis.tooltip, y: { formatter: (v) => `${v} % of the segment` } },
        legend: { position: "top" },
      };
    },
    // Complete periods are lines (actual, forecast) with the interval as a band; a partial
    // first or last period is a hollow grey point of its own, so that it never looks like a drop.
    forecast: (f) => {
      const g = f.granularity;
      const history = periodsOf(f.history.dates, f.history.values, f.history.period_days, g);
      const ahead = periodsOf(f.dates, f.values, f.period_days, g, f.lower, f.upper);
      const complete = (list) => list.filter((p) => !p.partial);
      const partial = [...history, ...ahead].filter((p) => p.partial);
      const series = [
        { name: "Actual sales", type: "line", data: complete(history).map((p) => ({ x: p.x, y: p.y })) },
        { name: "Forecast", type: "line", data: complete(ahead).map((p) => ({ x: p.x, y: p.y })) },
        { name: `${Math.round(f.interval_width * 100)}% interval`, type: "rangeArea",
          data: complete(ahead).map((p) => ({ x: p.x, y: [p.lower, p.upper] })) },
      ];
      const colours = [COLOURS.actual, COLOURS.forecast, COLOURS.interval];
      if (partial.length) {
        series.push({ name: `Partial ${g}`, type: "line", data: partial.map((p) => ({ x: p.x, y: p.y })) });
        colours.push(COLOURS.partial);
      }
      const lookup = new Map([...history, ...ahead].map((p) => [p.x, p]));
      const xs = [...history, ...ahead].map((p) => p.x);
      const pad = { day: 1, week: 3.5, month: 15 }[g] * DAY_MS;
      const few = (n) => (n <= 60 ? 4 : 0);
      return {
        chart: { type: "rangeArea", height: 380, zoom: { enabled: false } },
        series,
        colors: colours,
        xaxis: { type: "datetime", min: Math.min(...xs, todayMs()) - pad, max: Math.max(...xs, todayMs()) + pad,
          labels: { datetimeUTC: true, datetimeFormatter: { year: "yyyy", month: "MMM yyyy", day: "d MMM", hour: "" } } },
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
          label: { text: `Today, ${shortDay.format(todayMs())}`, orientation: "horizontal", textAnchor: "end",
            borderColor: COLOURS.today, style: { color: "#fff", background: COLOURS.today } } }] },
        yaxis: { min: 0, title: { text: "Sales" }, labels: { formatter: (v) => compact.format(v) } },
        tooltip: {
          shared: false, intersect: false,
          x: { formatter: (x) => { const p = lookup.get(x); return p ? periodText(p.iso, p.days, g) : longDay.format(x); } },
          y: { formatter: (v) => (Array.isArray(v) ? v.map((e) => count.format(e)).join(" – ") : count.format(v)) },
        },
        legend: { position: "top" },
      };
    },
  };

  // API chart data with ISO-day x values → UTC midnights.
  const utcSeries = (series) => series.map((s) => ({ ...s,
    data: s.data.map((p) => ({ x: dayMs(p.x), y: p.y })) }));

  // GET /forecast/segments: a line per segment in its GET /segments colour, the total dashed.
  options.segmentForecasts = (c) => ({
    chart: { type: "line", height: 380, zoom: { enabled: false } },
    series: utcSeries(c.series),
    colors: c.colors,
    xaxis: { ...c.xaxis, labels: { datetimeUTC: true } },
    stroke: c.stroke,
    markers: { size: c.series[0] && c.series[0].data.length <= 60 ? 3 : 0, strokeWidth: 0 },
    yaxis: { min: 0, labels: { formatter: (v) => compact.format(v) } },
    tooltip: { shared: true, x: { formatter: utcDay } },
    legend: { position: "top" },
  });
  // GET /forecast/accuracy: actual sales, the forecast made N days before, its band.
  options.accuracy = (c) => ({
    chart: { type: "rangeArea", height: 340, zoom: { enabled: false } },
    series: utcSeries(c.series),
    colors: c.colors,
    xaxis: { ...c.xaxis, labels: { datetimeUTC: true } },
    stroke: c.stroke,
    fill: c.fill,
    yaxis: { min: 0, labels: { formatter: (v) => compact.format(v) } },
    tooltip: { shared: true, x: { formatter: utcDay } },
    legend: { position: "top" },
  });

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
    // A fresh element each time: a destroyed chart can still run a pending resize redraw into
    // its old element (the preview page's lesson).
    const target = document.createElement("div");
    canvas.replaceChildren(target);
    if (typeof window.ApexCharts !== "function") {
      target.textContent = "This chart needs ApexCharts (3.40 or later) on the page.";
      return;
    }
    let chart;
    try {
      chart = new window.ApexCharts(target, merged(kind, JSON.parse(json)));
    } catch (error) {
      target.textContent = `This chart cannot be drawn: ${error.message}`;
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

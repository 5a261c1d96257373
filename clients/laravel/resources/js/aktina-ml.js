// Aktina ML charts: the one script that shapes every chart, for the kit's Livewire widgets and
// for the service's preview page (which loads this file and keeps only its page glue).
// Draws each [data-aktina-ml-chart] element with ApexCharts from the API's answers
// (data-aktina-ml-data); AktinaMl.options(kind, data) gives the options to any other page.
// Light or dark follows the page: the text colour around the chart (html.dark with Tailwind,
// prefers-color-scheme elsewhere), and every chart is redrawn when it changes.
// Framework-free start-up that works under Livewire 3:
// draws on load, after wire:navigate (livewire:navigated), and whenever a Livewire update
// (or anything else) changes a chart's data or adds a chart: a MutationObserver, so no
// Livewire-2-only load event is needed.
(function () {
  "use strict";
  if (window.AktinaMl) return; // wire:navigate may run the script again

  const DAY_MS = 86400000;
  // One meaning per colour: segments take the API's colours; volume classes and demographic
  // categories are neutral ramps (dark → light in light mode, light → dark in dark mode, so
  // the first is always the most prominent); the forecast has its own hues. Every colour is
  // readable on the page's background in its mode.
  const PALETTES = {
    light: {
      volume: { high: "#334155", medium: "#94a3b8", low: "#cbd5e1" },
      averageSales: "#854d0e",
      categories: ["#1c1917", "#57534e", "#8f8780", "#b5ada6", "#d6d0ca"],
      unknown: "#facc15",
      actual: "#0f172a",
      forecast: "#7c3aed",
      interval: "#c4b5fd",
      total: "#111827",
      partial: "#6b7280",
      today: "#dc2626",
      units: "#0e7490",
      text: "#334155",
      grid: "#e2e8f0",
      card: "#ffffff",
      barEdge: "#ffffff",
    },
    dark: {
      volume: { high: "#e2e8f0", medium: "#94a3b8", low: "#475569" },
      averageSales: "#fbbf24",
      categories: ["#f5f5f4", "#d6d3d1", "#a8a29e", "#78716c", "#57534e"],
      unknown: "#fde047",
      actual: "#f1f5f9",
      forecast: "#a78bfa",
      interval: "#7c3aed",
      total: "#f9fafb",
      partial: "#d1d5db",
      today: "#f87171",
      units: "#67e8f9",
      text: "#d1d5db",
      grid: "#374151",
      card: "#1f2937",
      barEdge: "#18181b",
    },
  };
  const SEGMENTS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#4E79A7",
    "#F28E2B", "#59A14F", "#B07AA1"]; // used when an answer carries no colours
  let COLOURS = PALETTES.light;

  // Dark when the text around the chart is light: follows html.dark (Tailwind's class
  // strategy) as well as prefers-color-scheme (a page that styles by media query).
  function darkAround(element) {
    const rgb = (getComputedStyle(element).color.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] > 140;
  }
  // A colour lightened (dark mode) or darkened (light mode) until it stands 3:1 against the
  // card (WCAG's contrast for graphics): segment lines keep their hue and stay readable.
  const rgbOf = (hex) => { const n = parseInt(hex.slice(1), 16); return [n >> 16 & 255, n >> 8 & 255, n & 255]; };
  const luminance = (rgb) => rgb.map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  function readable(hex, dark = COLOURS === PALETTES.dark) {
    if (!/^#[0-9a-f]{6}$/i.test(hex || "")) return hex;
    const card = rgbOf((dark ? PALETTES.dark : PALETTES.light).card);
    let rgb = rgbOf(hex);
    for (let i = 0; i < 12 && contrast(rgb, card) < 3; i++) {
      rgb = rgb.map((v) => Math.round(dark ? v + (255 - v) * 0.15 : v * 0.85));
    }
    return `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  }
  const themeKey = () => `${document.documentElement.className}|${
    window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches}`;

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
  const noted = new WeakMap(); // element → what was tried when a note took the chart's place

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

  // The one rule for partial periods (a first or last week/month the data covers only in
  // part): drawn on its line at the full period's pace (its total × full days / covered days),
  // so it is never a dip, and marked by a hollow point of its own; its tooltip gives the
  // total so far and the pace. `y` is what is drawn, `raw` the period's own total.
  function periodsOf(dates, values, periodDays, granularity, lower, upper) {
    return dates.map((iso, i) => {
      const full = fullPeriodDays(iso, granularity);
      const partial = periodDays[i] < full;
      const pace = partial ? full / Math.max(1, periodDays[i]) : 1;
      return {
        iso, x: dayMs(iso), raw: values[i], y: values[i] * pace, days: periodDays[i], partial,
        lower: lower && lower[i] * pace, upper: upper && upper[i] * pace,
      };
    });
  }

  const point = (p) => ({ x: p.x, y: p.y, raw: p.raw });

  // The partial periods' own series: hollow markers only (no line), in the partial colour.
  function partialStyle(series, partialIndex) {
    const isPartial = (i) => i === partialIndex;
    return {
      stroke: { width: series.map((s, i) => (isPartial(i) || s.type === "rangeArea" ? 0 : 2)) },
      markers: {
        size: series.map((s, i) => (isPartial(i) ? 6 : s.type === "rangeArea" ? 0
          : s.data.length <= 60 ? 3 : 0)),
        strokeWidth: series.map((s, i) => (isPartial(i) ? 2 : 0)),
        fillOpacity: series.map((s, i) => (isPartial(i) ? 0 : 1)),
        hover: { sizeOffset: 2 },
      },
    };
  }

  // Tooltip words for a value: a partial period's total so far and its pace.
  function valueWords(format, granularity) {
    return (v, opts) => {
      const data = opts && opts.w && opts.w.config.series[opts.seriesIndex].data;
      const p = data && data[opts.dataPointIndex];
      if (Array.isArray(v)) return v.map((e) => format(e)).join(" – ");
      if (p && p.raw !== undefined && Math.abs(p.raw - p.y) > 1e-9) {
        return `${format(p.raw)} so far (a full ${granularity} at this pace: ${format(v)})`;
      }
      return format(v);
    };
  }

  // Amounts: the currency's when the page names one (data-aktina-ml-currency, ISO 4217).
  function moneyFormats(currency) {
    if (!/^[A-Z]{3}$/.test(currency || "")) return { money: (v) => count.format(v), short: (v) => compact.format(v) };
    const full = new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 });
    const short = new Intl.NumberFormat("en", { style: "currency", currency, notation: "compact",
      maximumFractionDigits: 1 });
    return { money: (v) => full.format(v), short: (v) => short.format(v), currency };
  }
  let MONEY = moneyFormats(null);
  const salesTitle = () => (MONEY.currency ? `Sales (${MONEY.currency})` : "Sales");

  const options = {
    distribution: (c) => ({
      chart: { type: c.type, height: 340 },
      labels: c.labels,
      series: c.series,
      colors: c.series.map((s, i) => ((colour) => (COLOURS === PALETTES.dark ? readable(colour) : colour))(
        (c.colors || SEGMENTS)[i % (c.colors || SEGMENTS).length])),
      stroke: { colors: [COLOURS.barEdge] },
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
          title: { text: isMoney(groupOf(axis.seriesName)) && MONEY.currency
            ? `${axis.title} (${MONEY.currency})` : axis.title },
          labels: { formatter: (v) => (isMoney(groupOf(axis.seriesName)) ? MONEY.short(v) : `${Math.round(v)} %`) },
        })),
        tooltip: { ...segmentAxis(p).tooltip, y: { formatter: (v, opts) =>
          (isMoney(p.series[opts.seriesIndex].group) ? MONEY.money(v) : `${v} %`) } },
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
        stroke: { width: 1, colors: [COLOURS.barEdge] },
        xaxis: axis.xaxis,
        yaxis: { max: 100, labels: { formatter: (v) => `${Math.round(v)} %` } },
        tooltip: { ...axis.tooltip, y: { formatter: (v) => `${v} % of the segment` } },
        legend: { position: "top" },
      };
    },
    // Actual sales and the forecast as lines, the interval as a band, every period on them
    // (partial ones at their pace, marked); today marked.
    forecast: (f) => {
      const g = f.granularity;
      const history = periodsOf(f.history.dates, f.history.values, f.history.period_days, g);
      const ahead = periodsOf(f.dates, f.values, f.period_days, g, f.lower, f.upper);
      const partial = [...history, ...ahead].filter((p) => p.partial);
      const series = [
        { name: "Actual sales", type: "line", data: history.map(point) },
        { name: "Forecast", type: "line", data: ahead.map(point) },
        { name: `${Math.round(f.interval_width * 100)}% interval`, type: "rangeArea",
          data: ahead.map((p) => ({ x: p.x, y: [p.lower, p.upper] })) },
      ];
      const colours = [COLOURS.actual, COLOURS.forecast, COLOURS.interval];
      if (partial.length) {
        series.push({ name: `Partial ${g}`, type: "line", data: partial.map(point) });
        colours.push(COLOURS.partial);
      }
      const lookup = new Map([...history, ...ahead].map((p) => [p.x, p]));
      const xs = [...history, ...ahead].map((p) => p.x);
      const pad = { day: 1, week: 3.5, month: 15 }[g] * DAY_MS;
      const style = partialStyle(series, partial.length ? 3 : -1);
      return {
        chart: { type: "rangeArea", height: 380, zoom: { enabled: false } },
        series,
        colors: colours,
        xaxis: { type: "datetime", min: Math.min(...xs, todayMs()) - pad, max: Math.max(...xs, todayMs()) + pad,
          labels: { datetimeUTC: true, datetimeFormatter: { year: "yyyy", month: "MMM yyyy", day: "d MMM", hour: "" } } },
        stroke: { curve: "straight", width: style.stroke.width },
        fill: { opacity: series.map((s) => (s.type === "rangeArea" ? 0.35 : 1)) },
        markers: { ...style.markers, strokeColors: colours },
        annotations: { xaxis: [{ x: todayMs(), borderColor: COLOURS.today, strokeDashArray: 4,
          label: { text: `Today, ${shortDay.format(todayMs())}`, orientation: "horizontal", textAnchor: "end",
            borderColor: COLOURS.today, style: { color: "#fff", background: COLOURS.today } } }] },
        yaxis: { min: 0, title: { text: salesTitle() }, labels: { formatter: (v) => MONEY.short(v) } },
        tooltip: {
          shared: false, intersect: false,
          x: { formatter: (x) => { const p = lookup.get(x); return p ? periodText(p.iso, p.days, g) : longDay.format(x); } },
          y: { formatter: valueWords(MONEY.money, g) },
        },
        legend: { position: "top" },
      };
    },
  };

  // API chart data with ISO-day x values → UTC midnights.
  const utcSeries = (series) => series.map((s) => ({ ...s,
    data: s.data.map((p) => ({ x: dayMs(p.x), y: p.y })) }));

  // GET /forecast/segments: a line per segment in its GET /segments colour and the total
  // dashed, every period on them (partial ones at their pace, marked, as on the forecast).
  options.segmentForecasts = (b) => {
    const g = b.granularity;
    const lines = [
      ...b.segments.map((s) => ({ name: s.name, values: s.values, colour: s.color })),
      { name: "Total forecast", values: b.total.values, colour: COLOURS.total, dashed: true },
    ];
    const periods = lines.map((line) => periodsOf(b.dates, line.values, b.period_days, g));
    const series = lines.map((line, i) => ({ name: line.name, type: "line", data: periods[i].map(point) }));
    const colours = lines.map((line, i) => readable(line.colour || SEGMENTS[i % SEGMENTS.length]));
    colours[colours.length - 1] = COLOURS.total;
    const partial = periods.flat().filter((p) => p.partial).sort((a, c) => a.x - c.x);
    if (partial.length) {
      series.push({ name: `Partial ${g}`, type: "line", data: partial.map(point) });
      colours.push(COLOURS.partial);
    }
    const lookup = new Map(periods[0].map((p) => [p.x, p]));
    const xs = periods[0].map((p) => p.x);
    const pad = { day: 1, week: 3.5, month: 15 }[g] * DAY_MS;
    const style = partialStyle(series, partial.length ? series.length - 1 : -1);
    return {
      chart: { type: "line", height: 380, zoom: { enabled: false } },
      series,
      colors: colours,
      xaxis: { type: "datetime", min: Math.min(...xs) - pad, max: Math.max(...xs) + pad,
        labels: { datetimeUTC: true, datetimeFormatter: { year: "yyyy", month: "MMM yyyy", day: "d MMM", hour: "" } } },
      stroke: { curve: "straight", width: style.stroke.width,
        dashArray: series.map((s, i) => (lines[i] && lines[i].dashed ? 5 : 0)) },
      markers: { ...style.markers, strokeColors: colours },
      yaxis: { min: 0, title: { text: salesTitle() }, labels: { formatter: (v) => MONEY.short(v) } },
      tooltip: {
        shared: false, intersect: false,
        x: { formatter: (x) => { const p = lookup.get(x); return p ? periodText(p.iso, p.days, g) : longDay.format(x); } },
        y: { formatter: valueWords(MONEY.money, g) },
      },
      legend: { position: "top" },
    };
  };
  // GET /forecast/accuracy: actual sales, the forecast made N days before, its band.
  options.accuracy = (c) => ({
    chart: { type: "rangeArea", height: 340, zoom: { enabled: false } },
    series: c.series.map((s) => ({ ...s, data: s.data.map((p) => ({ x: dayMs(p.x), y: p.y })) })),
    colors: [COLOURS.actual, COLOURS.forecast, COLOURS.interval],
    xaxis: { type: "datetime", labels: { datetimeUTC: true,
      datetimeFormatter: { year: "yyyy", month: "MMM yyyy", day: "d MMM", hour: "" } } },
    stroke: { curve: "straight", width: [2, 2, 0] },
    fill: { opacity: [1, 1, 0.35] },
    markers: { size: c.series[0] && c.series[0].data.length <= 60 ? [3, 3, 0] : 0, strokeWidth: 0 },
    yaxis: { min: 0, title: { text: salesTitle() }, labels: { formatter: (v) => MONEY.short(v) } },
    tooltip: { shared: false, intersect: false, x: { formatter: (x) => longDay.format(x) },
      y: { formatter: valueWords(MONEY.money, "day") } },
    legend: { position: "top" },
  });

  // GET /summary's chart ({granularity, interval_width, as_of, revenue, units}): revenue
  // (history, forecast and its band) on the left axis, units
  // (history and forecast, dashed) on the right one; every period on its line, a partial one
  // at its full period's pace and marked by a hollow point of its own series per axis.
  options.revenueDemand = (c) => {
    const g = c.granularity;
    const line = (l) => ({
      history: periodsOf(l.history.dates, l.history.values, l.history.period_days, g),
      ahead: periodsOf(l.forecast.dates, l.forecast.values, l.forecast.period_days, g,
        l.forecast.lower, l.forecast.upper),
    });
    const revenue = line(c.revenue);
    const units = c.units ? line(c.units) : null;
    const partialOf = (l) => [...l.history, ...l.ahead].filter((p) => p.partial);
    const series = [
      { name: "Revenue", type: "line", data: revenue.history.map(point) },
      { name: "Revenue forecast", type: "line", data: revenue.ahead.map(point) },
      { name: `${Math.round(c.interval_width * 100)}% interval`, type: "rangeArea",
        data: revenue.ahead.map((p) => ({ x: p.x, y: [p.lower, p.upper] })) },
    ];
    const colours = [COLOURS.actual, COLOURS.forecast, COLOURS.interval];
    const moneyAxis = series.map((s) => s.name);
    const unitsAxis = [];
    const partials = [];
    const add = (s, colour, axis, partial = false) => {
      series.push(s); colours.push(colour); axis.push(s.name);
      if (partial) partials.push(series.length - 1);
    };
    if (partialOf(revenue).length) {
      add({ name: `Partial ${g}`, type: "line", data: partialOf(revenue).map(point) }, COLOURS.partial, moneyAxis, true);
    }
    if (units) {
      add({ name: "Units", type: "line", data: units.history.map(point) }, COLOURS.units, unitsAxis);
      add({ name: "Units forecast", type: "line", data: units.ahead.map(point) }, COLOURS.units, unitsAxis);
      if (partialOf(units).length) {
        add({ name: `Partial ${g}, units`, type: "line", data: partialOf(units).map(point) }, COLOURS.partial, unitsAxis, true);
      }
    }
    const isUnits = (i) => unitsAxis.includes(series[i].name);
    const all = [...revenue.history, ...revenue.ahead, ...(units ? [...units.history, ...units.ahead] : [])];
    const lookup = new Map(all.map((p) => [p.x, p]));
    const xs = all.map((p) => p.x);
    const pad = { day: 1, week: 3.5, month: 15 }[g] * DAY_MS;
    const style = partialStyle(series, -1);
    const hollow = (values, partialValue) => values.map((v, i) => (partials.includes(i) ? partialValue : v));
    const unitsWords = valueWords((v) => `${count.format(v)} units`, g);
    const moneyWords = valueWords(MONEY.money, g);
    return {
      chart: { type: "rangeArea", height: 400, zoom: { enabled: false } },
      series,
      colors: colours,
      xaxis: { type: "datetime", min: Math.min(...xs, todayMs()) - pad, max: Math.max(...xs, todayMs()) + pad,
        labels: { datetimeUTC: true, datetimeFormatter: { year: "yyyy", month: "MMM yyyy", day: "d MMM", hour: "" } } },
      stroke: { curve: "straight", width: hollow(style.stroke.width, 0),
        dashArray: series.map((s) => (s.name === "Units forecast" ? 5 : 0)) },
      fill: { opacity: series.map((s) => (s.type === "rangeArea" ? 0.35 : 1)) },
      markers: { size: hollow(style.markers.size, 6), strokeWidth: hollow(style.markers.strokeWidth, 2),
        fillOpacity: hollow(style.markers.fillOpacity, 0), hover: { sizeOffset: 2 }, strokeColors: colours },
      annotations: { xaxis: [{ x: todayMs(), borderColor: COLOURS.today, strokeDashArray: 4,
        label: { text: `Today, ${shortDay.format(todayMs())}`, orientation: "horizontal", textAnchor: "end",
          borderColor: COLOURS.today, style: { color: "#fff", background: COLOURS.today } } }] },
      yaxis: [
        { seriesName: moneyAxis, min: 0, title: { text: MONEY.currency ? `Revenue (${MONEY.currency})` : "Revenue" },
          labels: { formatter: (v) => MONEY.short(v) } },
        ...(units ? [{ seriesName: unitsAxis, opposite: true, min: 0, title: { text: "Units" },
          labels: { formatter: (v) => compact.format(v) } }] : []),
      ],
      tooltip: {
        shared: false, intersect: false,
        x: { formatter: (x) => { const p = lookup.get(x); return p ? periodText(p.iso, p.days, g) : longDay.format(x); } },
        y: { formatter: (v, opts) => (opts && isUnits(opts.seriesIndex) ? unitsWords : moneyWords)(v, opts) },
      },
      legend: { position: "top" },
    };
  };

  /**
   * ApexCharts options for a chart of `kind` from the API's data, in the page's mode.
   * context: {dark: bool, currency: "UGX" | null}.
   */
  function chartOptions(kind, data, context = {}) {
    COLOURS = context.dark ? PALETTES.dark : PALETTES.light;
    MONEY = moneyFormats(context.currency);
    return merged(kind, data);
  }

  function merged(kind, data) {
    const own = options[kind](data);
    const base = {
      chart: { animations: { enabled: false }, toolbar: { show: false }, fontFamily: "inherit",
        foreColor: COLOURS.text, background: "transparent" },
      theme: { mode: COLOURS === PALETTES.dark ? "dark" : "light" },
      grid: { borderColor: COLOURS.grid },
      dataLabels: { enabled: false },
    };
    return { ...base, ...own, chart: { ...base.chart, ...own.chart } };
  }

  function draw(element) {
    const json = element.getAttribute("data-aktina-ml-data");
    const kind = element.getAttribute("data-aktina-ml-chart");
    const canvas = element.querySelector("[data-aktina-ml-canvas]") || element;
    const dark = darkAround(element);
    const currency = (element.closest("[data-aktina-ml-currency]") || element).getAttribute("data-aktina-ml-currency");
    const key = `${dark}|${currency}|${json}`;
    const known = drawn.get(element);
    const rendering = element.getAttribute("data-aktina-ml-drawn") === "pending";
    if (known && known.json === key && (rendering || canvas.querySelector(".apexcharts-canvas"))) return;
    const missing = typeof window.ApexCharts !== "function";
    const attempt = `${key}|${missing}|${loadingApexCharts}`;
    // A note instead of a chart (no ApexCharts, or data it cannot draw) is written once per
    // data and state: the observer sees each write, and rewriting it would loop forever.
    if (noted.get(element) === attempt && canvas.firstElementChild) return;
    noted.delete(element);
    if (known) known.chart.destroy();
    drawn.delete(element);
    // A fresh element each time: a destroyed chart can still run a pending resize redraw into
    // its old element (the preview page's lesson).
    const target = document.createElement("div");
    canvas.replaceChildren(target);
    if (missing) {
      target.textContent = loadingApexCharts ? "Loading the chart …"
        : "This chart needs ApexCharts (3.40 or later) on the page.";
      noted.set(element, attempt);
      return;
    }
    let chart;
    try {
      chart = new window.ApexCharts(target, chartOptions(kind, JSON.parse(json), { dark, currency }));
    } catch (error) {
      target.textContent = `This chart cannot be drawn: ${error.message}`;
      noted.set(element, attempt);
      return;
    }
    drawn.set(element, { chart, json: key });
    element.setAttribute("data-aktina-ml-drawn", "pending");
    element.setAttribute("data-aktina-ml-theme", dark ? "dark" : "light");
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

  // ApexCharts once: the page's own (the app's Vite bundle sets window.ApexCharts before
  // DOMContentLoaded), else one script from AktinaMlApexChartsUrl, then every chart draws.
  let loadingApexCharts = false;
  function ensureApexCharts() {
    if (typeof window.ApexCharts === "function" || !window.AktinaMlApexChartsUrl) return;
    if (document.querySelector("script[data-aktina-ml-apexcharts]")) return;
    loadingApexCharts = true;
    const script = document.createElement("script");
    script.src = window.AktinaMlApexChartsUrl;
    script.setAttribute("data-aktina-ml-apexcharts", "");
    script.setAttribute("data-navigate-once", "");
    script.onload = script.onerror = () => { loadingApexCharts = false; drawAll(); };
    document.head.append(script);
  }

  function start() {
    ensureApexCharts();
    observer.disconnect();
    drawAll();
    observer.observe(document.body, { subtree: true, childList: true, attributes: true,
      attributeFilter: ["data-aktina-ml-data"] });
  }

  // The page's mode changed (html.dark toggled, or the system's preference): redraw all.
  let theme = themeKey();
  const retheme = () => {
    if (themeKey() === theme) return;
    theme = themeKey();
    requestAnimationFrame(drawAll); // after the page's own styles have switched
  };
  new MutationObserver(retheme).observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", retheme);

  window.AktinaMl = { drawAll, charts: drawn, utcDay, dayMs, todayMs, options: chartOptions, periodsOf,
    contrast, rgbOf, readable };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("livewire:navigated", start); // wire:navigate swapped <body>
})();

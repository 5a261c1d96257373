"""The Laravel kit's admin widgets in a real browser: Debian's chromium driven by Playwright.

The kit's Blade include (clients/laravel) is rendered by PHP (`php -S` with the kit's test
router, in the Debian 13 root the kit is tested in: Laravel 10.48, PHP 8.4; `make trixie-root`)
with answers from the real local API, over a store trained from small demo data.
Every chart must draw (series and points counted), and after each horizon/granularity change
the drawn forecast must be the one selected, its dates unshifted in a browser west of UTC.
Livewire is not installable here: a test-only stand-in re-renders the component on a change
and morphs it in, as Livewire 3 does (clients/laravel/tests/Browser/livewire-stand-in.js).
"""

from __future__ import annotations

import calendar
import json
import math
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from aktina_ml.config import load_settings
from aktina_ml.demo.generator import generate
from aktina_ml.demo.spec import DemoSpec
from aktina_ml.local.server import LocalApi
from aktina_ml.training import train_from_csv
from tests.support.browser import chromium, need
from tests.support.demo import train_forecast_only
from tests.support.local_server import running

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "clients" / "laravel"
ARTIFACTS = ROOT / "var" / "test-artifacts"
KEY = "kit-browser-key"
TRIXIE_ROOT = Path(os.environ.get("AKTINA_TRIXIE_ROOT", "/var/cache/aktina-ml/trixie"))
TIMEZONE = "America/Chicago"  # the demo generator's business day
BROWSER_TIMEZONE = "America/Los_Angeles"  # west of UTC: where new Date('YYYY-MM-DD') shifts a day
SELECTIONS = [(30, "day"), (180, "month"), (365, "week"), (60, "day")]
EARLIER_FORECAST_DAYS = 60
# Every panel on the page, top to bottom: the summary's cards and chart (GET /summary) in the
# placeholders' places, the four chart widgets, then trends and recommendations.
READY = {
    "revenue-forecast": "ready",
    "demand-forecast": "ready",
    "risk": "ready",
    "revenue-demand": "ready",
    "segments": "ready",
    "segment-forecasts": "ready",
    "forecast": "ready",
    "accuracy": "ready",
    "market-trends": "ready",
    "recommendations": "ready",
}
# The panels that read GET /summary.
SUMMARY_PANELS = ("revenue-forecast", "demand-forecast", "risk", "revenue-demand",
                  "market-trends", "recommendations")  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    test = "the Laravel widgets' browser test"
    php = TRIXIE_ROOT / "usr" / "bin" / "php"
    need(php.exists(), f"the Debian 13 root in {TRIXIE_ROOT} (make trixie-root)", test)
    with chromium(test) as browser:
        yield browser


@pytest.fixture(scope="module")
def trained_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every model trained from a small demo dataset that ends yesterday, as `aktina-ml demo`
    does: segmentation, a forecast as of 60 days ago, then today's (which scores that one),
    then demand."""
    from aktina_ml.training import train_earlier_forecast_from_csv

    base = tmp_path_factory.mktemp("kit")
    spec = DemoSpec(retailers=160, orders=15_000, days=400, seed=7, timezone=TIMEZONE,
                    end=date.today() - timedelta(days=1))  # fmt: skip
    generate(spec).write_csv(base / "demo")
    settings = load_settings(model_store=str(base / "models"), timezone=TIMEZONE)
    results = train_from_csv(["segmentation"], base / "demo", settings)
    results.append(train_earlier_forecast_from_csv(base / "demo", settings, EARLIER_FORECAST_DAYS))
    results += train_from_csv(["forecast", "demand"], base / "demo", settings)
    assert all(r.promoted for r in results), [r.reason for r in results]
    store: Path = base / "models"
    return store


@pytest.fixture(scope="module")
def forecast_only_store(trained_store: Path) -> Path:
    """The forecast alone, trained from the same demo data (``train_forecast_only``)."""
    return train_forecast_only(trained_store, TIMEZONE)


@dataclass(frozen=True)
class Api:
    """Where the page's answers come from: the local API."""

    url: str


@contextmanager
def api(store: Path) -> Iterator[Api]:
    """The local API (real functions) on a free port, reading ``store``."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AKTINA_MODEL_STORE", str(store))
        env.setenv("AKTINA_TIMEZONE", TIMEZONE)
        local = LocalApi(KEY, log=lambda message: None)
    with running(local) as server:
        yield Api(server.url)


@contextmanager
def laravel_page(api_url: str, **extra_env: str) -> Iterator[str]:
    """PHP's built-in server, in the Debian 13 root, rendering the kit's include against
    ``api_url`` (the root shares this host's network)."""
    env = {"AKTINA_ML_URL": api_url, "AKTINA_ML_KEY": KEY, **extra_env}
    with php_server(KIT / "tests" / "Browser" / "server.php", env, "/livewire-stand-in.js") as url:
        yield url


@contextmanager
def php_server(router: Path, env: dict[str, str], probe_path: str) -> Iterator[str]:
    """``php -S`` with ``router`` in the Debian 13 root, until ``probe_path`` answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [ROOT / "scripts" / "trixie-run", KIT, "php", "-S", f"127.0.0.1:{port}", router],
        env=os.environ | env | {"AKTINA_TRIXIE_ROOT": str(TRIXIE_ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{url}{probe_path}", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers (e.g. 403 without a key)
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("php -S did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  timezone_id=BROWSER_TIMEZONE)  # fmt: skip
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def fetch(server: Api, path: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{server.url}{path}", headers={"x-api-key": KEY})
    with urllib.request.urlopen(request, timeout=10) as response:
        body: dict[str, Any] = json.load(response)
    return body


def states(page: Page) -> dict[str, str]:
    found: dict[str, str] = page.eval_on_selector_all(
        "[data-aktina-ml-panel]",
        "els => Object.fromEntries(els.map(e => [e.dataset.aktinaMlPanel, e.dataset.state]))",
    )
    return found


def all_drawn(page: Page) -> None:
    try:
        page.wait_for_function(
            "[...document.querySelectorAll('[data-aktina-ml-chart]')]"
            ".every(e => e.getAttribute('data-aktina-ml-drawn') === 'yes')",
            timeout=20_000,
        )
    except Exception:
        undrawn = page.eval_on_selector_all(
            "[data-aktina-ml-chart]",
            "els => els.filter(e => e.getAttribute('data-aktina-ml-drawn') !== 'yes')"
            ".map(e => [e.id, e.getAttribute('data-aktina-ml-chart'),"
            " e.getAttribute('data-aktina-ml-drawn'), e.textContent.slice(0, 200)])",
        )
        raise AssertionError(f"charts not drawn: {undrawn}") from None


def drawn_paths(page: Page, selector: str) -> int:
    """SVG paths that really draw something (a non-trivial ``d``)."""
    count: int = page.eval_on_selector_all(
        selector, "els => els.filter(e => (e.getAttribute('d') || '').length > 20).length"
    )
    return count


def legend(page: Page, chart: str) -> list[str]:
    texts: list[str] = page.locator(f"{chart} .apexcharts-legend-text").all_inner_texts()
    return texts


def drawn_forecast(page: Page) -> dict[str, Any]:
    """What ApexCharts drew for the forecast: each series' days (UTC), the tooltip's words for
    the first forecast point and the forecast line's drawn points."""
    drawn: dict[str, Any] = page.evaluate(
        """() => {
          const el = document.getElementById('aktina-ml-forecast');
          const w = window.AktinaMl.charts.get(el).chart.w;
          const day = window.AktinaMl.utcDay;
          const path = document.querySelector(
            '#aktina-ml-forecast .apexcharts-series[seriesName="Forecast"] path.apexcharts-line');
          return {
            selection: el.dataset.selection,
            names: w.config.series.map(s => s.name),
            days: w.config.series.map(s => s.data.map(p => day(p.x))),
            values: w.config.series[1].data.map(p => p.y),
            tooltipFirst: w.config.tooltip.x.formatter(w.config.series[1].data[0].x),
            forecastPathPoints: path ? (path.getAttribute('d').match(/[ML]/g) || []).length : 0,
          };
        }"""
    )
    return drawn


def full_period_days(day: str, granularity: str) -> int:
    """Days in the calendar period that starts on ``day`` (a week is Monday to Sunday)."""
    if granularity == "day":
        return 1
    if granularity == "week":
        return 7
    start = date.fromisoformat(day)
    return calendar.monthrange(start.year, start.month)[1]


def complete_and_partial(
    dates: list[str], days: list[int], granularity: str
) -> tuple[list[str], list[str]]:
    """The periods that cover their whole calendar period, and the partial ones."""
    whole = [d for d, n in zip(dates, days, strict=True) if n >= full_period_days(d, granularity)]
    return whole, [d for d in dates if d not in whole]


def select(page: Page, horizon: int, granularity: str) -> None:
    """Change the selectors like a user (each change is one round trip) and wait for the redraw."""
    page.select_option("[data-aktina-ml-panel=forecast] select[name=horizon_days]", str(horizon))
    page.wait_for_function(
        f"document.querySelector('[data-aktina-ml-panel=forecast]').dataset.selection"
        f".startsWith('{horizon}:')"
    )
    page.check(f"[data-aktina-ml-panel=forecast] input[name=granularity][value={granularity}]")
    page.wait_for_function(
        f"document.getElementById('aktina-ml-forecast')?.dataset.selection === "
        f"'{horizon}:{granularity}'"
    )
    all_drawn(page)


def test_every_chart_draws_and_the_forecast_follows_the_selection(
    page: Page, trained_store: Path
) -> None:
    with api(trained_store) as server, laravel_page(server.url) as url:
        # Given both models trained; when the admin page with the kit's include loads
        page.goto(url)
        all_drawn(page)
        assert states(page) == READY
        segments = fetch(server, "/segments")
        k, charts = segments["k"], segments["charts"]

        # Then the pie has one slice per segment, named as the API names them
        assert drawn_paths(page, "#aktina-ml-distribution .apexcharts-pie-series path") == k
        assert legend(page, "#aktina-ml-distribution") == charts["distribution"]["labels"]
        # The performance bars: every series of the API's chart, a bar per segment each
        assert legend(page, "#aktina-ml-performance") == [
            s["name"] for s in charts["performance"]["series"]
        ]
        assert drawn_paths(page, "#aktina-ml-performance path.apexcharts-bar-area") >= k
        # One stacked bar chart per demographic dimension
        for chart in charts["demographics"]:
            selector = f"#aktina-ml-demographics-{chart['dimension']}"
            assert legend(page, selector) == [s["name"] for s in chart["series"]]
            assert drawn_paths(page, f"{selector} path.apexcharts-bar-area") >= k
        assert page.locator(".aktina-ml-segments li").count() == k

        # The forecast: actual sales, forecast and its band, for the default selection
        assert legend(page, "#aktina-ml-forecast")[:3] == [
            "Actual sales",
            "Forecast",
            "80% interval",
        ]
        assert drawn_paths(page, "#aktina-ml-forecast path.apexcharts-rangeArea") >= 1
        check_forecast(page, server, 90, "day")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "laravel-widgets.png"), full_page=True)

        # When the horizon and granularity change, each time the drawn forecast is the selection
        for horizon, granularity in SELECTIONS:
            select(page, horizon, granularity)
            assert states(page)["forecast"] == "ready"
            check_forecast(page, server, horizon, granularity)
        # And the segment charts were not disturbed by the forecast's round trips
        assert drawn_paths(page, "#aktina-ml-distribution .apexcharts-pie-series path") == k


def check_forecast(page: Page, server: Api, horizon: int, granularity: str) -> None:
    """The drawn forecast is the selection's answer, drawn by the one chart script the preview
    page uses too: every period on the lines and the band (a partial first or last one at its
    full period's pace, never a dip), the partial ones marked again by a series of their own."""
    expected = fetch(server, f"/forecast?horizon_days={horizon}&granularity={granularity}")
    history = expected["history"]
    whole, partial = complete_and_partial(expected["dates"], expected["period_days"], granularity)
    _, past_partial = complete_and_partial(history["dates"], history["period_days"], granularity)
    drawn = drawn_forecast(page)
    assert drawn["selection"] == f"{horizon}:{granularity}"
    names = ["Actual sales", "Forecast", "80% interval"]
    if partial or past_partial:
        names.append(f"Partial {granularity}")
    assert drawn["names"] == names
    # Every period drawn, on the day the API gave (in a browser west of UTC)
    assert drawn["days"][0] == history["dates"]
    assert drawn["days"][1] == drawn["days"][2] == expected["dates"]
    assert drawn["days"][3:] == ([past_partial + partial] if len(names) == 4 else [])
    assert drawn["forecastPathPoints"] == len(expected["dates"])
    paced = zip(
        expected["dates"], expected["values"], expected["period_days"], drawn["values"], strict=True
    )
    for day, value, covered, y in paced:
        assert y == pytest.approx(value * full_period_days(day, granularity) / covered), day
    first = date.fromisoformat(expected["dates"][0])
    words = (
        f"{first:%B} {first.year}"
        if granularity == "month" and expected["dates"][0] in whole
        else f"{first.day} {first:%b} {first.year}"
    )
    assert words in drawn["tooltipFirst"]
    if granularity == "day":
        assert len(whole) == horizon
    period = page.inner_text("[data-aktina-ml-panel=forecast] .aktina-ml-period")
    assert period.endswith(f"from {expected['dates'][0]} to {expected['dates'][-1]}")
    meta = page.inner_text("[data-aktina-ml-panel=forecast] .aktina-ml-meta")
    assert meta.startswith(f"{horizon} days by {granularity}")


def test_no_model_yet_is_said_in_words(page: Page, tmp_path: Path) -> None:
    with api(tmp_path / "empty-store") as server, laravel_page(server.url) as url:
        page.goto(url)
        assert set(states(page).values()) == {"no-model"}
        assert len(states(page)) == len(READY)
        assert "No segmentation model yet" in page.inner_text("[data-aktina-ml-panel=segments]")
        assert "No forecast model yet" in page.inner_text("[data-aktina-ml-panel=forecast]")
        assert page.locator("[data-aktina-ml-chart]").count() == 0


def test_service_unreachable_is_said_in_words(page: Page, trained_store: Path) -> None:
    with api(trained_store) as server:
        stopped = server.url
    with laravel_page(stopped) as url:
        page.goto(url)
        assert set(states(page).values()) == {"unreachable"}
        assert len(states(page)) == len(READY)
        words = page.inner_text("[data-aktina-ml-panel=forecast] .aktina-ml-status")
        assert words.startswith("The forecast service can't be reached (since "), words
        assert stopped not in page.content()
        assert "cURL" not in page.content()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "laravel-widgets-unreachable.png"), full_page=True)


# --- segment forecasts and forecast accuracy ------------------------------------------------

SEGMENT_SELECTIONS = [(30, "week"), (365, "month"), (60, "day")]
# What ApexCharts drew for a chart: per series its points (config) and where its path runs.
DRAWN_SERIES = """(id) => {
  const el = document.getElementById(id);
  const w = window.AktinaMl.charts.get(el).chart.w;
  return {
    names: w.config.series.map(s => s.name),
    points: w.config.series.map(s => s.data.length),
    colours: w.globals.colors,
    first: window.AktinaMl.utcDay(w.globals.seriesX[0][0]),
    // distinct x positions of each series' path vertices (a band's path runs there and back)
    paths: [...el.querySelectorAll('.apexcharts-series')].map((g) => {
      const path = g.querySelector('path.apexcharts-line, path.apexcharts-rangeArea');
      const d = (path && path.getAttribute('d')) || '';
      const xs = [...d.matchAll(/[ML]\\s*(-?[\\d.]+)/g)].map((m) => Number(m[1]).toFixed(1));
      return new Set(xs).size;
    }),
  };
}"""


def check_segment_forecasts(page: Page, server: Api, horizon: int, granularity: str) -> None:
    expected = fetch(server, f"/forecast/segments?horizon_days={horizon}&granularity={granularity}")
    drawn = page.evaluate(DRAWN_SERIES, "aktina-ml-segment-forecasts")
    series = expected["chart"]["series"]
    where = f"{horizon} days by {granularity}: {drawn}"
    _, partial = complete_and_partial(expected["dates"], expected["period_days"], granularity)
    marked = [f"Partial {granularity}"] if partial else []
    # One line per segment and the total, each through every period of the selection (a
    # partial one at its pace), and the partial periods of every line marked
    assert drawn["names"] == [s["name"] for s in series] + marked, where
    assert len(series) == len(expected["segments"]) + 1
    lines = [len(expected["dates"])] * len(series)
    assert drawn["points"] == lines + ([len(partial) * len(series)] if partial else []), where
    assert drawn["paths"] == lines + ([len(partial)] if partial else []), where
    assert drawn["first"] == expected["dates"][0], where  # unshifted west of UTC
    # In the segments' colours of GET /segments, the total in its own
    distribution = fetch(server, "/segments")["charts"]["distribution"]
    by_id = dict(zip(distribution["segment_ids"], distribution["colors"], strict=True))
    segments = len(expected["segments"])
    # (each darkened just enough to stand 3:1 against the card: AktinaMl.readable)
    readable = page.evaluate(
        "cs => cs.map(c => AktinaMl.readable(c, false))",
        [by_id[s["id"]] for s in expected["segments"]],
    )
    assert drawn["colours"][:segments] == readable, where
    panel = "[data-aktina-ml-panel=segment-forecasts]"
    assert page.get_attribute(panel, "data-selection") == f"{horizon}:{granularity}"
    assert page.inner_text(f"{panel} .aktina-ml-period").endswith(
        f"from {expected['dates'][0]} to {expected['dates'][-1]}"
    )
    assert "top-down by forecast shares" in page.inner_text(f"{panel} .aktina-ml-reconciliation")


def choose_segment_selection(page: Page, horizon: int, granularity: str) -> None:
    panel = "[data-aktina-ml-panel=segment-forecasts]"
    page.select_option(f"{panel} select[name=horizon_days]", str(horizon))
    page.wait_for_function(
        f"document.querySelector('{panel}').dataset.selection.startsWith('{horizon}:')"
    )
    page.check(f"{panel} input[name=granularity][value={granularity}]")
    page.wait_for_function(
        f"document.getElementById('aktina-ml-segment-forecasts')?.dataset.selection === "
        f"'{horizon}:{granularity}'"
    )
    all_drawn(page)


def choose_lead(page: Page, lead: int) -> None:
    page.check(f"[data-aktina-ml-panel=accuracy] input[name=lead_days][value='{lead}']")
    page.wait_for_function(
        f"document.querySelector('[data-aktina-ml-panel=accuracy]').dataset.lead === '{lead}'"
    )
    all_drawn(page)


def test_segment_forecasts_and_accuracy_draw_and_follow_their_selectors(
    page: Page, trained_store: Path
) -> None:
    with api(trained_store) as server, laravel_page(server.url) as url:
        # Given segmentation, an earlier forecast and today's; when the admin page loads
        page.goto(url)
        all_drawn(page)
        assert states(page) == READY
        # Then each segment's forecast is drawn under the segment performance
        check_segment_forecasts(page, server, 90, "day")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("[data-aktina-ml-panel=segment-forecasts]").screenshot(
            path=str(ARTIFACTS / "laravel-segment-forecasts.png")
        )
        # And follows its selectors, each change one round trip and a redraw
        for horizon, granularity in SEGMENT_SELECTIONS:
            choose_segment_selection(page, horizon, granularity)
            check_segment_forecasts(page, server, horizon, granularity)

        # The accuracy card: actual sales against the forecast made 7, then 30 days before
        for lead in (7, 30):
            if lead != 7:  # 7 is the default
                choose_lead(page, lead)
            expected = fetch(server, f"/forecast/accuracy?lead_days={lead}")
            days = len(expected["comparison"]["dates"])
            assert days == EARLIER_FORECAST_DAYS - lead + 1
            drawn = page.evaluate(DRAWN_SERIES, "aktina-ml-accuracy")
            assert drawn["names"] == [s["name"] for s in expected["chart"]["series"]]
            assert drawn["points"] == [days, days, days], drawn
            assert drawn["paths"] == [days, days, days], drawn
            assert drawn["first"] == expected["comparison"]["dates"][0]
            card = page.inner_text("[data-aktina-ml-panel=accuracy]")
            assert f"{lead} days ahead" in card
            assert "MASE" in card
            # (the forecast of 60 days ago is older than drift's recent window: not judged)
            drift = page.inner_text("[data-aktina-ml-panel=accuracy] .aktina-ml-drift")
            assert drift.startswith("Drift not judged yet"), drift
            page.locator("[data-aktina-ml-panel=accuracy]").screenshot(
                path=str(ARTIFACTS / f"laravel-forecast-accuracy-{lead}-days.png")
            )
        # A lead no earlier forecast has reached yet: words, no chart
        choose_lead(page, 90)
        assert page.locator("#aktina-ml-accuracy").count() == 0
        empty = page.inner_text("[data-aktina-ml-panel=accuracy] .aktina-ml-empty")
        assert empty.startswith("No forecast made 90 days before")
        page.screenshot(path=str(ARTIFACTS / "laravel-widgets-monitoring.png"), full_page=True)


# --- the app's look: light and dark, ApexCharts once ---------------------------------------

# Contrast (WCAG ratio) of what each panel shows against the panel's own background: its
# heading, the charts' axis labels and legends, and every line series.
READABILITY = """() => {
  const { contrast, rgbOf } = window.AktinaMl;
  const rgb = (css) => (css.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const hex = (c) => (c.startsWith('#') ? rgbOf(c) : rgb(c));
  return [...document.querySelectorAll('[data-aktina-ml-panel]')].map((panel) => {
    const card = rgb(getComputedStyle(panel).backgroundColor);
    const heading = panel.querySelector('h3');
    const charts = [...panel.querySelectorAll('[data-aktina-ml-chart]')].map((el) => {
      const w = window.AktinaMl.charts.get(el).chart.w;
      const label = el.querySelector('.apexcharts-xaxis-label, .apexcharts-yaxis-label');
      const legend = el.querySelector('.apexcharts-legend-text');
      return {
        kind: el.dataset.aktinaMlChart, theme: el.dataset.aktinaMlTheme,
        label: label ? contrast(hex(getComputedStyle(label).fill), card) : null,
        legend: legend ? contrast(rgb(getComputedStyle(legend).color), card) : null,
        lines: w.config.series.map((s, i) =>
          [s.type || w.config.chart.type, contrast(hex(w.globals.colors[i]), card)]),
      };
    });
    // the summary cards' words: figures, changes, badges, notes, against what is behind them
    const words = [...panel.querySelectorAll(['.aktina-ml-figure', '.aktina-ml-change',
      '.aktina-ml-change strong', '.aktina-ml-badge', '.aktina-ml-note',
      '.aktina-ml-meta:not(:empty)', '.aktina-ml-row-name', '.aktina-ml-empty'].join(', '))]
      .map((el) => {
        const style = getComputedStyle(el);
        const own = rgb(style.backgroundColor);
        const behind = style.backgroundColor.startsWith('rgba(0, 0, 0, 0)') ? card : own;
        return [el.className, contrast(rgb(style.color), behind)];
      });
    return { panel: panel.dataset.aktinaMlPanel, card,
             heading: contrast(rgb(getComputedStyle(heading).color), card),
             headingSize: parseFloat(getComputedStyle(heading).fontSize), charts, words };
  });
}"""


def check_readable(page: Page, theme: str) -> None:
    """Headings at the app's scale; text 4.5:1 and line series 3:1 against each card."""
    for panel in page.evaluate(READABILITY):
        where = f"{theme}: {panel['panel']}"
        assert (sum(panel["card"]) < 200) == (theme == "dark"), where  # the card follows the mode
        assert panel["heading"] >= 4.5, where
        assert panel["headingSize"] == 18, where  # text-lg, not the preflight's body size
        if panel["panel"] in ("revenue-forecast", "demand-forecast", "risk", "recommendations"):
            assert len(panel["words"]) >= 3, where
        for name, ratio in panel["words"]:
            assert ratio >= 4.5, (where, name, ratio)
        for chart in panel["charts"]:
            assert chart["theme"] == theme, (where, chart["kind"])
            for name in ("label", "legend"):
                assert chart[name] is None or chart[name] >= 4.5, (where, chart)
            for kind, ratio in chart["lines"]:
                needed = 3.0 if kind == "line" else 1.2  # lines 3:1; fills (bars, slices, bands)
                assert ratio >= needed, (where, chart["kind"], kind, ratio)


@contextmanager
def page_in(browser: Browser, scheme: str) -> Iterator[Page]:
    """A page whose system colour scheme is ``scheme``; a JavaScript error fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  color_scheme=scheme)  # type: ignore[arg-type]  # fmt: skip
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def test_light_and_dark_mode_are_readable(browser: Browser, trained_store: Path) -> None:
    cases = [
        ("light", "?theme=light", "light"),  # no html.dark
        ("dark", "?theme=dark", "light"),  # html.dark, the app's appearance setting
        ("dark", "?dark_mode=media", "dark"),  # AKTINA_ML_DARK_MODE=media: the system's choice
    ]
    with api(trained_store) as server, laravel_page(server.url) as url:
        for theme, query, scheme in cases:
            with page_in(browser, scheme) as page:
                check_mode(page, url, theme, query)


def check_mode(page: Page, url: str, theme: str, query: str) -> None:
    """The admin page at ``url + query``, drawn and read in ``theme``."""
    # Given the admin page in that mode; when every chart has drawn
    page.goto(url + query)
    all_drawn(page)
    # Then the panels wear the card and heading of that mode, and everything reads
    check_readable(page, theme)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = f"laravel-widgets-{theme}{'-media' if 'media' in query else ''}.png"
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    if query == "?theme=light":
        # When the app switches to dark (html.dark), every chart redraws dark
        page.evaluate("document.documentElement.classList.add('dark')")
        page.wait_for_function(
            "[...document.querySelectorAll('[data-aktina-ml-chart]')]"
            ".every(e => e.dataset.aktinaMlTheme === 'dark'"
            " && e.dataset.aktinaMlDrawn === 'yes')"
        )
        check_readable(page, "dark")


def apexcharts_loads(page: Page) -> int:
    loads: int = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('apexcharts')).length"
    )
    return loads


def test_apexcharts_is_loaded_once(page: Page, trained_store: Path) -> None:
    with api(trained_store) as server, laravel_page(server.url) as url:
        # Given a page without ApexCharts: the kit loads it, once
        page.goto(url)
        all_drawn(page)
        assert apexcharts_loads(page) == 1
        assert page.locator("script[data-aktina-ml-apexcharts]").count() == 1
        # Given a page whose own bundle loads it (the app's Vite bundle): the kit loads none
        page.goto(f"{url}?bundle=1")
        all_drawn(page)
        assert apexcharts_loads(page) == 1
        assert page.locator("script[data-aktina-ml-apexcharts]").count() == 0


def test_charts_say_apexcharts_is_missing_once_and_the_page_stays_responsive(
    page: Page, trained_store: Path
) -> None:
    # Given a page whose ApexCharts URL serves no ApexCharts (an empty script: a CDN outage
    # or a blocked script looks the same to the kit)
    empty = {"AKTINA_ML_APEXCHARTS_FILE": "/dev/null"}
    with api(trained_store) as server, laravel_page(server.url, **empty) as url:
        # When it loads
        page.goto(url, timeout=20_000)
        page.wait_for_function(
            "[...document.querySelectorAll('[data-aktina-ml-chart]')]"
            ".every(e => e.textContent.includes('needs ApexCharts'))"
        )
        # Then every chart says so in words, and nothing keeps rewriting the page
        notes = page.eval_on_selector_all(
            "[data-aktina-ml-chart]", "els => els.map(e => e.textContent.trim())"
        )
        assert notes
        assert set(notes) == {"This chart needs ApexCharts (3.40 or later) on the page."}
        changes = page.evaluate(
            """() => new Promise((done) => {
              let count = 0;
              const watch = new MutationObserver((records) => { count += records.length; });
              watch.observe(document.body, { subtree: true, childList: true, attributes: true });
              setTimeout(() => { watch.disconnect(); done(count); }, 500);
            })"""
        )
        assert changes == 0


# Each panel's poll timer, as the kit renders it (its x-data object, which Alpine would start),
# run against a stand-in $wire under Playwright's clock: Alpine and Livewire are not installable.
RUN_POLL_TIMERS = """() => {
  window.polls = {};
  window.timers = [...document.querySelectorAll("[data-aktina-ml-panel]")].map((panel) => {
    const name = panel.dataset.aktinaMlPanel;
    const timer = panel.querySelector("[data-aktina-ml-poll]");
    const data = new Function(`return (${timer.getAttribute("x-data")})`)();
    data.$wire = { poll: () => { window.polls[name] = (window.polls[name] || 0) + 1; } };
    window.polls[name] = 0;
    data.init();
    return data;
  });
}"""


def hide(page: Page, *, hidden: bool) -> None:
    """The tab hidden or shown, as document.hidden says (what the poll timer reads)."""
    page.evaluate(
        "(on) => Object.defineProperty(document, 'hidden', {configurable: true, get: () => on})",
        hidden,
    )


def test_every_panel_polls_while_the_tab_is_visible_and_none_while_hidden(
    page: Page, trained_store: Path
) -> None:
    # Given the page with its four panels (the default 60 s poll), stacked so that most of
    # them sit below the fold, and each panel's poll timer started
    with api(trained_store) as server:
        stopped = server.url
    with laravel_page(stopped) as url:
        page.clock.install()
        page.set_viewport_size({"width": 1400, "height": 300})
        page.goto(url)
        seconds = "els => els.map((el) => el.dataset.aktinaMlPoll)"
        assert page.eval_on_selector_all("[data-aktina-ml-poll]", seconds) == ["60"] * len(READY)
        page.evaluate(RUN_POLL_TIMERS)

        # When two minutes pass with the tab visible
        page.clock.run_for(120_000)
        # Then every panel polled twice, in view or not
        assert page.evaluate("window.polls") == dict.fromkeys(READY, 2)

        # When the tab is hidden for ten minutes
        hide(page, hidden=True)
        page.clock.run_for(600_000)
        # Then no panel polled
        assert page.evaluate("window.polls") == dict.fromkeys(READY, 2)

        # When the tab is shown again, then every panel polls on the next tick
        hide(page, hidden=False)
        page.clock.run_for(60_000)
        assert page.evaluate("window.polls") == dict.fromkeys(READY, 3)

        # When the panels leave the page (Alpine calls destroy), then their timers stop
        page.evaluate("window.timers.forEach((data) => data.destroy())")
        page.clock.run_for(300_000)
        assert page.evaluate("window.polls") == dict.fromkeys(READY, 3)


# --- the summary's cards, chart, trends and recommendations (GET /summary) -----------------


def money(value: float) -> str:
    """The kit's amounts (View\\Figures::money): three significant figures, k / M / B."""
    scaled, suffix = next(
        ((value / base, name) for base, name in ((1e9, " B"), (1e6, " M"), (1e4, " k"))
         if abs(value) >= base), (value, ""),
    )  # fmt: skip
    digits = 0 if not suffix else max(0, 2 - math.floor(math.log10(max(1.0, abs(scaled)))))
    return f"{scaled:,.{digits}f}{suffix}"


def check_summary_chart(page: Page, summary: dict[str, Any]) -> None:
    """The Revenue & Demand chart: revenue history, forecast and band on the left axis, units
    on the right, every period on its line (partial ones at their pace, marked), unshifted."""
    chart = summary["chart"]
    g = chart["granularity"]
    drawn = page.evaluate(
        """() => {
          const el = document.getElementById('aktina-ml-revenue-demand');
          const w = window.AktinaMl.charts.get(el).chart.w;
          return {
            names: w.config.series.map(s => s.name),
            days: w.config.series.map(s => s.data.map(p => window.AktinaMl.utcDay(p.x))),
            ys: w.config.series.map(s => s.data.map(p => p.y)),
            axes: w.config.yaxis.map(a => [a.title.text, !!a.opposite]),
          };
        }"""
    )
    revenue, units = chart["revenue"], chart["units"]
    partial = [d for d, p in zip(revenue["history"]["dates"], revenue["history"]["partial"],
                                 strict=True) if p]  # fmt: skip
    ahead = revenue["forecast"]
    ahead_partial = [d for d, n in zip(ahead["dates"], ahead["period_days"], strict=True)
                     if n < full_period_days(d, g)]  # fmt: skip
    names = ["Revenue", "Revenue forecast", "80% interval"]
    names += [f"Partial {g}"] if partial or ahead_partial else []
    names += ["Units", "Units forecast"] + ([f"Partial {g}, units"] if partial else [])
    assert drawn["names"] == names, drawn["names"]
    assert drawn["axes"] == [["Revenue", False], ["Units", True]]
    assert drawn["days"][0] == revenue["history"]["dates"]  # unshifted west of UTC
    assert drawn["days"][1] == drawn["days"][2] == ahead["dates"]
    assert drawn["days"][4] == units["history"]["dates"]
    assert drawn["days"][5] == units["forecast"]["dates"]
    # partial periods at their full period's pace, never a dip
    for day, value, covered, y in zip(revenue["history"]["dates"], revenue["history"]["values"],
                                      revenue["history"]["period_days"], drawn["ys"][0],
                                      strict=True):  # fmt: skip
        assert y == pytest.approx(value * full_period_days(day, g) / covered), day
    assert drawn["days"][3] == sorted(partial + ahead_partial)


def test_the_summary_widgets_show_the_answer_in_the_placeholders_places(
    page: Page, trained_store: Path
) -> None:
    with api(trained_store) as server, laravel_page(server.url) as url:
        # Given the service's summary; when the admin page loads
        page.goto(url)
        all_drawn(page)
        assert states(page) == READY
        summary = fetch(server, "/summary")
        # Then the panels sit where the placeholders were: cards, chart, the widgets, trends
        assert list(states(page)) == list(READY)

        # The revenue card: each span's point, change and the API's certainty words
        card = page.inner_text("[data-aktina-ml-panel=revenue-forecast]")
        figures = page.locator("[data-aktina-ml-figure=revenue]").all_inner_texts()
        spans = sorted(summary["revenue"]["spans"], key=lambda s: -s["days"])
        assert figures == [money(s["point"]) for s in spans]
        for span in spans:
            assert span["certainty_text"] in card
            assert f"{money(span['lower'])} – {money(span['upper'])}" in card
        # The demand card: units next month, the largest rise, every product
        demand = summary["demand"]
        units = page.inner_text("[data-aktina-ml-figure=units]")
        assert units == f"{round(demand['month']['units']):,}"
        card = page.inner_text("[data-aktina-ml-panel=demand-forecast]")
        assert f"Largest rise: {demand['largest_rise']['name']}" in card
        rows = page.locator("[data-aktina-ml-panel=demand-forecast] [data-aktina-ml-rows] li")
        assert rows.count() == len(demand["products"])
        # Risk: the level and every reason
        risk = summary["risk"]
        assert page.get_attribute("[data-aktina-ml-figure=risk]", "data-level") == risk["level"]
        reasons = page.locator("[data-aktina-ml-panel=risk] .aktina-ml-reasons li")
        assert reasons.count() == len(risk["reasons"])
        for text, reason in zip(reasons.all_inner_texts(), risk["reasons"], strict=True):
            assert reason["text"] in text
        # Trends and recommendations, each with its figures
        trends = page.locator("[data-aktina-ml-panel=market-trends] li").all_inner_texts()
        expected = summary["trends"]["segments"] + summary["trends"]["products"]
        for text, row in zip(trends, expected, strict=True):
            assert text.startswith(row["name"])
        advice = page.locator("[data-aktina-ml-panel=recommendations] li").all_inner_texts()
        assert len(advice) == len(summary["recommendations"])
        for text, rule in zip(advice, summary["recommendations"], strict=True):
            assert text.startswith(rule["text"])
            assert "Rests on: " in text
        # The chart
        check_summary_chart(page, summary)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "laravel-summary-widgets.png"), full_page=True)


def test_without_demand_the_summary_says_so_and_recommends_nothing_unsupported(
    page: Page, forecast_only_store: Path
) -> None:
    # Given the service with the forecast alone: its summary has no demand and nothing the
    # data supports to recommend
    with api(forecast_only_store) as server, laravel_page(server.url) as url:
        summary = fetch(server, "/summary")
        assert summary["demand"]["status"] == "unavailable"
        assert summary["recommendations"] == [], "the forecast alone supports no recommendation"
        check_without_demand(page, url, summary["demand"]["reason"])


def check_without_demand(page: Page, url: str, reason: str) -> None:
    """The page in ``url``: demand unavailable for ``reason``, the rest of the summary ready,
    nothing to recommend."""
    page.goto(url)
    all_drawn(page)
    # Then the demand card says it is unavailable, the rest of the summary answers
    found = states(page)
    assert {panel: found[panel] for panel in SUMMARY_PANELS} == dict.fromkeys(
        SUMMARY_PANELS, "ready"
    ) | {"demand-forecast": "unavailable"}
    words = page.inner_text("[data-aktina-ml-panel=demand-forecast] .aktina-ml-status")
    assert words.endswith(f"not available yet: {reason}.")
    names = page.evaluate(
        "() => window.AktinaMl.charts.get(document.getElementById('aktina-ml-revenue-demand'))"
        ".chart.w.config.series.map(s => s.name)"
    )
    assert "Units" not in names
    assert names[:3] == ["Revenue", "Revenue forecast", "80% interval"]
    empty = page.inner_text("[data-aktina-ml-panel=recommendations] .aktina-ml-empty")
    assert empty.startswith("Nothing the data supports yet")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "laravel-summary-no-demand.png"), full_page=True)

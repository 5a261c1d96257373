"""The preview page in a real browser: Debian's chromium driven by Playwright.

Small demo data is trained into a temporary model store (both models, a few seconds), the
local server runs on a free port, and the page must draw every chart from the API's data;
without a model it must say so, and with the service gone it must say it is unreachable.
Screenshots go to var/test-artifacts/ (the page's look is checked by a person from them).
"""

from __future__ import annotations

import calendar
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from aktina_ml.config import load_settings
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.local.routes import ROUTES
from aktina_ml.local.server import LocalApi, LocalServer
from aktina_ml.training import train_from_csv
from tests.support.browser import chromium
from tests.support.demo import train_forecast_only
from tests.support.local_server import running

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"
KEY = "preview-test-key"
TIMEZONE = "America/Chicago"  # the demo generator's business day
CURRENCY = "UGX"
PHONE: ViewportSize = {"width": 390, "height": 844}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The page's panels: the summary's cards and chart, segments, forecast, trends, recommendations.
PANELS = ("summary-cards", "revenue-demand", "segments", "forecast", "trends", "recommendations")


def every(state: str) -> dict[str, str]:
    return dict.fromkeys(PANELS, state)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium("the preview-page test") as browser:
        yield browser


@pytest.fixture(scope="module")
def trained_store(tmp_path_factory) -> Path:
    """Every model trained from a small demo dataset that ends yesterday."""
    base = tmp_path_factory.mktemp("preview")
    spec = DemoSpec(
        retailers=160,
        orders=15_000,
        days=400,
        end=date.today() - timedelta(days=1),
        seed=7,
        timezone=TIMEZONE,
    )
    generate(spec).write_csv(base / "demo")
    settings = load_settings(model_store=str(base / "models"), timezone=TIMEZONE)
    results = train_from_csv(["segmentation", "forecast", "demand"], base / "demo", settings)
    assert [(r.model, r.promoted) for r in results] == [
        ("segmentation", True),
        ("forecast", True),
        ("demand", True),
    ], [r.reason for r in results]
    return base / "models"


@pytest.fixture(scope="module")
def forecast_only_store(trained_store: Path) -> Path:
    """The forecast alone, trained from the same demo data (``train_forecast_only``)."""
    return train_forecast_only(trained_store, TIMEZONE)


@contextmanager
def serving(store: Path) -> Iterator[LocalServer]:
    """The local server (real functions) on a free port, reading ``store``."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AKTINA_MODEL_STORE", str(store))
        env.setenv("AKTINA_TIMEZONE", TIMEZONE)
        env.setenv("AKTINA_CURRENCY", CURRENCY)
        api = LocalApi(KEY, log=lambda message: None)
    with running(api) as server:
        yield server


@contextmanager
def browser_page(browser: Browser, viewport: ViewportSize) -> Iterator[Page]:
    """A fresh page; any JavaScript error on it fails the test."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with browser_page(browser, {"width": 1400, "height": 1000}) as page:
        yield page


def settled(page: Page) -> dict[str, str]:
    """Wait until no panel is loading; the state of each panel."""
    page.wait_for_function(
        "document.querySelectorAll('.panel[data-state=loading]').length === 0", timeout=20_000
    )
    return {
        panel.get_attribute("id"): panel.get_attribute("data-state")
        for panel in page.query_selector_all(".panel")
    }


def legend(page: Page, chart: str) -> list[str]:
    return page.locator(f"{chart} .apexcharts-legend-text").all_inner_texts()


def drawn_paths(page: Page, selector: str) -> int:
    """SVG paths of series that really draw something (a non-trivial ``d``)."""
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => (e.getAttribute('d') || '').length > 20).length"
    )


def test_every_chart_is_drawn_from_the_api(browser, page, trained_store):
    with serving(trained_store) as server:
        # Given both models trained; when the preview page loads
        page.goto(f"{server.url}/")
        # Then both panels are ready
        assert settled(page) == every("ready")
        segments = page.evaluate(
            "fetch('/segments', {headers: {'x-api-key': '" + KEY + "'}}).then(r => r.json())"
        )
        k = segments["k"]
        names = [s["name"] for s in segments["segments"]]

        # The pie has one slice per segment, labelled with the segments' names
        assert drawn_paths(page, "#chart-distribution .apexcharts-pie-series path") == k
        assert legend(page, "#chart-distribution") == names
        # The performance bars: volume mix and average sales for every segment
        assert legend(page, "#chart-performance") == [
            s["name"] for s in segments["charts"]["performance"]["series"]
        ]
        assert drawn_paths(page, "#chart-performance .apexcharts-bar-area") >= k
        # One demographics chart per dimension, each with bars
        figures = page.locator("#chart-demographics figure")
        assert figures.count() == len(segments["charts"]["demographics"]) == 4
        for i in range(1, 5):
            bars = f"#chart-demographics figure:nth-child({i}) path.apexcharts-bar-area"
            assert drawn_paths(page, bars) >= k
        # Segment descriptions and quality figures
        assert page.locator("#segment-list li").count() == k
        assert names[0] in page.locator("#segment-list li").first.inner_text()
        assert page.locator("#segment-metrics .metric").count() >= 2

        # The forecast: actual and forecast lines and the interval band
        assert legend(page, "#chart-forecast") == ["Actual sales", "Forecast", "80% interval"]
        assert drawn_paths(page, "#chart-forecast path.apexcharts-line") >= 2
        assert drawn_paths(page, "#chart-forecast path.apexcharts-rangeArea") >= 1
        assert page.locator("#forecast-metrics .metric").count() >= 4
        assert "90 days by day" in page.inner_text("#forecast-meta")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "preview-page.png"), full_page=True)

        # When the horizon and granularity change, the forecast is asked again and redrawn
        page.select_option("#horizon", "180")
        page.check("input[name=granularity][value=month]")
        page.wait_for_function(
            "document.getElementById('forecast-meta').textContent.includes('180 days by month')"
        )
        assert settled(page)["forecast"] == "ready"
        assert drawn_paths(page, "#chart-forecast path.apexcharts-rangeArea") >= 1


def test_no_model_yet_is_said_plainly(page, tmp_path):
    with serving(tmp_path / "empty-store") as server:
        page.goto(f"{server.url}/")
        assert settled(page) == every("no-model")
        assert "No forecast model yet" in page.inner_text("#forecast .status")
        assert "No segmentation model yet" in page.inner_text("#segments .status")


def test_service_down_shows_unreachable(page, trained_store):
    # Given the page loaded while the service ran
    with serving(trained_store) as server:
        page.goto(f"{server.url}/")
        assert settled(page)["forecast"] == "ready"
    # When the service is gone and the user refreshes the charts
    page.click("#refresh")
    # Then both panels say the service cannot be reached, and no chart is shown
    assert settled(page) == every("unreachable")
    assert "Service unavailable" in page.inner_text("#forecast .status")
    assert not page.locator("#chart-forecast").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "preview-page-unreachable.png"), full_page=True)


# --- the forecast chart draws exactly the selection -----------------------------------------

SELECTIONS = [
    (30, "month"),
    (30, "week"),
    (60, "day"),
    (365, "month"),
    (90, "week"),
    (180, "day"),
    (30, "day"),
    (365, "week"),
]
# Per series of the forecast chart (data:realIndex): its markers, and the points its line or
# band goes through (distinct x positions of the path's M/L vertices).
DRAWN_POINTS = """() => Object.fromEntries(
  [...document.querySelectorAll('#chart-forecast .apexcharts-series')].map((g) => {
    const path = g.querySelector('path.apexcharts-line, path.apexcharts-rangeArea');
    const d = (path && path.getAttribute('d')) || '';
    const xs = [...d.matchAll(/[ML]\\s*(-?[\\d.]+)/g)].map((m) => Number(m[1]).toFixed(1));
    return [g.getAttribute('data:realIndex'), {
      markers: g.querySelectorAll('.apexcharts-marker').length,
      points: new Set(xs).size }];
  }))"""
LEGEND_COLOURS = """(chart) => [...document.querySelectorAll(`${chart} .apexcharts-legend-series`)]
  .map((s) => [s.querySelector('.apexcharts-legend-text').textContent,
    s.querySelector('.apexcharts-legend-marker path').getAttribute('fill').toLowerCase()])"""


def svg_text(page: Page, selector: str) -> str:
    return " ".join(page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)"))


def period_length(first: date, granularity: str) -> int:
    if granularity == "day":
        return 1
    if granularity == "week":
        return 7
    return calendar.monthrange(first.year, first.month)[1]


def calendar_periods(first: date, days: int, granularity: str) -> list[tuple[date, int]]:
    """(first day, days covered) of each day/ISO week/calendar month in ``days`` days."""
    found: list[list[Any]] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        key = {"day": day, "week": day.isocalendar()[:2], "month": (day.year, day.month)}
        if found and found[-1][0] == key[granularity]:
            found[-1][2] += 1
        else:
            found.append([key[granularity], day, 1])
    return [(day, covered) for _, day, covered in found]


def expected_points(
    first_forecast_day: date, horizon: int, granularity: str, first_history_day: date
) -> dict[str, int]:
    """How many points each series must draw: every period on the lines (a partial one at its
    pace), the partial ones marked again by a series of their own."""
    ahead = calendar_periods(first_forecast_day, horizon, granularity)
    history = calendar_periods(
        first_history_day, (first_forecast_day - first_history_day).days, granularity
    )

    def complete(periods: list[tuple[date, int]]) -> int:
        return sum(covered == period_length(day, granularity) for day, covered in periods)

    return {
        "actual": len(history),
        "forecast": len(ahead),
        "partial": len(ahead) - complete(ahead) + len(history) - complete(history),
    }


# What the forecast chart drew for each period of the answer: (day, drawn value) per series.
DRAWN_VALUES = """() => { const w = charts.forecast.w;
  return w.config.series.map((s) => s.data.map((p) => [AktinaMl.utcDay(p.x), p.y])); }"""


def check_partial_at_pace(page: Page, answer: dict[str, Any], granularity: str) -> None:
    """A partial period is drawn at its full period's pace (never a dip): on the forecast line,
    its total × full days / covered days, and the band likewise."""
    drawn = page.evaluate(DRAWN_VALUES)
    forecast = dict((day, y) for day, y in drawn[1])
    band = dict((day, y) for day, y in drawn[2])
    for day, value, lower, covered in zip(answer["dates"], answer["values"], answer["lower"],
                                          answer["period_days"], strict=True):  # fmt: skip
        pace = period_length(date.fromisoformat(day), granularity) / covered
        assert forecast[day] == pytest.approx(value * pace), (day, covered)
        assert band[day][0] == pytest.approx(lower * pace), (day, covered)


def choose(page: Page, horizon: int, granularity: str) -> None:
    """Pick a selection as a user does and wait until the chart of that answer is drawn."""
    page.select_option("#horizon", str(horizon))
    page.check(f"input[name=granularity][value={granularity}]")
    page.wait_for_function(
        """([horizon, granularity]) => { const p = document.getElementById('forecast');
          return p.dataset.state === 'ready' && p.dataset.drawn === String(forecastRequest)
            && p.dataset.horizon === horizon && p.dataset.granularity === granularity; }""",
        arg=[str(horizon), granularity],
        timeout=20_000,
    )


def test_the_forecast_chart_draws_exactly_each_selection(
    browser: Browser, page: Page, trained_store: Path
) -> None:
    with serving(trained_store) as server:
        # Given the page showing the forecast
        page.goto(f"{server.url}/")
        assert settled(page)["forecast"] == "ready"
        for horizon, granularity in SELECTIONS:
            # When the user picks a horizon and a granularity
            choose(page, horizon, granularity)
            answer = page.evaluate(
                f"fetch('/forecast?horizon_days={horizon}&granularity={granularity}', "
                f"{{headers: {{'x-api-key': '{KEY}'}}}}).then(r => r.json())"
            )
            first = date.fromisoformat(answer["dates"][0])
            expected = expected_points(
                first, horizon, granularity, date.fromisoformat(answer["history"]["dates"][0])
            )
            drawn = page.evaluate(DRAWN_POINTS)
            where = f"{horizon} days by {granularity}: {drawn}, expected {expected}"
            # Then the chart draws exactly the periods of that selection, every one on the
            # actual and forecast lines and the interval band (a partial one at its pace) …
            assert drawn["0"]["points"] == expected["actual"], where
            assert drawn["1"]["points"] == expected["forecast"], where
            assert drawn.get("2", {"points": 0})["points"] == expected["forecast"], where
            # … and every partial first or last period marked by a point of its own
            assert drawn.get("3", {"points": 0})["points"] == expected["partial"], where
            check_partial_at_pace(page, answer, granularity)
            if expected["partial"]:  # drawn as markers only (ApexCharts doubles a lone one)
                assert drawn["3"]["markers"] >= expected["partial"], where
            partial_legend = [f"Partial {granularity}"] if expected["partial"] else []
            assert legend(page, "#chart-forecast") == [
                "Actual sales",
                "Forecast",
                "80% interval",
                *partial_legend,
            ]
            # The caption says the same selection, with dates in words
            caption = page.inner_text("#forecast-meta")
            assert caption.startswith(f"{horizon} days by {granularity}, from "), caption
            assert not ISO_DAY.search(caption), caption
            if (horizon, granularity) == (30, "month"):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.locator("#forecast").screenshot(
                    path=str(ARTIFACTS / "preview-forecast-30-days-by-month.png")
                )


def test_money_dates_colours_today_and_quality_read_plainly(
    browser: Browser, page: Page, trained_store: Path
) -> None:
    with serving(trained_store) as server:
        # Given the page with both models (AKTINA_CURRENCY=UGX)
        page.goto(f"{server.url}/")
        assert settled(page) == every("ready")
        # Then money is in the configured currency: the forecast axis and the volume classes
        axis = svg_text(page, "#chart-forecast .apexcharts-yaxis")
        assert f"Sales ({CURRENCY})" in axis
        assert re.search(rf"{CURRENCY}\s\d+(\.\d)?[KM]", axis)
        assert CURRENCY in svg_text(page, "#chart-performance .apexcharts-yaxis")
        assert CURRENCY in page.inner_text("#segment-headlines")
        # Dates are words, not ISO timestamps
        for meta in ("#segments-meta", "#forecast-meta"):
            assert not ISO_DAY.search(page.inner_text(meta)), page.inner_text(meta)
        # A today marker on the forecast
        assert "Today" in svg_text(page, "#chart-forecast .apexcharts-xaxis-annotations")
        # One colour, one meaning: within each chart, and no colour shared between segments,
        # volume classes, demographic categories and the forecast
        kinds = {
            "segments": ["#chart-distribution"],
            "performance": ["#chart-performance"],
            "demographics": [
                f"#chart-demographics figure:nth-child({i}) .chart" for i in range(1, 5)
            ],
            "forecast": ["#chart-forecast"],
        }
        used: dict[str, set[str]] = {}
        for kind, charts in kinds.items():
            used[kind] = set()
            for chart in charts:
                pairs = page.evaluate(LEGEND_COLOURS, chart)
                listed = [colour for _, colour in pairs]
                assert len(set(listed)) == len(listed), f"{chart}: {pairs}"
                used[kind] |= set(listed)
        for kind, colours in used.items():
            for other, other_colours in used.items():
                if kind < other:
                    assert not colours & other_colours, (kind, other, colours & other_colours)
        # The quality panels: a few headline figures with their meaning, the rest folded
        for panel in ("segment", "forecast"):
            headlines = page.locator(f"#{panel}-headlines .headline")
            assert 2 <= headlines.count() <= 4
            assert all(len(text) > 40 for text in headlines.all_inner_texts())
            assert not page.locator(f"#{panel}-metrics").is_visible()
        page.click("#forecast details summary")
        assert page.locator("#forecast-metrics .metric").count() >= 6
        assert "_" not in page.inner_text("#forecast-metrics")


def test_no_horizontal_scroll_on_a_phone(browser: Browser, trained_store: Path) -> None:
    with serving(trained_store) as server, browser_page(browser, PHONE) as page:
        # Given a 390 px wide phone screen
        page.goto(f"{server.url}/")
        assert settled(page) == every("ready")
        # Then nothing is wider than the screen: no horizontal scroll, every chart inside it
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        right_edges = page.eval_on_selector_all(
            "svg.apexcharts-svg", "els => els.map(e => e.getBoundingClientRect().right)"
        )
        assert right_edges
        assert max(right_edges) <= PHONE["width"]
        # Also after a change of selection
        choose(page, 30, "week")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "preview-page-390px.png"), full_page=True)


def test_swagger_page_shows_every_route_and_tries_one(page: Page, trained_store: Path) -> None:
    with serving(trained_store) as server:
        # When the local API documentation is opened
        page.goto(f"{server.url}/docs")
        # Then Swagger UI (vendored, offline) lists every route of the API
        page.wait_for_selector(".opblock", timeout=20_000)
        assert page.locator(".opblock").count() == len(ROUTES)
        assert "Aktina ML API" in page.inner_text(".info")
        # And "Try it out" calls the API with the page's key
        operation = page.locator(".opblock", has=page.locator("[data-path='/health']"))
        operation.locator(".opblock-summary").click()
        operation.locator(".try-out__btn").click()
        operation.locator(".execute").click()
        response = operation.locator(".live-responses-table tr.response .response-col_status").first
        response.wait_for(timeout=20_000)
        assert response.inner_text().strip() == "200"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "swagger-page.png"), full_page=True)


# --- segment forecasts and how the forecasts did (GET /forecast/segments, /forecast/accuracy) --

EARLIER_FORECAST_DAYS = 60  # as `aktina-ml demo` does: 7- and 30-day leads can be scored
SEGMENT_SELECTIONS = [(90, "day"), (30, "week"), (365, "month"), (60, "week")]
SERIES_POINTS = """(chart) => Object.fromEntries(
  [...document.querySelectorAll(`${chart} .apexcharts-series`)].map((g) => {
    const path = g.querySelector('path.apexcharts-line, path.apexcharts-rangeArea');
    const d = (path && path.getAttribute('d')) || '';
    const xs = [...d.matchAll(/[ML]\\s*(-?[\\d.]+)/g)].map((m) => Number(m[1]).toFixed(1));
    return [g.getAttribute('data:realIndex'), {
      markers: g.querySelectorAll('.apexcharts-marker').length,
      points: new Set(xs).size }];
  }))"""


@pytest.fixture(scope="module")
def monitored_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Segmentation, a forecast as of 60 days ago, then today's forecast (which scores it)."""
    from aktina_ml.training import train_earlier_forecast_from_csv

    base = tmp_path_factory.mktemp("preview-monitored")
    spec = DemoSpec(retailers=160, orders=15_000, days=400, seed=7, timezone=TIMEZONE,
                    end=date.today() - timedelta(days=1))  # fmt: skip
    generate(spec).write_csv(base / "demo")
    settings = load_settings(model_store=str(base / "models"), timezone=TIMEZONE)
    (segmentation,) = train_from_csv(["segmentation"], base / "demo", settings)
    earlier = train_earlier_forecast_from_csv(base / "demo", settings, EARLIER_FORECAST_DAYS)
    (latest,) = train_from_csv(["forecast"], base / "demo", settings)
    reasons = [r.reason for r in (segmentation, earlier, latest)]
    assert all(r.promoted for r in (segmentation, earlier, latest)), reasons
    return base / "models"


def api_answer(page: Page, path: str) -> dict[str, Any]:
    answer: dict[str, Any] = page.evaluate(
        f"fetch('{path}', {{headers: {{'x-api-key': '{KEY}'}}}}).then(r => r.json())"
    )
    return answer


def part_drawn(page: Page, part: str, **expected: str) -> None:
    """Wait until a part of a panel is ready and has drawn the latest answer of ``expected``."""
    page.wait_for_function(
        """([id, expected]) => { const p = document.getElementById(id);
          const latest = {'segment-forecasts': segmentForecastRequest,
                          'accuracy': accuracyRequest}[id];
          return p.dataset.state === 'ready' && p.dataset.drawn === String(latest)
            && Object.entries(expected).every(([k, v]) => p.dataset[k] === v); }""",
        arg=[part, expected],
        timeout=20_000,
    )


def check_segment_chart(page: Page, horizon: int, granularity: str) -> dict[str, Any]:
    answer = api_answer(
        page, f"/forecast/segments?horizon_days={horizon}&granularity={granularity}"
    )
    periods = calendar_periods(date.fromisoformat(answer["dates"][0]), horizon, granularity)
    complete = sum(covered == period_length(day, granularity) for day, covered in periods)
    partial = len(periods) - complete
    names = [s["name"] for s in answer["chart"]["series"]]
    by_index = page.evaluate(SERIES_POINTS, "#chart-segment-forecasts")
    listed = [*names, f"Partial {granularity}"]
    drawn = {listed[int(i)]: points for i, points in by_index.items()}
    where = f"{horizon} days by {granularity}: {drawn}"
    # One line per segment and the total, each through every period (a partial one at its
    # pace) …
    assert names == [s["name"] for s in answer["segments"]] + ["Total forecast"]
    partial_legend = [f"Partial {granularity}"] if partial else []
    assert legend(page, "#chart-segment-forecasts") == names + partial_legend, where
    assert all(drawn[name]["points"] == len(periods) for name in names), where
    # … and the partial first or last periods of every line marked by points of their own
    if partial:
        assert drawn[f"Partial {granularity}"]["points"] == partial, where
        assert drawn[f"Partial {granularity}"]["markers"] >= partial * len(names), where
    # The segments in the colours of GET /segments, the total in the forecast's colour
    overview = api_answer(page, "/segments")["charts"]["distribution"]
    by_id = dict(zip(overview["segment_ids"], overview["colors"], strict=True))
    colours = dict(page.evaluate(LEGEND_COLOURS, "#chart-segment-forecasts"))
    assert [colours[s["name"]] for s in answer["segments"]] == [
        colour.lower()
        for colour in page.evaluate(  # each darkened just enough to stand 3:1 (AktinaMl.readable)
            "cs => cs.map(c => AktinaMl.readable(c, false))",
            [by_id[s["id"]] for s in answer["segments"]],
        )
    ]
    caption = page.inner_text("#segment-forecasts-meta")
    assert f"{horizon} days by {granularity}" in caption
    assert not ISO_DAY.search(caption)
    return answer


def test_segment_forecasts_and_accuracy_draw_and_follow_the_selectors(
    browser: Browser, page: Page, monitored_store: Path
) -> None:
    with serving(monitored_store) as server:
        # Given segmentation, an earlier forecast and today's; when the page loads
        page.goto(f"{server.url}/")
        assert settled(page) == every("ready")
        part_drawn(page, "segment-forecasts", horizon="90", granularity="day")
        # Then the segment forecasts are drawn under the segment performance chart
        answer = check_segment_chart(page, 90, "day")
        assert "top-down by forecast shares" in page.inner_text("#segment-forecasts-reconciliation")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#segment-forecasts").screenshot(
            path=str(ARTIFACTS / "preview-segment-forecasts-90-days-by-day.png")
        )
        assert answer["reconciliation"]["segments"] == len(answer["segments"])

        # When the forecast's horizon and granularity change, the segment chart follows
        for horizon, granularity in SEGMENT_SELECTIONS:
            choose(page, horizon, granularity)
            part_drawn(page, "segment-forecasts", horizon=str(horizon), granularity=granularity)
            check_segment_chart(page, horizon, granularity)
            if (horizon, granularity) == (30, "week"):
                page.locator("#segment-forecasts").screenshot(
                    path=str(ARTIFACTS / "preview-segment-forecasts-30-days-by-week.png")
                )

        # And "How the forecasts did": actual sales against the forecast made 7 days before
        for lead in (7, 30):
            page.check(f"input[name=lead_days][value='{lead}']")
            part_drawn(page, "accuracy", lead=str(lead))
            accuracy = api_answer(page, f"/forecast/accuracy?lead_days={lead}")
            days = len(accuracy["comparison"]["dates"])
            assert days == EARLIER_FORECAST_DAYS - lead + 1
            assert legend(page, "#chart-accuracy") == [
                "Actual sales",
                f"Forecast made {lead} days earlier",
                "80% interval",
            ]
            drawn = page.evaluate(SERIES_POINTS, "#chart-accuracy")
            assert [drawn[str(i)]["points"] for i in range(3)] == [days, days, days], drawn
            # The per-lead summary and the drift verdict in words
            headline = page.locator("#accuracy-headlines .headline").nth((7, 30, 90).index(lead))
            assert "MASE" in headline.inner_text()
            assert "held" in headline.inner_text()
            assert (
                "not scored yet"
                in page.locator("#accuracy-headlines .headline").nth(2).inner_text()
            )
            verdict = page.inner_text("#accuracy-drift")
            # (the forecast of 60 days ago is older than drift's recent window: not judged)
            assert verdict.startswith("Drift not judged yet: not enough scored"), verdict
            assert not ISO_DAY.search(page.inner_text("#accuracy-meta"))
            page.locator("#accuracy").screenshot(
                path=str(ARTIFACTS / f"preview-accuracy-{lead}-days.png")
            )
        # A lead no earlier forecast has reached yet is said in words, with no empty chart
        page.check("input[name=lead_days][value='90']")
        part_drawn(page, "accuracy", lead="90")
        assert not page.locator("#chart-accuracy").is_visible()
        assert "No forecast made 90 days before" in page.inner_text("#accuracy-empty")
        page.locator("#accuracy").screenshot(path=str(ARTIFACTS / "preview-accuracy-90-days.png"))
        page.check("input[name=lead_days][value='7']")
        part_drawn(page, "accuracy", lead="7")
        page.screenshot(path=str(ARTIFACTS / "preview-page-monitoring.png"), full_page=True)


def test_a_first_forecast_says_no_earlier_forecast_yet(page: Page, trained_store: Path) -> None:
    with serving(trained_store) as server:
        # Given segmentation and a single forecast (nothing archived to score)
        page.goto(f"{server.url}/")
        part_drawn(page, "accuracy", lead="7")
        # Then the accuracy part says so, and drift is not judged; no chart is drawn
        assert "No earlier forecast yet" in page.inner_text("#accuracy-empty")
        assert page.inner_text("#accuracy-drift").startswith("Drift not judged yet")
        assert not page.locator("#chart-accuracy").is_visible()
        assert page.locator("#accuracy-headlines .headline").count() == 3
        # And the segment forecasts are there all the same
        part_drawn(page, "segment-forecasts", horizon="90", granularity="day")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#accuracy").screenshot(path=str(ARTIFACTS / "preview-accuracy-none-yet.png"))


def test_no_segment_forecasts_yet_is_said_plainly(
    page: Page, trained_store: Path, tmp_path: Path
) -> None:
    # Given a segmentation model but a forecast trained without segments (before segmentation)
    store = tmp_path / "models"
    shutil.copytree(trained_store, store)
    settings = load_settings(model_store=str(store), timezone=TIMEZONE)
    demo = trained_store.parent / "demo"
    shutil.rmtree(store / "segmentation")
    (forecast,) = train_from_csv(["forecast"], demo, settings)
    assert forecast.promoted, forecast.reason
    shutil.copytree(trained_store / "segmentation", store / "segmentation")
    with serving(store) as server:
        page.goto(f"{server.url}/")
        assert settled(page) == every("ready")
        # Then the segment forecasts part shows the 503 and what to do, in words
        page.wait_for_function(
            "document.getElementById('segment-forecasts').dataset.state === 'no-model'"
        )
        text = page.inner_text("#segment-forecasts .status")
        assert "No per-segment forecasts yet" in text
        assert "503" in text
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#segment-forecasts").screenshot(
            path=str(ARTIFACTS / "preview-segment-forecasts-503.png")
        )


# --- the summary: cards, the Revenue & Demand chart, trends, recommendations ---------------


def test_the_summary_sections_come_from_the_api(page: Page, trained_store: Path) -> None:
    with serving(trained_store) as server:
        # Given the service's summary; when the preview page loads
        page.goto(f"{server.url}/")
        assert settled(page) == every("ready")
        summary = api_answer(page, "/summary")

        # Then the cards show its figures: each revenue span, units next month, the risk level
        spans = sorted(summary["revenue"]["spans"], key=lambda s: -s["days"])
        revenue = page.inner_text("#card-revenue")
        assert page.locator("#card-revenue [data-figure=revenue]").count() == len(spans)
        for span in spans:
            assert span["certainty_text"] in revenue
        demand = summary["demand"]
        assert (
            page.inner_text("#card-demand [data-figure=units]")
            == f"{round(demand['month']['units']):,}"
        )
        assert f"Largest rise: {demand['largest_rise']['name']}" in page.inner_text("#card-demand")
        assert page.locator("#card-demand li").count() == len(demand["products"])
        risk = summary["risk"]
        assert page.get_attribute("#card-risk [data-figure=risk]", "data-level") == risk["level"]
        assert page.locator("#card-risk li").count() == len(risk["reasons"])
        # The chart: revenue with its band, units on a second axis, drawn by the kit's script
        page.wait_for_function("document.getElementById('revenue-demand').dataset.drawn")
        names = legend(page, "#chart-revenue-demand")
        assert names[:3] == ["Revenue", "Revenue forecast", "80% interval"]
        assert {"Units", "Units forecast"} <= set(names)
        assert page.locator("#chart-revenue-demand .apexcharts-yaxis").count() == 2
        # Trends and recommendations, with the figures they rest on
        trends = summary["trends"]
        rows = page.locator("#trends li").all_inner_texts()
        assert len(rows) == len(trends["segments"]) + len(trends["products"])
        advice = page.locator("#recommendation-list li").all_inner_texts()
        assert [a.split("Rests on:")[0].strip() for a in advice] == [
            r["text"] for r in summary["recommendations"]
        ]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "preview-page-summary.png"), full_page=True)


def test_without_demand_the_preview_says_so(page: Page, forecast_only_store: Path) -> None:
    # Given the service with the forecast alone: no demand model, nothing to recommend
    with serving(forecast_only_store) as server:
        page.goto(f"{server.url}/")
        summary = api_answer(page, "/summary")
        assert summary["demand"]["status"] == "unavailable"
        assert summary["recommendations"] == [], "the forecast alone supports no recommendation"
        assert settled(page) == every("ready") | {"segments": "no-model"}
        # Then the demand card says so, the chart has no units, and nothing is recommended
        assert page.get_attribute("#card-demand", "data-state") == "unavailable"
        assert summary["demand"]["reason"] in page.inner_text("#card-demand")
        assert "Units: not available yet" in page.inner_text("#revenue-demand")
        page.wait_for_function("document.getElementById('revenue-demand').dataset.drawn")
        legend_names = legend(page, "#chart-revenue-demand")
        assert "Units" not in legend_names
        assert page.inner_text("#recommendations-empty").startswith("Nothing the data supports yet")

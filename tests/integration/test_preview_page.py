"""The preview page in a real browser: Debian's chromium driven by Playwright.

Small demo data is trained into a temporary model store (both models, a few seconds), the
local server runs on a free port, and the page must draw every chart from the API's data;
without a model it must say so, and with the service gone it must say it is unreachable.
Screenshots go to var/test-artifacts/ (the page's look is checked by a person from them).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from aktina_ml.config import load_settings
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.local.server import LocalApi, LocalServer
from aktina_ml.training import train_from_csv
from tests.support.local_server import running

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KEY = "preview-test-key"
TIMEZONE = "America/Chicago"  # the demo generator's business day


def _need(available: bool, what: str) -> None:
    """In CI a missing browser is a failure (.ci/run installs it); elsewhere a skip."""
    if not available:
        message = f"{what} is needed for the preview-page test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _need(sync_playwright is not None, "the playwright package (make setup)")
    _need(shutil.which("chromium") is not None, "Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def trained_store(tmp_path_factory) -> Path:
    """Both models trained from a small demo dataset that ends yesterday."""
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
    results = train_from_csv(["segmentation", "forecast"], base / "demo", settings)
    assert [(r.model, r.promoted) for r in results] == [
        ("segmentation", True),
        ("forecast", True),
    ], [r.reason for r in results]
    return base / "models"


@contextmanager
def serving(store: Path) -> Iterator[LocalServer]:
    """The local server (real functions) on a free port, reading ``store``."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AKTINA_MODEL_STORE", str(store))
        env.setenv("AKTINA_TIMEZONE", TIMEZONE)
        api = LocalApi(KEY, log=lambda message: None)
    with running(api) as server:
        yield server


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


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
        assert settled(page) == {"segments": "ready", "forecast": "ready"}
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
        assert settled(page) == {"segments": "no-model", "forecast": "no-model"}
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
    assert settled(page) == {"segments": "unreachable", "forecast": "unreachable"}
    assert "Service unavailable" in page.inner_text("#forecast .status")
    assert not page.locator("#chart-forecast").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "preview-page-unreachable.png"), full_page=True)

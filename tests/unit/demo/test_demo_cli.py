"""``aktina-ml demo-data``: the history ends yesterday unless --end says otherwise."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from aktina_ml.cli import main

SMALL = ["--retailers", "20", "--orders", "500", "--days", "30"]


def last_day(directory: Path) -> date:
    days = pd.read_csv(directory / "expected_daily_sales.csv", parse_dates=["date"])["date"]
    last: date = days.max().date()
    return last


def test_demo_data_ends_yesterday_in_its_business_timezone_by_default(tmp_path: Path) -> None:
    # When demo data is generated without --end
    code = main(["demo-data", "--out", str(tmp_path), *SMALL, "--timezone", "Africa/Kampala"])
    # Then its last day is yesterday there: a model trained today forecasts from today
    assert code == 0
    assert last_day(tmp_path) == datetime.now(ZoneInfo("Africa/Kampala")).date() - timedelta(1)


def test_end_chooses_the_last_day(tmp_path: Path) -> None:
    # When --end names a day, the history ends on it (the same data every time)
    assert main(["demo-data", "--out", str(tmp_path), *SMALL, "--end", "2026-10-31"]) == 0
    assert last_day(tmp_path) == date(2026, 10, 31)


def test_an_end_that_is_not_a_date_is_refused_naming_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # When --end is not an ISO date
    with pytest.raises(SystemExit) as stopped:
        main(["demo-data", "--out", str(tmp_path), "--end", "31/10/2026"])
    # Then the command stops with status 2 and says which flag wants what
    assert stopped.value.code == 2
    assert "argument --end: '31/10/2026' is not a date as YYYY-MM-DD" in capsys.readouterr().err
    assert not tmp_path.joinpath("orders.csv").exists()


def test_demo_data_says_how_many_products_and_lines_it_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # When demo data is generated
    assert main(["demo-data", "--out", str(tmp_path), *SMALL, "--end", "2026-10-31"]) == 0
    # Then its progress names the products and item lines, and products.csv is written
    err = capsys.readouterr().err
    assert "generated 10 products and 500 orders (" in err
    assert " item lines) in " in err
    assert len(pd.read_csv(tmp_path / "products.csv")) == 10

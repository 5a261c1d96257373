"""Every bad input to the ``aktina-ml`` command: one line on stderr saying what is wrong
(naming the file or the flag), nothing on stdout, exit status 2, no traceback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aktina_ml.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RETAILERS = FIXTURES / "laravel_samples" / "test_segmentation.csv"
SALES = FIXTURES / "sales_forecasting_training.csv"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of one command run in-process."""
    try:
        code = main(argv)
    except SystemExit as stopped:  # argparse stops on a bad flag
        code = int(stopped.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def sales_days(days: int, start: str = "2024-01-01") -> str:
    import pandas as pd

    dates = pd.date_range(start, periods=days, freq="D").strftime("%Y-%m-%d")
    return "date,amount\n" + "".join(f"{d},{100 + i % 7}\n" for i, d in enumerate(dates))


# (what is given, command, the line's expected text); {path} is the file given.
CASES = {
    "directory as the retailers CSV": (
        None,
        ["segment", "--retailers", "{dir}"],
        "{dir}: is a directory; give the CSV file itself",
    ),
    "directory as the sales CSV": (
        None,
        ["backtest", "--sales", "{dir}"],
        "{dir}: is a directory; give the CSV file itself",
    ),
    "a file that is not there": (
        None,
        ["forecast", "--sales", "{dir}/nothing.csv"],
        "{dir}/nothing.csv: no such file",
    ),
    "non-UTF-8 file": (
        b"date,amount\n2024-01-01,5\n2024-01-02,caf\xe9\n",
        ["backtest", "--sales", "{path}"],
        "{path}: line 3 is not UTF-8 text (byte 0xe9); save it as CSV UTF-8",
    ),
    "empty file": (
        "",
        ["backtest", "--sales", "{path}"],
        "{path}: the file is empty; it needs a header line",
    ),
    "semicolon-separated sales": (
        "date;amount\n2024-01-01;5\n",
        ["backtest", "--sales", "{path}"],
        "{path}: the columns are separated by semicolons, not commas",
    ),
    "semicolon-separated retailers": (
        "id;customer_age_class;total_sales\n1;adult;5\n",
        ["segment", "--retailers", "{path}"],
        "{path}: the columns are separated by semicolons, not commas",
    ),
    "sales without the date column": (
        "day,amount\n2024-01-01,5\n",
        ["forecast", "--sales", "{path}"],
        "{path}: missing column(s) ['date']; expected a header line date,amount",
    ),
    "an unknown age class": (
        "id,customer_age_class,total_sales\n1,adult,5\n2,elderly,7\n",
        ["segment", "--retailers", "{path}"],
        "{path}: line 3: customer_age_class 'elderly' is not one of child, teenager, youth, "
        "adult, senior (leave it empty when unknown)",
    ),
    "a negative amount": (
        "date,amount\n2024-01-01,5\n2024-01-02,-4\n",
        ["backtest", "--sales", "{path}"],
        "{path}: line 3: amount -4 is negative; sales are amounts of 0 or more",
    ),
    "a date given twice": (
        "date,amount\n2024-01-01,5\n2024-01-02,6\n2024-01-01,7\n",
        ["forecast", "--sales", "{path}"],
        "{path}: line 4: date 2024-01-01 is already on line 2; give one total per day",
    ),
    "a date that is not ISO": (
        "date,amount\n2024-01-01,5\n02/01/2024,6\n",
        ["forecast", "--sales", "{path}"],
        "{path}: line 3: date must be YYYY-MM-DD and amount a number",
    ),
    "backtest on 30 days": (
        sales_days(30),
        ["backtest", "--sales", "{path}"],
        "{path}: 30 days of sales are too few to backtest: each fold trains on at least 28 "
        "days and tests on at least 7, so give at least 35 days",
    ),
    "forecast on 30 days": (
        sales_days(30),
        ["forecast", "--sales", "{path}"],
        "{path}: 30 days of sales; a forecast needs at least 90 (AKTINA_FORECAST_MIN_HISTORY_DAYS)",
    ),
    "backtest --horizon below a week": (
        None,
        ["backtest", "--sales", str(SALES), "--horizon", "3"],
        "--horizon 3: a backtest fold tests at least 7 days",
    ),
    "--segments above the limit": (
        None,
        ["segment", "--retailers", str(RETAILERS), "--segments", "30"],
        "--segments 30: input should be less than or equal to 20",
    ),
    "--volume-thresholds not two numbers": (
        None,
        ["segment", "--retailers", str(RETAILERS), "--volume-thresholds", "5000"],
        "--volume-thresholds 5000: must be two ascending sales amounts, e.g. 5000,10000",
    ),
    "--horizon not a number": (
        None,
        ["forecast", "--sales", str(SALES), "--horizon", "abc"],
        "argument --horizon: 'abc' is not a whole number of days (1–365)",
    ),
    "--horizon too far": (
        None,
        ["backtest", "--sales", str(SALES), "--horizon", "400"],
        "argument --horizon: must be 1–365 days, got 400",
    ),
    "--granularity unknown": (
        None,
        ["forecast", "--sales", str(SALES), "--granularity", "year"],
        "argument --granularity: invalid choice: 'year'",
    ),
    "an unknown model to train": (
        None,
        ["train", "--models", "segmentation,churn", "--data-dir", "{dir}"],
        "unknown model(s) ['churn']; choose from segmentation, forecast",
    ),
    "a training directory without exports": (
        None,
        ["train", "--data-dir", "{dir}"],
        "{dir}: no users.csv, retailers.csv, orders.csv or sales.csv",
    ),
    "a missing flag": (
        None,
        ["segment"],
        "the following arguments are required: --retailers",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_bad_input_is_one_line_naming_it_and_exit_status_2(
    case: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    content, argv, expected = CASES[case]
    # Given the bad input
    path = tmp_path / "input.csv"
    if content is not None:
        write(path, content)
    fill = {"path": str(path), "dir": str(tmp_path)}
    # When the command runs
    code, out, err = run([arg.format(**fill) for arg in argv], capsys)
    # Then it stops with status 2 and one line on stderr that says what is wrong
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"aktina-ml {argv[0]}: "), err
    assert expected.format(**fill) in err
    assert "Traceback" not in err


def test_backtest_and_forecast_print_json_alone_without_library_notices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a 120-day file that ended long ago, and the mode fixed (one backtest)
    monkeypatch.setenv("AKTINA_FORECAST_MODE", "additive")
    monkeypatch.delenv("POWERTOOLS_LOG_LEVEL", raising=False)
    path = write(tmp_path / "sales.csv", sales_days(120, start="2024-01-01"))
    # When it is forecast
    code, out, err = run(["forecast", "--sales", str(path), "--horizon", "14"], capsys)
    # Then stdout is the JSON answer alone; stderr warns that the data is old, then says
    # what it does, and carries nothing else (no library notices, no log lines)
    assert code == 0
    assert out.lstrip().startswith("{")
    assert out.rstrip().endswith("}")
    assert err.splitlines() == [
        f"aktina-ml forecast: warning: the sales in {path} end on 2024-04-29, "
        f"{(date.today() - date(2024, 4, 29)).days} days before today; export fresher data "
        "for a forecast from today (this one starts the day after)",
        "aktina-ml forecast: 120 days of sales: backtesting and fitting …",
    ]
    # And backtesting (its figures as JSON) prints only its progress line
    code, out, err = run(["backtest", "--sales", str(path), "--horizon", "14", "--json"], capsys)
    assert code == 0
    assert out.lstrip().startswith("{")
    assert out.rstrip().endswith("}")
    assert err == "aktina-ml backtest: 120 days of sales: backtesting (a few seconds per year) …\n"

"""`aktina-ml backtest` and `aktina-ml forecast` on the app's sample CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aktina_ml.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sales_forecasting_training.csv"


def test_backtest_prints_metrics_for_our_setup_and_seasonal_naive(capsys) -> None:
    # When backtesting the app's 372-day sample with 14-day folds
    assert main(["backtest", "--sales", str(SAMPLE), "--horizon", "14"]) == 0
    report = json.loads(capsys.readouterr().out)
    # Then both methods are scored on the same folds
    assert report["days"] == 373
    assert report["backtest"]["horizon_days"] == 14
    assert report["backtest"]["folds"] == 4
    assert set(report["prophet"]) == {"mase", "smape", "coverage", "coverage_calibrated"}
    assert report["prophet"]["mase"] < report["seasonal_naive"]["mase"]
    assert set(report["backtest"]["candidates"]) == {"additive", "multiplicative"}


def test_forecast_prints_the_requested_horizon(capsys, monkeypatch) -> None:
    # Given the mode fixed by setting (one backtest instead of two)
    monkeypatch.setenv("AKTINA_FORECAST_MODE", "additive")
    # When forecasting 8 weeks in weekly totals
    assert (
        main(["forecast", "--sales", str(SAMPLE), "--horizon", "56", "--granularity", "week"]) == 0
    )
    answer = json.loads(capsys.readouterr().out)
    # Then the weeks cover the 56 days after the file's last date
    assert answer["dates"][0] == "2025-01-08"
    assert sum(answer["period_days"]) == 56
    assert answer["backtest"]["mode_chosen_by"] == "setting"


def test_bad_arguments_and_files_exit_with_status_2(capsys, tmp_path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["forecast", "--sales", str(SAMPLE), "--horizon", "400"])
    assert exc.value.code == 2
    broken = tmp_path / "broken.csv"
    broken.write_text("date,amount\n2024-01-01,5\n2024-01-02,lots\n")
    assert main(["backtest", "--sales", str(broken)]) == 2
    assert "line 3" in capsys.readouterr().err

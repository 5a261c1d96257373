"""`aktina-ml backtest` and `aktina-ml forecast` on the app's sample CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aktina_ml.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sales_forecasting_training.csv"


def test_backtest_prints_a_table_of_every_candidate_and_the_served_choice(capsys) -> None:
    # When backtesting the app's 373-day sample with 14-day folds
    assert main(["backtest", "--sales", str(SAMPLE), "--horizon", "14"]) == 0
    table = capsys.readouterr().out.splitlines()
    # Then one row per candidate gives MASE, sMAPE and coverage of days, weeks and months
    assert table[1].split() == ["candidate", "MASE", "sMAPE", "day", "week", "month"]
    rows = {line.split()[0]: line.split() for line in table[2:7]}
    assert set(rows) == {"prophet", "ets", "theta", "combination", "seasonal_naive"}
    # And Prophet alone is served on this near-deterministic sample
    assert rows["prophet"][-1] == "served"
    assert table[-1].startswith("served: prophet: Prophet alone is clearly better")


def test_backtest_json_scores_every_candidate_on_the_same_folds(capsys) -> None:
    assert main(["backtest", "--sales", str(SAMPLE), "--horizon", "14", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["days"] == 373
    assert report["backtest"]["horizon_days"] == 14
    assert report["backtest"]["folds"] == 8
    assert set(report["candidates"]) == {"prophet", "ets", "theta", "combination", "seasonal_naive"}
    prophet = report["candidates"]["prophet"]
    assert set(prophet) == {"mase", "smape", "coverage", "coverage_raw", "interval_scale"}
    assert set(prophet["coverage"]) == {"day", "week", "month"}
    assert prophet["mase"] < report["candidates"]["seasonal_naive"]["mase"]
    assert report["served"]["model"] == "prophet"
    assert set(report["served"]["prophet_modes_mase"]) == {"additive", "log"}


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

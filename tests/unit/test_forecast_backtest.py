"""The choice rule and fold plan of the candidates' backtest."""

from __future__ import annotations

import numpy as np

from aktina_ml.forecasting import backtest
from aktina_ml.forecasting.candidates import Forecast

RULE = backtest.Rule(margin=0.1, win_share=0.6)


def _backtest(**mase: list[float]) -> backtest.Backtest:
    folds = len(next(iter(mase.values())))
    return backtest.Backtest(horizon=91, origins=list(range(folds)), mase=dict(mase))


def test_prophet_alone_is_kept_when_clearly_better() -> None:
    # Given Prophet far ahead in every fold (a near-deterministic series)
    scored = _backtest(
        prophet=[0.02, 0.03, 0.02, 0.02],
        ets=[0.40, 0.50, 0.45, 0.42],
        theta=[0.50, 0.60, 0.55, 0.50],
        combination=[0.21, 0.26, 0.23, 0.22],
        seasonal_naive=[1.1, 1.2, 1.0, 1.1],
    )
    # Then Prophet alone is served, and the reason says so with the figures
    served, reason = backtest.choose(scored, RULE)
    assert served == "prophet"
    assert "clearly better" in reason
    assert "prophet 0.023" in reason


def test_the_combination_is_served_when_neither_dominates() -> None:
    # Given Prophet and ETS each better in some folds, the average best on the whole
    scored = _backtest(
        prophet=[0.9, 1.3, 0.8, 1.2],
        ets=[1.2, 0.9, 1.1, 0.9],
        theta=[1.1, 1.0, 1.0, 1.0],
        combination=[0.9, 0.95, 0.85, 0.95],
        seasonal_naive=[1.5, 1.5, 1.5, 1.5],
    )
    assert backtest.choose(scored, RULE)[0] == "combination"


def test_ets_wins_when_it_is_clearly_better_and_a_mean_edge_alone_is_not_enough() -> None:
    # Given ETS clearly ahead in most folds
    clear = _backtest(
        prophet=[2.0, 2.2, 1.9, 2.1],
        ets=[0.6, 0.7, 0.6, 0.8],
        theta=[1.6, 1.7, 1.5, 1.6],
        combination=[1.2, 1.3, 1.1, 1.3],
        seasonal_naive=[1.5, 1.5, 1.5, 1.5],
    )
    assert backtest.choose(clear, RULE)[0] == "ets"
    # And given Prophet ahead on the mean only through one fold, it is not "clearly better"
    lucky = _backtest(
        prophet=[0.1, 1.2, 1.2, 1.2],
        ets=[2.0, 1.0, 1.0, 1.0],
        theta=[1.1, 1.1, 1.1, 1.1],
        combination=[1.0, 1.05, 1.05, 1.05],
        seasonal_naive=[1.5, 1.5, 1.5, 1.5],
    )
    assert backtest.choose(lucky, RULE)[0] == "combination"


def test_without_folds_prophet_is_served_as_configured() -> None:
    served, reason = backtest.choose(backtest.Backtest(horizon=0, origins=[]), RULE)
    assert served == "prophet"
    assert "too little history" in reason


def test_origins_end_one_horizon_before_the_last_day_and_keep_enough_training() -> None:
    protocol = backtest.Protocol(horizon=91, folds=8, step=14, min_train=56)
    assert backtest.origins(400, protocol) == (91, [211, 225, 239, 253, 267, 281, 295, 309])
    # And a short history keeps only the folds with enough training days
    horizon, starts = backtest.origins(180, protocol)
    assert horizon == 91
    assert starts == [61, 75, 89]
    assert backtest.origins(60, protocol)[1] == []


def test_run_scores_every_candidate_on_the_same_folds() -> None:
    # Given a flat series and two fixed forecasters, one exact and one 10 too high
    weekly = np.tile([100.0, 120.0, 110.0, 90.0, 130.0, 60.0, 40.0], 30)
    values = weekly + np.random.default_rng(0).normal(0.0, 5.0, len(weekly))

    def forecaster(origin: int, days: int) -> dict[str, Forecast]:
        exact = values[origin : origin + days]
        paths = exact[:, None] + np.linspace(-5, 5, 21)[None, :]
        return {"exact": Forecast(exact, paths), "high": Forecast(exact + 10, paths + 10)}

    protocol = backtest.Protocol(horizon=28, folds=3, step=14, min_train=56)
    scored = backtest.run(values, np.datetime64("2025-01-06"), protocol, forecaster, 0.8)
    # Then both have one score per fold, MASE 0 for the exact one
    assert len(scored.mase["exact"]) == len(scored.mase["high"]) == 3
    assert scored.mean_mase("exact") == 0.0 < scored.mean_mase("high") < np.inf
    table = backtest.summary(scored, 0.8)
    assert table["exact"]["coverage_raw"] == {"day": 1.0, "week": 1.0, "month": 1.0}


def test_the_combination_stays_unless_one_member_beats_it_by_a_large_consistent_margin() -> None:
    rule = backtest.Rule()  # the defaults: 20 % lower mean MASE, lower in 80 % of the folds
    # Given Theta 15 % ahead of the average of all members in every fold
    near = _backtest(
        prophet=[1.3] * 5,
        ets=[1.1] * 5,
        theta=[0.85] * 5,
        combination=[1.0] * 5,
        seasonal_naive=[1.5] * 5,
    )
    # Then the average is still served
    assert backtest.choose(near, rule)[0] == "combination"
    # And given Theta 22 % ahead on the mean and ahead in 4 of 5 folds, Theta alone is served
    clear = _backtest(
        prophet=[1.3] * 5,
        ets=[1.1] * 5,
        theta=[0.7, 0.7, 0.7, 0.7, 1.1],
        combination=[1.0] * 5,
        seasonal_naive=[1.5] * 5,
    )
    served, reason = backtest.choose(clear, rule)
    assert served == "theta"
    assert reason.startswith("Theta alone is clearly better than the average of all members")


def test_seasonal_naive_is_the_yardstick_and_never_served() -> None:
    # Given seasonal naive far ahead of every model in every fold
    backtest_ = _backtest(
        prophet=[2.0] * 5,
        ets=[1.8] * 5,
        theta=[1.9] * 5,
        combination=[1.85] * 5,
        seasonal_naive=[0.5] * 5,
    )
    # Then the average of the members is still served
    assert backtest.choose(backtest_, backtest.Rule())[0] == "combination"

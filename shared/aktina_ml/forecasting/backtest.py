"""Choosing the served forecaster by a rolling-origin backtest that can tell them apart.

Every candidate is forecast from the same origins (``folds`` origins ``step`` days apart, the
last one ``horizon`` days before the end), over the horizon the app asks for, on the
training history only: the choice is itself part of training, so a benchmark that cuts the
history before calling training judges it honestly (nested). MASE is scaled per fold by the
fold's in-sample seasonal naive error.

The rule (:func:`choose`): the combination (the equal-weight average of Prophet, damped ETS
and Theta) is served unless one member alone is clearly better than it (mean MASE lower by
``margin`` and lower in ``win_share`` of the folds). On one to three years of history a
backtest rarely tells forecasters apart, and picking the apparent winner served the noise
(issue 22: the choice lost to the plain average on most real series), so only a large,
consistent margin counts. Seasonal naive is the yardstick, never served: on the real-data
bench it led a few inner backtests and then missed holiday weeks (NYC flights: served MASE
3.89 against the average's 2.14).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from aktina_ml.forecasting import intervals, parallel
from aktina_ml.forecasting.artifact import Granularity
from aktina_ml.forecasting.baseline import mase, naive_scale, smape
from aktina_ml.forecasting.candidates import (
    CANDIDATES,
    COMBINATION,
    MEMBERS,
    PROPHET,
    Forecast,
)
from aktina_ml.forecasting.config import ForecastConfig

# (days of history to train on, days to forecast) -> every candidate's forecast
Forecaster = Callable[[int, int], Mapping[str, Forecast]]
# One candidate's figures in one fold: MASE, sMAPE, interval stretches per granularity
Scores = tuple[float, float, dict[Granularity, np.ndarray]]


@dataclass(frozen=True)
class Protocol:
    """Where the folds start: ``folds`` origins ``step`` days apart, ``horizon`` days each."""

    horizon: int = 91
    folds: int = 8
    step: int = 14
    min_train: int = ForecastConfig.MIN_TRAIN_DAYS

    @classmethod
    def of(cls, config: ForecastConfig) -> Protocol:
        return cls(config.backtest_horizon_days, config.backtest_folds, config.backtest_step_days)


@dataclass(frozen=True)
class Rule:
    """ "Clearly better": mean MASE lower by ``margin`` and lower in ``win_share`` of folds."""

    margin: float = 0.2
    win_share: float = ForecastConfig.CHOICE_WIN_SHARE

    @classmethod
    def of(cls, config: ForecastConfig) -> Rule:
        return cls(margin=config.choice_margin)


@dataclass
class Backtest:
    """Per candidate and fold: MASE, sMAPE and the interval stretches per granularity."""

    horizon: int
    origins: list[int]
    mase: dict[str, list[float]] = field(default_factory=dict)
    smape: dict[str, list[float]] = field(default_factory=dict)
    stretches: dict[str, list[dict[Granularity, np.ndarray]]] = field(default_factory=dict)

    def renamed(self, names: Mapping[str, str]) -> Backtest:
        """Only the candidates in ``names`` (old → new key), e.g. one Prophet mode's."""
        return Backtest(
            horizon=self.horizon,
            origins=self.origins,
            mase={new: self.mase[old] for old, new in names.items() if old in self.mase},
            smape={new: self.smape[old] for old, new in names.items() if old in self.smape},
            stretches={
                new: self.stretches[old] for old, new in names.items() if old in self.stretches
            },
        )

    def mean_mase(self, name: str) -> float:
        finite = [v for v in self.mase.get(name, []) if np.isfinite(v)]
        return float(np.mean(finite)) if finite else float("inf")


def origins(n_days: int, protocol: Protocol) -> tuple[int, list[int]]:
    """The horizon actually used and the fold origins (index of each fold's first day)."""
    horizon = min(protocol.horizon, n_days - protocol.min_train)
    if horizon < ForecastConfig.MIN_BACKTEST_HORIZON_DAYS:
        return horizon, []
    last = n_days - horizon
    planned = [last - k * protocol.step for k in range(protocol.folds - 1, -1, -1)]
    return horizon, [o for o in planned if o >= protocol.min_train]


def run(
    values: np.ndarray,
    first_day: np.datetime64,
    protocol: Protocol,
    forecaster: Forecaster,
    width: float,
    processes: int = 1,
) -> Backtest:
    """Backtest every candidate ``forecaster`` returns on ``values`` (one value per day);
    the folds are dealt to up to ``processes`` processes (:mod:`.parallel`), with the same
    figures as one process gives."""
    y = np.asarray(values, dtype="float64")
    horizon, starts = origins(len(y), protocol)

    def scored(origin: int) -> dict[str, Scores]:
        actual, scale = y[origin : origin + horizon], naive_scale(y[:origin])
        day = first_day.astype("datetime64[D]") + np.timedelta64(origin, "D")
        fold = {}
        for name, forecast in forecaster(origin, horizon).items():
            point = np.maximum(forecast.point, 0.0)
            fold[name] = (
                mase(actual, point, scale),
                smape(actual, point),
                intervals.stretches(day, actual, forecast.point, forecast.paths, width),
            )
        return fold

    result = Backtest(horizon=horizon, origins=starts)
    for fold in parallel.ordered_map(scored, starts, processes):
        for name, (fold_mase, fold_smape, fold_stretches) in fold.items():
            result.mase.setdefault(name, []).append(fold_mase)
            result.smape.setdefault(name, []).append(fold_smape)
            result.stretches.setdefault(name, []).append(fold_stretches)
    return result


def _clearly_better(backtest: Backtest, name: str, others: tuple[str, ...], rule: Rule) -> bool:
    mine = np.asarray(backtest.mase[name])
    for other in others:
        theirs = np.asarray(backtest.mase[other])
        if not backtest.mean_mase(name) <= (1 - rule.margin) * backtest.mean_mase(other):
            return False
        if np.mean(mine < theirs) < rule.win_share:
            return False
    return True


def choose(backtest: Backtest, rule: Rule) -> tuple[str, str]:
    """The candidate to serve and why, in words."""
    if not backtest.origins or any(n not in backtest.mase for n in (*MEMBERS, COMBINATION)):
        return PROPHET, "too little history for a backtest: Prophet as configured"
    m = {n: backtest.mean_mase(n) for n in CANDIDATES if n in backtest.mase}
    folds = len(backtest.origins)
    figures = ", ".join(f"{n.replace('_', ' ')} {_figure(v)}" for n, v in m.items())
    where = f"backtest MASE over {folds} folds × {backtest.horizon} days: {figures}"
    chosen, why = COMBINATION, "no member alone is clearly better than the average of all"
    singles = [n for n in MEMBERS if _clearly_better(backtest, n, (COMBINATION,), rule)]
    if singles:
        chosen = min(singles, key=lambda n: m[n])
        why = f"{_name(chosen)} alone is clearly better than the average of all members"
    return chosen, f"{why} ({where})"


def _name(candidate: str) -> str:
    return {"prophet": "Prophet", "ets": "ETS", "theta": "Theta"}.get(candidate, candidate)


def summary(backtest: Backtest, width: float) -> dict[str, dict[str, object]]:
    """Per candidate: mean MASE/sMAPE, interval scales and honest coverage per granularity."""
    table: dict[str, dict[str, object]] = {}
    names = [n for n in CANDIDATES if n in backtest.mase] + [
        n for n in backtest.mase if n not in CANDIDATES
    ]
    for name in names:
        folds = backtest.stretches[name]
        finite_smape = [v for v in backtest.smape[name] if np.isfinite(v)]
        table[name] = {
            "mase": _finite(backtest.mean_mase(name)),
            "smape": round(float(np.mean(finite_smape)), 4) if finite_smape else None,
            "coverage_raw": intervals.coverage(folds, dict.fromkeys(("day", "week", "month"), 1.0)),
            "coverage": intervals.honest_coverage(folds, width),
            "interval_scale": {g: round(s, 4) for g, s in intervals.scales(folds, width).items()},
        }
    return table


def _finite(value: float) -> float | None:
    return round(value, 4) if np.isfinite(value) else None


def _figure(value: float) -> str:
    return f"{value:.3f}" if np.isfinite(value) else "n/a"

"""Damped additive-trend exponential smoothing with additive weekly seasonality.

statsmodels' state-space ``ETSModel`` (error, trend and season additive, trend damped): the
strongest simple competitor of Prophet on real daily sales (``docs``: design notes). Its
forecast follows the recent level instead of a fitted global trend, and the damped trend
flattens out, so long horizons do not run into zero. Sample paths come from the model's
own simulation (errors accumulate through the level, so they are correlated across days).
"""

from __future__ import annotations

import warnings

import numpy as np

SEASON = 7
HEURISTIC_MIN_SEASONS = 4
MAX_ITERATIONS = 100


def forecast(
    values: np.ndarray, days: int, *, samples: int, seed: int, season: int = SEASON
) -> tuple[np.ndarray, np.ndarray]:
    """Fit on ``values`` (one per day) and forecast ``days`` days: (point, paths).

    ``paths`` has shape ``(days, samples)``; nothing is clipped here.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = np.asarray(values, dtype="float64")
    seasonal = "add" if len(y) >= 3 * season else None
    model = ETSModel(
        y,
        error="add",
        trend="add",
        damped_trend=True,
        seasonal=seasonal,
        seasonal_periods=season if seasonal else None,
        # Hyndman's heuristic start states: estimating the 9 initial states as well made the
        # optimiser hit its iteration cap (9–13 s) on some real series; this converges in
        # ~20 iterations with the same accuracy. Too short a series for it: estimated.
        initialization_method="heuristic"
        if len(y) >= HEURISTIC_MIN_SEASONS * season
        else "estimated",
    )
    with warnings.catch_warnings():  # convergence chatter on flat or tiny series
        warnings.simplefilter("ignore")
        fitted = model.fit(disp=False, maxiter=MAX_ITERATIONS)
        point = np.asarray(fitted.forecast(days), dtype="float64")
        paths = np.asarray(
            fitted.simulate(
                days, anchor="end", repetitions=samples, rng=np.random.default_rng(seed)
            ),
            dtype="float64",
        ).reshape(days, samples)
    if not (np.isfinite(point).all() and np.isfinite(paths).all()):
        raise ArithmeticError("ETS produced non-finite forecasts")
    return point, paths

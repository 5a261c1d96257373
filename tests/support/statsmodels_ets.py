"""statsmodels' ``ETSModel`` as the project configured it, the reference for
:mod:`aktina_ml.forecasting.ets` (its tests and ``bench/ets.py``; never on a served path)."""

from __future__ import annotations

import warnings

import numpy as np

from aktina_ml.forecasting.ets import HEURISTIC_MIN_SEASONS, MAX_ITERATIONS, SEASON


def reference_fit(y: np.ndarray, season: int = SEASON) -> tuple[object, float]:
    """The fitted statsmodels results and their log-likelihood."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = "add" if len(y) >= 3 * season else None
    model = ETSModel(
        np.asarray(y, dtype="float64"),
        error="add",
        trend="add",
        damped_trend=True,
        seasonal=seasonal,
        seasonal_periods=season if seasonal else None,
        initialization_method="heuristic"
        if len(y) >= HEURISTIC_MIN_SEASONS * season
        else "estimated",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit(disp=False, maxiter=MAX_ITERATIONS)
    return fitted, float(fitted.llf)


def reference_forecast(
    values: np.ndarray, days: int, *, samples: int, seed: int, season: int = SEASON
) -> tuple[np.ndarray, np.ndarray]:
    """statsmodels' point forecast and simulated paths ``(days, samples)``."""
    fitted, _ = reference_fit(values, season)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        point = np.asarray(fitted.forecast(days), dtype="float64")  # type: ignore[attr-defined]
        paths = np.asarray(
            fitted.simulate(  # type: ignore[attr-defined]
                days, anchor="end", repetitions=samples, rng=np.random.default_rng(seed)
            ),
            dtype="float64",
        ).reshape(days, samples)
    return point, paths

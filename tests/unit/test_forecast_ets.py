"""The numpy ETS(A,Ad,A) against statsmodels' ``ETSModel``, the model it replaces, on real series
(tests/support/real_series.py).

Tolerances, relative to the series' mean level: point forecasts within 1e-3 and the 10 %
and 90 % quantiles of the sample paths (same seed) within 5e-3 over 365 days. Both fits
maximise the same likelihood; on the flattest likelihoods (a few weeks of history) ours
never ends lower than statsmodels' by more than 1e-4 (relative).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aktina_ml.forecasting import ets
from tests.support.real_series import real_values
from tests.support.statsmodels_ets import reference_fit, reference_forecast

HORIZON, SAMPLES, SEED = 365, 300, 11
SHARED = Path(__file__).resolve().parents[2] / "shared"

SERIES = real_values()
CASES = [(name, days) for name in sorted(SERIES) for days in (None, 365, 91)]


def loglike(y: np.ndarray) -> float:
    fitted = ets.fit(y)
    return -len(y) / 2 * (math.log(2 * math.pi * fitted.sigma2) + 1)


@pytest.mark.parametrize(("name", "days"), CASES)
def test_forecasts_equal_statsmodels_within_tolerance(name: str, days: int | None) -> None:
    # Given a real daily series (all of it, or its last year or quarter)
    y = SERIES[name] if days is None else SERIES[name][-days:]
    level = float(np.mean(np.abs(y)))
    # When both implementations forecast a year with the same seed
    point, paths = ets.forecast(y, HORIZON, samples=SAMPLES, seed=SEED)
    ref_point, ref_paths = reference_forecast(y, HORIZON, samples=SAMPLES, seed=SEED)
    # Then the point forecasts and the interval quantiles agree within the stated tolerance
    assert np.max(np.abs(point - ref_point)) <= 1e-3 * level
    quantiles = np.quantile(paths, [0.1, 0.9], axis=1)
    ref_quantiles = np.quantile(ref_paths, [0.1, 0.9], axis=1)
    assert np.max(np.abs(quantiles - ref_quantiles)) <= 5e-3 * level


@pytest.mark.parametrize("days", [28, 35, 56])
@pytest.mark.parametrize("name", sorted(SERIES))
def test_likelihood_never_below_statsmodels(name: str, days: int) -> None:
    # Given the last few weeks of a real series, where the likelihood is flattest
    y = SERIES[name][-days:]
    # When both fit
    _, reference = reference_fit(y)
    # Then ours reaches at least statsmodels' log-likelihood (within 1e-4 relative)
    assert loglike(y) >= reference - 1e-4 * abs(reference)


def test_short_series_fit_without_a_season_and_with_estimated_states() -> None:
    # Given two to four weeks of sales (the fewest POST /predict-sales accepts is 14 days)
    for days in (14, 20, 21, 27):
        y = SERIES["app_sample"][-days:]
        # When forecasting
        point, paths = ets.forecast(y, 30, samples=50, seed=1)
        # Then the forecast is finite and on the series' scale
        assert point.shape == (30,)
        assert paths.shape == (30, 50)
        assert np.isfinite(paths).all()
        assert np.max(np.abs(point)) < 10 * np.max(np.abs(y))


def test_same_seed_same_paths() -> None:
    y = SERIES["wiki_strasbourg"]
    first = ets.forecast(y, 30, samples=20, seed=3)
    second = ets.forecast(y, 30, samples=20, seed=3)
    assert np.array_equal(first[1], second[1])


def test_importing_it_loads_neither_scipy_nor_statsmodels_nor_pandas() -> None:
    # Given a fresh interpreter
    code = (
        "import sys, aktina_ml.forecasting.ets; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'statsmodels', 'pandas'}))"
    )
    # When it imports the module
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SHARED)},
    )
    # Then none of them is loaded
    assert done.stdout.strip() == "[]"

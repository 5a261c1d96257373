"""The numpy Theta method against statsmodels' ThetaModel (the reference it reimplements)."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.tsa.forecasting.theta import ThetaModel

from aktina_ml.forecasting import theta

DAYS = np.arange(210)
RNG = np.random.default_rng(7)
SERIES = {
    "positive with a weekly season and a trend": 100
    + 0.3 * DAYS
    + 20 * np.sin(2 * np.pi * DAYS / 7)
    + RNG.normal(0, 5, DAYS.size),
    "with zero days (additive season)": np.maximum(
        0.0, 10 * np.sin(2 * np.pi * DAYS / 7) + RNG.normal(0, 5, DAYS.size)
    ),
    "a random walk without a season": 50 + np.cumsum(RNG.normal(0, 1, DAYS.size)),
}


@pytest.mark.parametrize("name", SERIES)
def test_theta_forecasts_as_statsmodels_theta_model(name: str) -> None:
    # Given a daily series
    values = SERIES[name]
    # When both forecast 60 days with a weekly period and theta = 2
    reference = np.asarray(ThetaModel(values, period=7).fit().forecast(60))
    point, paths = theta.forecast(values, 60, samples=50, seed=1)
    # Then the point forecasts agree to 1e-4 of the level (the optimisers stop apart near
    # alpha = 1), and paths have their shape
    assert np.max(np.abs(point - reference)) <= 1e-4 * np.mean(np.abs(reference))
    assert paths.shape == (60, 50)
    assert np.isfinite(paths).all()


def test_paths_spread_wider_further_ahead_and_repeat_with_the_seed() -> None:
    values = SERIES["a random walk without a season"]
    _, paths = theta.forecast(values, 28, samples=400, seed=3)
    spread = paths.std(axis=1)
    assert spread[-1] > 2 * spread[0]
    assert np.array_equal(paths, theta.forecast(values, 28, samples=400, seed=3)[1])


def test_theta_does_not_import_statsmodels_or_scipy() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys, numpy as np; from aktina_ml.forecasting import theta; "
        "theta.forecast(np.arange(60.0) % 7 + 1, 10, samples=5, seed=0); "
        "print(any(m.split('.')[0] in ('statsmodels', 'scipy') for m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"

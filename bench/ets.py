"""The numpy ETS(A,Ad,A) beside statsmodels' ``ETSModel`` (the model it replaces), in one run.

For each daily real bench series (bench/forecast_real.py ``SERIES``, both halves) and history
windows of its last 1,095 / 365 / 91 / 35 days: fit and forecast 365 days with 300 sample paths
(seed 11), both ways. Printed: seconds of each (median of the windows), and the largest
difference of the point forecasts and of the 10 % / 90 % path quantiles, relative to the
window's mean level, with the log-likelihood each fit reached. Also the import time of each in a
fresh interpreter (what the first POST /predict-sales pays). Needs ``make bench-data`` (the
packages whose files the bench reads).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from aktina_ml.forecasting import ets
from bench.forecast_real import SERIES
from tests.support.statsmodels_ets import reference_fit, reference_forecast

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = (1095, 365, 91, 35)
HORIZON, SAMPLES, SEED = 365, 300, 11
IMPORTS = {
    "numpy ETS (aktina_ml.forecasting.ets)": "import aktina_ml.forecasting.ets",
    "statsmodels ETSModel": "from statsmodels.tsa.exponential_smoothing.ets import ETSModel",
}


def import_seconds(statement: str, runs: int = 3) -> float:
    """Median seconds to import in a fresh interpreter (beyond ``import numpy``)."""
    code = (
        f"import time, numpy; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "shared")}
    found = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(found)


def loglike(y: np.ndarray) -> float:
    return -len(y) / 2 * (np.log(2 * np.pi * ets.fit(y).sigma2) + 1)


def main() -> None:
    print("import, fresh interpreter, after numpy (median of 3):")
    for label, statement in IMPORTS.items():
        print(f"  {label:<40} {import_seconds(statement):.3f} s")
    print(f"\nfit + {HORIZON}-day forecast with {SAMPLES} paths; differences / mean level")
    print(
        f"{'series':<20} {'days':>5} {'statsmodels s':>13} {'numpy s':>8} {'point':>9} "
        f"{'q10/q90':>9} {'llf sm':>11} {'llf numpy':>11}"
    )
    sm_times, np_times, points, quantiles = [], [], [], []
    for name, spec in SERIES.items():
        if spec.kind != "daily":
            continue
        full = spec.load()["amount"].to_numpy("float64")
        for days in WINDOWS:
            y = full[-days:]
            started = time.perf_counter()
            ref_point, ref_paths = reference_forecast(y, HORIZON, samples=SAMPLES, seed=SEED)
            sm_seconds = time.perf_counter() - started
            started = time.perf_counter()
            point, paths = ets.forecast(y, HORIZON, samples=SAMPLES, seed=SEED)
            np_seconds = time.perf_counter() - started
            level = float(np.mean(np.abs(y)))
            d_point = float(np.max(np.abs(point - ref_point))) / level
            d_quantile = (
                float(
                    np.max(
                        np.abs(
                            np.quantile(paths, [0.1, 0.9], axis=1)
                            - np.quantile(ref_paths, [0.1, 0.9], axis=1)
                        )
                    )
                )
                / level
            )
            sm_times.append(sm_seconds)
            np_times.append(np_seconds)
            points.append(d_point)
            quantiles.append(d_quantile)
            print(
                f"{name:<20} {len(y):>5} {sm_seconds:>13.3f} {np_seconds:>8.3f} "
                f"{d_point:>9.1e} {d_quantile:>9.1e} {reference_fit(y)[1]:>11.2f} "
                f"{loglike(y):>11.2f}"
            )
    print(
        f"median seconds: statsmodels {statistics.median(sm_times):.3f}, numpy "
        f"{statistics.median(np_times):.3f}; point difference: median "
        f"{statistics.median(points):.1e}, largest {max(points):.1e}; q10/q90: median "
        f"{statistics.median(quantiles):.1e}, largest {max(quantiles):.1e}"
    )

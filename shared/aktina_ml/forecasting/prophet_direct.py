"""Prophet's model for a plain daily series, run without Prophet's Python package or pandas.

A posted series is fitted on the request path, where importing Prophet (and with it pandas
and cmdstanpy) cost more than the fit. For the configurations this serves (linear growth,
Fourier seasonalities, no holidays: :func:`supports`) this module builds the inputs Prophet
builds (scales, changepoints, seasonal features, initial values), writes CmdStan's files
with :mod:`~aktina_ml.forecasting.stan_data`, runs Prophet's own compiled Stan model with
the optimizer Prophet chooses (Newton below 100 days, else L-BFGS with Newton when it
fails), and forecasts and samples paths with Prophet's formulas and numpy's global RNG in
Prophet's order of draws. Same data file, same optimum, same numbers: the tests compare it
with :mod:`~aktina_ml.forecasting.prophet_model` on Prophet itself.
"""

from __future__ import annotations

import importlib.util
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from aktina_ml.errors import InputError
from aktina_ml.forecasting import stan_data
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.prophet_config import ModelConfig

EPOCH = date(1970, 1, 1).toordinal()
SEASONALITIES = {"yearly": (365.25, 10), "weekly": (7.0, 3)}  # Prophet's periods and orders
PRIOR_SCALE = 10.0  # Prophet's seasonality_prior_scale
CHANGEPOINT_RANGE = 0.8  # Prophet's: changepoints in the first 80 % of the history
NEWTON_BELOW_DAYS = 100  # Prophet's backend: Newton's method for shorter histories
TIMEOUT_SECONDS = 10.0  # per optimizer run (0.25–0.42 s on ten years of days); both < Lambda's 29 s


_RNG_LOCK = threading.RLock()


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Seed numpy's global RNG (Prophet's sampling draws from it) and restore the caller's
    state after; one thread at a time (training fits Prophet in threads)."""
    with _RNG_LOCK:
        state = np.random.get_state()
        np.random.seed(seed)
        try:
            yield
        finally:
            np.random.set_state(state)


class FitError(InputError):
    """CmdStan's optimizer found no fit for the series (with Newton's method too)."""


@dataclass(frozen=True)
class Fitted:
    """A fitted model: Prophet's scales, changepoints, seasonalities and MAP parameters."""

    first: int  # ordinal of the history's first day
    days: int  # history length
    y_scale: float
    changepoints_t: np.ndarray
    seasonalities: tuple[tuple[float, int], ...]  # (period, Fourier order), Prophet's order
    multiplicative: bool
    k: float
    m: float
    delta: np.ndarray
    beta: np.ndarray
    sigma: float


def supports(config: ModelConfig, values: np.ndarray) -> bool:
    """Whether this module gives Prophet's fit: no holidays, a seasonality, a changepoint,
    varying sales (Prophet's other branches are left to Prophet)."""
    return (
        config.holidays_country is None
        and (config.weekly or config.yearly)
        and config.changepoints >= 1
        and len(values) >= 3
        and float(np.min(values)) != float(np.max(values))
    )


def features(ordinals: np.ndarray, seasonalities: tuple[tuple[float, int], ...]) -> np.ndarray:
    """Prophet's Fourier features of whole days, sin and cos per order, computed as it does."""
    x_t = np.pi * 2 * (ordinals - EPOCH).astype("float64")
    columns = []
    for period, order in seasonalities:
        block = np.empty((len(ordinals), 2 * order))
        for i in range(order):
            c = (i + 1) / period * x_t
            block[:, 2 * i] = np.sin(c)
            block[:, 2 * i + 1] = np.cos(c)
        columns.append(block)
    return np.hstack(columns)


def fit(first: date, values: np.ndarray, config: ModelConfig) -> Fitted:
    """Prophet's MAP fit of ``values`` (one per day from ``first``); see :func:`supports`."""
    y = np.asarray(values, dtype="float64")
    n = len(y)
    y_scale = float(np.abs(y).max()) or 1.0
    t = np.arange(n, dtype="float64") / float(n - 1)
    seasonalities = tuple(
        SEASONALITIES[name]
        for name, on in (("yearly", config.yearly), ("weekly", config.weekly))
        if on
    )
    x = features(first.toordinal() + np.arange(n), seasonalities)
    changepoints_t = _changepoints(n, config.changepoints)
    multiplicative = config.mode == "multiplicative"
    y_scaled = y / y_scale
    k = (y_scaled[-1] - y_scaled[0]) / (t[-1] - t[0])
    width = x.shape[1]
    data = {
        "T": n,
        "S": len(changepoints_t),
        "K": width,
        "tau": config.changepoint_prior_scale,
        "trend_indicator": 0,
        "y": y_scaled.tolist(),
        "t": t.tolist(),
        "cap": np.zeros(n).tolist(),
        "t_change": changepoints_t.tolist(),
        "s_a": [0 if multiplicative else 1] * width,
        "s_m": [1 if multiplicative else 0] * width,
        "X": x,  # (written row by row from the array)
        "sigmas": [PRIOR_SCALE] * width,
    }
    inits = {
        "k": float(k),
        "m": float(y_scaled[0] - k * t[0]),
        "delta": np.zeros(len(changepoints_t)).tolist(),
        "beta": np.zeros(width).tolist(),
        "sigma_obs": 1.0,
    }
    params = _optimize(data, inits, config.seed)
    delta = params["delta"]
    return Fitted(
        first=first.toordinal(),
        days=n,
        y_scale=y_scale,
        changepoints_t=changepoints_t,
        seasonalities=seasonalities,
        multiplicative=multiplicative,
        k=float(params["k"][0]),
        m=float(params["m"][0]),
        delta=delta,
        beta=params["beta"],
        sigma=float(params["sigma_obs"][0]),
    )


def _changepoints(n: int, wanted: int) -> np.ndarray:
    """Prophet's grid of changepoint times over the first 80 % of the history."""
    size = int(np.floor(n * CHANGEPOINT_RANGE))
    count = min(wanted, n - 2, size - 1)
    index = np.linspace(0, size - 1, count + 1).round().astype(int)[1:]
    return np.sort(index / float(n - 1))


def _optimize(
    data: dict[str, object], inits: dict[str, object], seed: int
) -> dict[str, np.ndarray]:
    """Prophet's Stan model optimized by CmdStan: its estimates by parameter name."""
    algorithms = ["newton"] if int(str(data["T"])) < NEWTON_BELOW_DAYS else ["lbfgs", "newton"]
    with tempfile.TemporaryDirectory(prefix="aktina-stan-") as folder:
        data_file, inits_file = Path(folder, "data.json"), Path(folder, "inits.json")
        stan_data.write_stan_json(data_file, data, {"X": np.asarray(data["X"])})
        stan_data.write_stan_json(inits_file, inits)
        for algorithm in algorithms:
            output = Path(folder, f"{algorithm}.csv")
            command = [
                str(model_binary()),
                *("random", f"seed={seed}", "data", f"file={data_file}", f"init={inits_file}"),
                *("output", f"file={output}", "method=optimize", f"algorithm={algorithm}"),
                f"iter={ForecastConfig.MAX_OPTIMIZER_ITERATIONS}",
            ]
            try:
                done = subprocess.run(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=TIMEOUT_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                break
            if done.returncode == 0:
                return _estimates(output)
    raise FitError(
        "sales: Prophet's model could not be fitted to this series "
        f"(CmdStan's optimizer, {' then '.join(algorithms)}, found no fit)"
    )


def _estimates(csv: Path) -> dict[str, np.ndarray]:
    """CmdStan's optimize output: the header row and the estimates row, by parameter."""
    header, row = [line for line in csv.read_text().splitlines() if not line.startswith("#")][:2]
    values = np.array([float(v) for v in row.split(",")])
    names = [name.split(".")[0] for name in header.split(",")]
    return {
        name: values[[i for i, n in enumerate(names) if n == name]]
        for name in ("k", "m", "delta", "beta", "sigma_obs")
    }


def model_binary() -> Path:
    """Prophet's compiled Stan model, found without importing Prophet."""
    spec = importlib.util.find_spec("prophet")
    if spec is None or not spec.submodule_search_locations:
        raise FitError("Prophet is not installed")
    return Path(next(iter(spec.submodule_search_locations)), "stan_model", "prophet_model.bin")


def sample(fitted: Fitted, days: int, samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The next ``days`` days: Prophet's point forecast ``(days,)`` and its predictive
    sample paths ``(days, samples)``, drawn as Prophet draws them from numpy's global RNG
    seeded with ``seed`` (the caller's RNG state is restored)."""
    scale = float(fitted.days - 1)
    t = (fitted.days + np.arange(days, dtype="float64")) / scale
    # Column-major, as pandas hands Prophet its features: the same sums, bit for bit.
    future = fitted.first + fitted.days + np.arange(days)
    x = np.asfortranarray(features(future, fitted.seasonalities))
    s_a = np.full(x.shape[1], 0 if fitted.multiplicative else 1)
    s_m = 1 - s_a
    beta = fitted.beta[None, :]
    # The point forecast: Prophet's predict (parameters as (1, n) rows, one matmul each).
    trend = _piecewise_linear(t, fitted.delta, fitted.k, fitted.m, fitted.changepoints_t)
    additive = np.matmul(x, (beta * s_a).T)[:, 0] * fitted.y_scale
    multiplicative = np.matmul(x, (beta * s_m).T)[:, 0]
    point = trend * fitted.y_scale * (1 + multiplicative) + additive
    # The paths: Prophet's sample_model_vectorized.
    xb_a = np.matmul(x, fitted.beta * s_a) * fitted.y_scale
    xb_m = np.matmul(x, fitted.beta * s_m)
    with seeded(seed):
        trends = _sampled_trends(fitted, t, samples)
        noise = np.random.normal(0, fitted.sigma, trends.shape) * fitted.y_scale
    paths = trends * (1 + xb_m) + xb_a + noise
    return point, paths.T


def _sampled_trends(fitted: Fitted, t: np.ndarray, samples: int) -> np.ndarray:
    """Prophet's future trend paths: random slope changes as often and as large as in the
    history, ``(samples, days)``."""
    steps = t if len(t) > 1 else np.arange(fitted.days) / float(fitted.days - 1)
    step = np.diff(steps).mean()
    likelihood = len(fitted.changepoints_t) * step
    mean_delta = np.mean(np.abs(fitted.delta)) + 1e-8
    changes = np.random.uniform(size=(samples, len(t))) < likelihood
    shifts = np.random.laplace(0, mean_delta, size=changes.shape) * changes
    shifts = (np.hstack([np.zeros((samples, 1)), shifts])[:, :-1] + shifts) / 2
    uncertainty = shifts.cumsum(axis=1).cumsum(axis=1) * step
    expected = _piecewise_linear(
        t, fitted.delta, np.array([fitted.k]), np.array([fitted.m]), fitted.changepoints_t
    )
    return (np.tile(expected, (samples, 1)) + uncertainty) * fitted.y_scale


def _piecewise_linear(
    t: np.ndarray,
    delta: np.ndarray,
    k: float | np.ndarray,
    m: float | np.ndarray,
    changepoints_t: np.ndarray,
) -> np.ndarray:
    """Prophet's piecewise linear trend."""
    deltas_t = (changepoints_t[None, :] <= t[..., None]) * delta
    k_t = deltas_t.sum(axis=1) + k
    m_t = (deltas_t * -changepoints_t).sum(axis=1) + m
    return np.asarray(k_t * t + m_t)

"""The classic Theta method (Assimakopoulos & Nikolopoulos 2000) in numpy alone.

Simple exponential smoothing with drift (Hyndman & Billah 2003): the series is tested for a
weekly season (autocorrelation at lag 7, 10 % level) and, if it has one, divided by (or, with
a zero or negative season, reduced by) the classical decomposition's weekly pattern; the
forecast is the SES level plus half the OLS trend's slope per step, re-seasonalised. It is
statsmodels' ``ThetaModel(period=7).fit()`` with theta = 2, step for step (the test checks
them against each other), without importing statsmodels or scipy on the request path.

Sample paths: the SES level takes ``alpha`` of every new error (errors accumulate through the
level, as in the ARIMA(0,1,1) the method is equivalent to), with normal errors of the
in-sample one-step spread; interval calibration then scales them to what the backtest saw.
"""

from __future__ import annotations

import numpy as np

SEASON = 7
SEASONALITY_CRITICAL = 2.705543454095404  # chi-squared(1) at 10 %, as statsmodels uses
THETA = 2.0
GRID, REFINEMENTS = 101, 3  # smoothing weight to within 2e-6 in three passes


def _acf_at(y: np.ndarray, lags: int) -> np.ndarray:
    centred = y - y.mean()
    denominator = float(np.dot(centred, centred))
    if denominator == 0:
        return np.zeros(lags + 1)
    return np.array(
        [np.dot(centred[: len(y) - k], centred[k:]) / denominator for k in range(lags + 1)]
    )


def has_season(y: np.ndarray, period: int = SEASON) -> bool:
    """statsmodels' test: n·ρ(period)² / Σ_{k<period} ρ(k)² above the 10 % critical value."""
    if len(y) <= period + 1:
        return False
    rho = _acf_at(y, period)
    spread = float(np.sum(rho[:-1] ** 2))  # 0 for a constant series: no season
    return bool(spread > 0 and len(y) * rho[-1] ** 2 / spread > SEASONALITY_CRITICAL)


def seasonal_pattern(y: np.ndarray, multiplicative: bool, period: int = SEASON) -> np.ndarray:
    """The classical decomposition's seasonal index per position (centred moving average)."""
    if period % 2 == 0:
        weights = np.r_[0.5, np.ones(period - 1), 0.5] / period
    else:
        weights = np.full(period, 1.0 / period)
    half = len(weights) // 2
    trend = np.full(len(y), np.nan)
    trend[half : len(y) - half] = np.convolve(y, weights, mode="valid")
    detrended = y / trend if multiplicative else y - trend
    averages = np.array([np.nanmean(detrended[i::period]) for i in range(period)])
    return averages / averages.mean() if multiplicative else averages - averages.mean()


def _ses_sse(y: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Sum of squared one-step errors of SES started at ``y[0]``, for each alpha."""
    level = np.full(alphas.shape, y[0])
    sse = np.zeros(alphas.shape)
    for value in y[1:]:
        error = value - level
        sse += error * error
        level = level + alphas * error
    return sse


def ses_alpha(y: np.ndarray) -> float:
    """The SSE-minimising smoothing weight in [0, 1]: a grid of 101 weights, refined twice
    around the best one (three passes over the series, each for all weights at once)."""
    low, high = 0.0, 1.0
    best = 0.0
    for _ in range(REFINEMENTS):
        grid = np.linspace(low, high, GRID)
        best = float(grid[int(np.argmin(_ses_sse(y, grid)))])
        step = (high - low) / (GRID - 1)
        low, high = max(best - step, 0.0), min(best + step, 1.0)
    return best


def _ses(y: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
    """The level after the last value and the one-step errors."""
    level, errors = float(y[0]), np.zeros(len(y))
    for t, value in enumerate(y):
        errors[t] = value - level
        level += alpha * errors[t]
    return level, errors


def forecast(
    values: np.ndarray, days: int, *, samples: int, seed: int, period: int = SEASON
) -> tuple[np.ndarray, np.ndarray]:
    """Fit on ``values`` (one per day) and forecast ``days`` days: (point, paths)."""
    y = np.asarray(values, dtype="float64")
    n = len(y)
    multiplicative = bool(y.min() > 0)
    season = np.ones(period) if multiplicative else np.zeros(period)
    if has_season(y, period):
        season = seasonal_pattern(y, multiplicative, period)
        if multiplicative and season.min() <= 0:
            multiplicative = False
            season = seasonal_pattern(y, False, period)
    adjusted = (
        y / season[np.arange(n) % period] if multiplicative else y - season[np.arange(n) % period]
    )
    slope = float(np.polyfit(np.arange(n, dtype="float64"), adjusted, 1)[0])
    alpha = ses_alpha(adjusted)
    level, errors = _ses(adjusted, alpha)
    steps = np.arange(days, dtype="float64")
    if alpha > 0:
        steps += 1 / alpha - (1 - alpha) ** n / alpha
    core = level + (THETA - 1) / THETA * slope * steps
    ahead = season[(n + np.arange(days)) % period]
    sigma = float(np.std(errors[1:])) if n > 2 else 0.0
    shocks = np.random.default_rng(seed).normal(0.0, sigma, size=(days, samples))
    carried = np.cumsum(shocks, axis=0) - shocks  # errors before each day, through the level
    paths = core[:, None] + alpha * carried + shocks
    if multiplicative:
        return core * ahead, paths * ahead[:, None]
    return core + ahead, paths + ahead[:, None]

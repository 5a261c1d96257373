"""Damped additive-trend exponential smoothing with additive weekly seasonality, in numpy.

The model is statsmodels' state-space ``ETSModel`` with error, trend and season additive and
the trend damped (ETS(A,Ad,A)), estimated the same way: Hyndman's heuristic start states
(estimated as well on series shorter than four seasons), the traditional bounds on the
smoothing parameters, maximum likelihood with the variance concentrated out, forecasts and
sample paths from the model's own recursion (errors accumulate through the level, so paths
are correlated across days). Only the arithmetic differs: the likelihood runs the linear
recursion a block of days at a time with matrix powers (no Python loop per day), and a small
projected quasi-Newton optimiser replaces scipy's L-BFGS-B, so serving needs neither scipy
nor statsmodels (importing them cost most of the first POST /predict-sales).
tests/unit/forecasting/test_ets.py checks the forecasts against statsmodels' on real series.

The strongest simple competitor of Prophet on real daily sales (docs: design notes): its
forecast follows the recent level instead of a fitted global trend, and the damped trend
flattens out, so long horizons do not run into zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SEASON = 7
HEURISTIC_MIN_SEASONS = 4
MAX_ITERATIONS = 100

# statsmodels' start values and traditional bounds (0 < alpha < 1, 0 < beta/alpha < 1,
# 0 < gamma + alpha < 1, 0.8 < phi < 0.98), on alpha, beta* = beta/alpha,
# gamma* = gamma/(1 - alpha) and phi.
START = (0.1, 0.01, 0.01, 0.98)
EDGE = 1e-4
PHI_BOUNDS = (0.8, 0.98)
# Try the other end of phi's range when the likelihood there, the rest unchanged, is within
# this much of the optimum found (per observation: 0.01 is 1 % of the mean squared error).
OTHER_DAMPING_MARGIN = 0.01


@dataclass(frozen=True)
class Fit:
    """A fitted model: smoothing parameters, the state after the last day, residual variance."""

    alpha: float
    beta: float  # on the error (beta* x alpha)
    gamma: float  # on the error (gamma* x (1 - alpha))
    phi: float
    level: float
    trend: float
    seasons: np.ndarray  # most recent first: seasons[-1] is the one the next day uses
    sigma2: float


def forecast(
    values: np.ndarray, days: int, *, samples: int, seed: int, season: int = SEASON
) -> tuple[np.ndarray, np.ndarray]:
    """Fit on ``values`` (one per day) and forecast ``days`` days: (point, paths).

    ``paths`` has shape ``(days, samples)``; nothing is clipped here.
    """
    fitted = fit(np.asarray(values, dtype="float64"), season)
    point = simulate(fitted, np.zeros((days, 1)))[:, 0]
    errors = np.random.default_rng(seed).standard_normal((days, samples)) * math.sqrt(fitted.sigma2)
    paths = simulate(fitted, errors)
    if not (np.isfinite(point).all() and np.isfinite(paths).all()):
        raise ArithmeticError("ETS produced non-finite forecasts")
    return point, paths


def fit(y: np.ndarray, season: int = SEASON) -> Fit:
    """Maximum-likelihood ETS(A,Ad,A) (no season when ``y`` has fewer than three)."""
    m = season if len(y) >= 3 * season else 1
    heuristic = len(y) >= HEURISTIC_MIN_SEASONS * season
    # The likelihood's optimum does not depend on the unit; fitting in units of the mean
    # level keeps estimated start states on the smoothing parameters' scale.
    unit = float(np.mean(np.abs(y))) or 1.0
    y = y / unit
    level, trend, seasons = start_states(y, m)
    if heuristic:
        # the internal order is most recent season first (statsmodels GH 7893)
        states = np.concatenate(([level, trend], seasons[::-1]))
    else:
        # estimated: start from the heuristic with the oldest season fixed at 0
        states = np.concatenate(([level + seasons[-1], trend], seasons - seasons[-1]))
    model = _Likelihood(y, m, states, estimate_states=not heuristic)
    x = minimize(model.objective, model.start(), model.lower, model.upper)
    x = _other_damping(model, x)
    alpha, beta_star, gamma_star, phi, initial = model.unpack(x[None, :])
    params = np.array([alpha[0], beta_star[0], gamma_star[0], phi[0]])
    state, residuals = smooth(y, m, params, initial[0])
    return Fit(
        alpha=float(alpha[0]),
        beta=float(beta_star[0] * alpha[0]),
        gamma=float(gamma_star[0] * (1 - alpha[0])),
        phi=float(phi[0]),
        level=float(state[0]) * unit,
        trend=float(state[1]) * unit,
        seasons=state[2:] * unit,
        sigma2=float(np.mean(residuals**2)) * unit**2,
    )


def _other_damping(model: _Likelihood, x: np.ndarray) -> np.ndarray:
    """The better of ``x`` and the optimum reached from the other bound of the damping.

    The likelihood often has one local maximum at each end of phi's range (0.8, 0.98) on
    short or trendless series; which one a local optimiser finds depends on its path, so
    both are tried when the first ends at a bound.
    """
    at = model.phi_index
    if model.lower[at] < x[at] < model.upper[at]:
        return x
    other = x.copy()
    other[at] = model.upper[at] if x[at] <= model.lower[at] else model.lower[at]
    start = model.objective(np.vstack([x, other]))
    if start[1] - start[0] > OTHER_DAMPING_MARGIN:  # far worse there: no rival optimum near
        return x
    other = minimize(model.objective, other, model.lower, model.upper)
    values = model.objective(np.vstack([x, other]))
    return other if values[1] < values[0] else x


def start_states(y: np.ndarray, m: int) -> tuple[float, float, np.ndarray]:
    """Hyndman et al.'s heuristic (as statsmodels' ``_initialization_heuristic``): the seasons
    from a centred moving average of the first cycles, level and trend from a line through
    the first 10 deseasonalised values. ``seasons`` in time order; zeros without a season."""
    if len(y) < 10:
        raise ValueError("ETS needs at least 10 days")
    seasons = np.zeros(m)
    base = y
    if m > 1:
        min_obs = 10 + 2 * (m // 2)
        if len(y) < min_obs:
            raise ValueError(f"ETS with a season of {m} needs at least {min_obs} days")
        cycles = max(min(5, len(y) // m), math.ceil(min_obs / m))
        head = y[: m * cycles]
        trend = _centred_mean(head, m)
        detrended = np.full(m * cycles, np.nan)
        detrended[: len(head)] = head - trend
        seasons = np.nanmean(detrended.reshape(cycles, m).T, axis=1)
        seasons -= np.mean(seasons)
        base = trend[~np.isnan(trend)]
    design = np.c_[np.ones(10), np.arange(10) + 1]
    level, slope = np.linalg.pinv(design) @ base[:10]
    return float(level), float(slope), seasons


def _centred_mean(values: np.ndarray, m: int) -> np.ndarray:
    """pandas' ``rolling(m, center=True).mean()`` (then a 2-mean for even ``m``), NaN-padded."""
    out = np.full(len(values), np.nan)
    sums = np.convolve(values, np.ones(m), mode="valid") / m
    if m % 2:
        out[m // 2 : m // 2 + len(sums)] = sums
    else:
        pairs = (sums[:-1] + sums[1:]) / 2
        out[m // 2 : m // 2 + len(pairs)] = pairs
    return out


class _Likelihood:
    """Concentrated negative log-likelihood per observation over the free parameters."""

    def __init__(self, y: np.ndarray, m: int, states: np.ndarray, *, estimate_states: bool):
        self.y, self.m = y, m
        self.states = states
        self.estimate_states = estimate_states
        self.seasonal = m > 1
        alpha0, beta0, gamma0, phi0 = START  # then beta* = beta/alpha, gamma* = gamma/(1-alpha)
        smoothing = [alpha0, beta0 / alpha0]
        lower, upper = [EDGE, EDGE], [1 - EDGE, 1 - EDGE]
        if self.seasonal:
            smoothing.append(gamma0 / (1 - alpha0))
            lower.append(EDGE)
            upper.append(1 - EDGE)
        smoothing.append(phi0)
        lower.append(PHI_BOUNDS[0])
        upper.append(PHI_BOUNDS[1])
        # estimated: every initial state but the oldest season (fixed, so it is identified)
        free_states = states[: 2 + m - 1] if estimate_states else np.empty(0)
        self.phi_index = len(smoothing) - 1
        self._start = np.concatenate((smoothing, free_states))
        self.lower = np.concatenate((lower, np.full(len(free_states), -np.inf)))
        self.upper = np.concatenate((upper, np.full(len(free_states), np.inf)))

    def start(self) -> np.ndarray:
        return self._start.copy()

    def unpack(
        self, x: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Rows of ``x`` as alpha, beta*, gamma*, phi and the initial state vectors."""
        alpha, beta = x[:, 0], x[:, 1]
        gamma = x[:, 2] if self.seasonal else np.zeros(len(x))
        at = 3 if self.seasonal else 2
        phi = x[:, at]
        initial = np.broadcast_to(self.states, (len(x), len(self.states))).copy()
        if self.estimate_states:
            free = x[:, at + 1 :]
            initial[:, : free.shape[1]] = free  # the oldest season stays fixed at 0
        return alpha, beta, gamma, phi, initial

    def objective(self, x: np.ndarray) -> np.ndarray:
        """``-loglike / n`` for each row of ``x`` (statsmodels' fit objective)."""
        alpha, beta, gamma, phi, initial = self.unpack(x)
        residuals = _residuals(self.y, self.m, alpha, beta, gamma, phi, initial)
        with np.errstate(all="ignore"):
            mse = np.mean(residuals**2, axis=1)
            value = 0.5 * (np.log(2 * np.pi * mse) + 1)
        return np.where(np.isfinite(value), value, np.inf)


def _transition(
    m: int, alpha: np.ndarray, beta: np.ndarray, gamma: np.ndarray, phi: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The recursion as ``x_t = A x_{t-1} + c y_t``, ``yhat_t = w . x_{t-1}``, one per row.

    State: level, trend, seasons (most recent first); ``beta``/``gamma`` are beta*/gamma*.
    """
    p, k = len(alpha), 2 + m
    a = np.zeros((p, k, k))
    last = k - 1
    a[:, 0, 0] = 1 - alpha
    a[:, 0, 1] = (1 - alpha) * phi
    a[:, 0, last] += -alpha
    a[:, 1, 0] = -alpha * beta
    a[:, 1, 1] = phi * (1 - alpha * beta)
    a[:, 1, last] += -alpha * beta
    a[:, 2, 0] = -gamma * (1 - alpha)
    a[:, 2, 1] = -gamma * (1 - alpha) * phi
    a[:, 2, last] += gamma * alpha + 1 - gamma
    for j in range(3, k):
        a[:, j, j - 1] = 1.0
    c = np.zeros((p, k))
    c[:, 0] = alpha
    c[:, 1] = alpha * beta
    c[:, 2] = gamma * (1 - alpha)
    w = np.zeros((p, k))
    w[:, 0] = 1.0
    w[:, 1] = phi
    w[:, last] += 1.0
    return a, c, w


def _residuals(
    y: np.ndarray,
    m: int,
    alpha: np.ndarray,
    beta: np.ndarray,
    gamma: np.ndarray,
    phi: np.ndarray,
    initial: np.ndarray,
) -> np.ndarray:
    """One-step errors ``y_t - yhat_t`` for each parameter row, a block of days at a time.

    Within a block of ``b`` days, ``yhat = R z + L y`` (``R``: rows ``w A^i``, ``L``: the
    lower-triangular impulse response ``w A^(i-1-j) c``) from the state ``z`` before it, and
    the state after it is ``A^b z + G y``: only one small matrix product per block runs in a
    Python loop.
    """
    n = len(y)
    b = max(8, math.isqrt(n))
    blocks = -(-n // b)
    a, c, w = _transition(m, alpha, beta, gamma, phi)
    p, k = c.shape
    powers = np.empty((b + 1, p, k, k))
    powers[0] = np.eye(k)
    for power in range(1, b + 1):
        powers[power] = powers[power - 1] @ a
    rows = np.einsum("pk,ipkl->pil", w, powers[:b])  # w A^i
    impulses = np.einsum("ipkl,pl->pik", powers[:b], c)  # A^i c
    h = np.einsum("pk,pik->pi", w, impulses)  # w A^i c
    i, j = np.tril_indices(b, -1)
    lower = np.zeros((p, b, b))
    lower[:, i, j] = h[:, i - 1 - j]
    gain = impulses[:, ::-1, :]  # column j: A^(b-1-j) c
    padded = np.zeros(blocks * b)
    padded[:n] = y
    yb = padded.reshape(blocks, b)
    inputs = np.einsum("pjk,qj->pqk", gain, yb)
    step = powers[b]
    z = initial.copy()[:, :, None]
    starts = np.empty((p, blocks, k))
    with np.errstate(all="ignore"):
        for q in range(blocks):
            starts[:, q] = z[:, :, 0]
            z = step @ z + inputs[:, q, :, None]
        fitted = np.einsum("pik,pqk->pqi", rows, starts) + np.einsum("pij,qj->pqi", lower, yb)
    residuals: np.ndarray = y - fitted.reshape(p, blocks * b)[:, :n]
    return residuals


def smooth(
    y: np.ndarray, m: int, params: np.ndarray, initial: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The state after the last day and the one-step residuals, day by day (as statsmodels)."""
    alpha, beta_star, gamma_star, phi = (float(v) for v in params)
    level, trend = float(initial[0]), float(initial[1])
    seasons = [float(v) for v in initial[2:]]  # most recent first
    residuals = np.empty(len(y))
    for t, value in enumerate(y.tolist()):
        old_season = seasons[-1]
        residuals[t] = value - (level + phi * trend + old_season)
        new_level = alpha * (value - old_season) + (1 - alpha) * (level + phi * trend)
        trend = beta_star * (new_level - level) + (1 - beta_star) * phi * trend
        new_season = gamma_star * (value - new_level) + (1 - gamma_star) * old_season
        level = new_level
        seasons = [new_season, *seasons[:-1]]
    return np.array([level, trend, *seasons]), residuals


def simulate(fitted: Fit, errors: np.ndarray) -> np.ndarray:
    """Future values for each column of ``errors`` (``days × paths``), as statsmodels does."""
    days, paths = errors.shape
    level = np.full(paths, fitted.level)
    trend = np.full(paths, fitted.trend)
    seasons = [np.full(paths, v) for v in fitted.seasons]  # most recent first
    out = np.empty((days, paths))
    for t in range(days):
        damped = fitted.phi * trend
        base = level + damped
        old_season = seasons[-1]
        e = errors[t]
        out[t] = base + old_season + e
        level = base + fitted.alpha * e
        trend = damped + fitted.beta * e
        seasons = [old_season + fitted.gamma * e, *seasons[:-1]]
    return out


def minimize(
    objective: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    *,
    max_iterations: int = MAX_ITERATIONS,
    gtol: float = 1e-5,
    ftol: float = 1e-10,
) -> np.ndarray:
    """Projected BFGS within box bounds (a small L-BFGS-B): ``objective`` takes a stack of
    points (rows) and returns their values, so a finite-difference gradient is one call.
    Stops as L-BFGS-B does by default (projected gradient below ``gtol``, or a relative
    decrease below ``ftol``); the curvature restarts when a bound becomes (in)active."""
    x = np.clip(x0, lower, upper)
    fx, grad = _value_and_gradient(objective, x, lower, upper)
    inverse = np.eye(len(x))
    scale, scaled = 1.0, False
    was_free = np.ones(len(x), dtype=bool)
    for _ in range(max_iterations):
        free = _free(x, grad, lower, upper)
        if not free.any() or np.max(np.abs(grad[free])) < gtol:
            break
        if not np.array_equal(free, was_free):
            inverse, was_free = np.eye(len(x)) * scale, free
        direction = np.zeros_like(x)
        direction[free] = -inverse[np.ix_(free, free)] @ grad[free]
        if grad @ direction >= 0:
            inverse = np.eye(len(x))
            direction = np.where(free, -grad, 0.0)
        if not scaled:
            direction *= min(1.0, 0.1 / np.max(np.abs(direction)))
        step, x_new, f_new = _line_search(objective, x, fx, grad, direction, lower, upper)
        if step == 0.0:
            break
        f_old = fx
        g_new = _value_and_gradient(objective, x_new, lower, upper, f_new)[1]
        s, change = x_new - x, g_new - grad
        x, fx, grad = x_new, f_new, g_new
        curvature = float(s @ change)
        if curvature > 1e-12 * float(np.sqrt((s @ s) * (change @ change))):
            if not scaled:
                scale, scaled = curvature / float(change @ change), True
                inverse = np.eye(len(x)) * scale
            rho = 1.0 / curvature
            v = np.eye(len(x)) - rho * np.outer(s, change)
            inverse = v @ inverse @ v.T + rho * np.outer(s, s)
        if abs(f_old - fx) <= ftol * max(abs(f_old), abs(fx), 1.0):
            break
    return np.asarray(x, dtype="float64")


def _free(x: np.ndarray, grad: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Variables not held at a bound by the gradient."""
    return ~(((x <= lower) & (grad > 0)) | ((x >= upper) & (grad < 0)))


def _value_and_gradient(
    objective: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    fx: float | None = None,
) -> tuple[float, np.ndarray]:
    """Value and central-difference gradient (one-sided at a bound), in one batched call."""
    scale = np.maximum(np.abs(x), 1.0)
    h = 1e-6 * scale
    up = np.minimum(x + h, upper) - x
    down = x - np.maximum(x - h, lower)
    points = np.vstack([x, x + np.diag(up), x - np.diag(down)])
    values = objective(points)
    k = len(x)
    grad = (values[1 : k + 1] - values[k + 1 :]) / np.maximum(up + down, 1e-300)
    return (float(values[0]) if fx is None else fx), np.where(np.isfinite(grad), grad, 0.0)


def _line_search(
    objective: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    fx: float,
    grad: np.ndarray,
    direction: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> tuple[float, np.ndarray, float]:
    """Backtracking along the projected path until the Armijo condition holds."""
    steps = 0.5 ** np.arange(31)
    for start, stop in ((0, 1), *((i, i + 6) for i in range(1, 31, 6))):
        trial = steps[start:stop]  # the full step alone, then six shorter ones per call
        points = np.clip(x + trial[:, None] * direction, lower, upper)
        values = objective(points)
        decrease = fx + 1e-4 * (points - x) @ grad
        ok = np.flatnonzero(values <= decrease)
        if ok.size:
            best = ok[0]
            return float(trial[best]), points[best], float(values[best])
    return 0.0, x, fx

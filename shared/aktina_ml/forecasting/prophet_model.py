"""Prophet configured for the history (:mod:`~aktina_ml.forecasting.prophet_config`), fitted
and sampled; forecasts and sampled paths clipped at 0 because sales cannot be negative.
Sampling uses numpy's global RNG (Prophet's own), so it runs inside :func:`seeded`.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any, ClassVar

import cmdstanpy
import numpy as np
import pandas as pd
from prophet import Prophet

from aktina_ml.config import ConfigError
from aktina_ml.forecasting import stan_backend
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.prophet_config import Mode, ModelConfig
from aktina_ml.forecasting.prophet_direct import seeded

# cmdstanpy logs every fit at INFO, and an ERROR when L-BFGS stops early although Prophet
# then retries with Newton; real failures still raise, so its log is noise here.
cmdstanpy.disable_logging()
logging.getLogger("prophet").setLevel(logging.WARNING)

CACHED_FRAMES = 64  # seasonal feature frames and component matrices kept (a few trainings')
# Training fits Prophet in threads (candidates.forecast_all): the caches below and numpy's
# global RNG (Prophet's sampling) are used by one thread at a time, and a frame is built
# once even when two fits ask for it at the same time.
_CACHE_LOCK = threading.Lock()
_BUILD_LOCK = threading.Lock()


class CachedProphet(Prophet):
    """Prophet, building each seasonal feature frame and component matrix once.

    Training fits Prophet per fold and variant on prefixes of one history, then forecasts
    the days after each: Prophet rebuilds the same Fourier features (from the dates alone)
    and the same component indicator matrix (a pandas crosstab of the column names) in
    every fit, ``predictive_samples`` and ``predict``. Both are kept here, keyed by exactly
    what they are computed from, and handed out as copies, so every number is Prophet's.
    """

    _features: ClassVar[OrderedDict[tuple[Any, ...], pd.DataFrame]] = OrderedDict()
    _components: ClassVar[
        OrderedDict[tuple[Any, ...], tuple[pd.DataFrame, dict[Mode, list[str]]]]
    ] = OrderedDict()

    @classmethod
    def make_seasonality_features(
        cls, dates: pd.Series, period: float, series_order: int, prefix: str
    ) -> pd.DataFrame:
        if dates.dt.tz is not None:
            return super().make_seasonality_features(dates, period, series_order, prefix)
        key = (dates.to_numpy("datetime64[ns]").tobytes(), period, series_order, prefix)
        with _BUILD_LOCK:  # (a fit in another thread waits for it and reuses it)
            cached = _remembered(cls._features, key)
            if cached is None:
                cached = super().make_seasonality_features(dates, period, series_order, prefix)
                _remember(cls._features, key, cached)
        return cached.copy()

    def regressor_column_matrix(
        self, seasonal_features: pd.DataFrame, modes: dict[Mode, list[str]]
    ) -> tuple[pd.DataFrame, dict[Mode, list[str]]]:
        if self.train_holiday_names is not None or self.extra_regressors:
            return super().regressor_column_matrix(seasonal_features, modes)
        key = (
            tuple(seasonal_features.columns),
            self.holidays_mode,
            tuple(modes["additive"]),
            tuple(modes["multiplicative"]),
        )
        with _BUILD_LOCK:
            cached = _remembered(self._components, key)
            if cached is None:
                trained, self.train_component_cols = self.train_component_cols, None
                try:
                    cached = super().regressor_column_matrix(
                        seasonal_features, {m: list(names) for m, names in modes.items()}
                    )
                finally:
                    self.train_component_cols = trained
                _remember(self._components, key, cached)
        component_cols = cached[0].copy()
        for mode, names in cached[1].items():
            modes[mode] = list(names)
        if self.train_component_cols is not None:  # Prophet's own check
            component_cols = component_cols[self.train_component_cols.columns]
            if not component_cols.equals(self.train_component_cols):
                raise Exception("A bug occurred in constructing regressors.")
        return component_cols, modes


def _remembered(cache: OrderedDict[tuple[Any, ...], Any], key: tuple[Any, ...]) -> Any:
    with _CACHE_LOCK:
        value = cache.get(key)
        if value is not None:
            cache.move_to_end(key)
        return value


def _remember(cache: OrderedDict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    with _CACHE_LOCK:
        cache[key] = value
        while len(cache) > CACHED_FRAMES:
            cache.popitem(last=False)


def check_holidays_country(country: str | None) -> None:
    """Fail early, naming the setting, when the holidays library does not know ``country``."""
    if country is None:
        return
    import holidays

    if country not in holidays.list_supported_countries():
        raise ConfigError(
            f"AKTINA_FORECAST_HOLIDAYS_COUNTRY: {country!r} is not a supported country code "
            "(ISO 3166 alpha-2 such as UG, KE, US)"
        )


def fit(history: pd.DataFrame, config: ModelConfig) -> Prophet:
    """Fit Prophet to a ``date, amount`` frame of consecutive days."""
    model = CachedProphet(
        growth="linear",
        weekly_seasonality=config.weekly,
        yearly_seasonality=config.yearly,
        daily_seasonality=False,
        seasonality_mode=config.mode,
        n_changepoints=min(config.changepoints, max(len(history) - 2, 0)),
        changepoint_prior_scale=config.changepoint_prior_scale,
        interval_width=config.interval_width,
        uncertainty_samples=config.samples,
    )
    model.stan_backend = stan_backend.Backend()  # CmdStan's input files without the JSON tax
    if config.holidays_country:
        model.add_country_holidays(country_name=config.holidays_country)
    frame = pd.DataFrame({"ds": history["date"].to_numpy(), "y": history["amount"].to_numpy()})
    return model.fit(frame, iter=ForecastConfig.MAX_OPTIMIZER_ITERATIONS)


def sample(model: Prophet, days: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The next ``days`` days after the history: point forecast and predictive sample paths.

    Returns ``(point, paths)`` with shapes ``(days,)`` and ``(days, samples)``, not clipped:
    callers scale deviations (interval calibration) before clipping at 0.
    """
    if model.history is None:
        raise ValueError("sample() needs a fitted model")
    start = model.history["ds"].max() + pd.Timedelta(1, unit="D")
    future = pd.DataFrame({"ds": pd.date_range(start, periods=days, freq="D")})
    with seeded(seed):
        paths = model.predictive_samples(future)["yhat"]
    samples, model.uncertainty_samples = model.uncertainty_samples, 0
    try:
        point = model.predict(future)["yhat"].to_numpy()
    finally:
        model.uncertainty_samples = samples
    return point, paths


def fit_predict(
    history: pd.DataFrame, days: int, config: ModelConfig, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit and forecast ``days`` days: clipped point, lower and upper bounds."""
    point, paths = sample(fit(history, config), days, config.seed)
    paths = calibrated(point, paths, scale)
    lower, upper = quantile_bounds(paths, config.interval_width)
    return np.maximum(point, 0.0), lower, upper


def calibrated(point: np.ndarray, paths: np.ndarray, scale: float) -> np.ndarray:
    """Paths with deviations from the point forecast scaled by ``scale``, clipped at 0."""
    return np.maximum(point[:, None] + scale * (paths - point[:, None]), 0.0)


def quantile_bounds(paths: np.ndarray, width: float) -> tuple[np.ndarray, np.ndarray]:
    """Central ``width`` interval of each row's samples."""
    lower, upper = np.quantile(paths, [(1 - width) / 2, (1 + width) / 2], axis=1)
    return lower, upper

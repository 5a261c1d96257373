"""Prophet's configuration for a history: which seasonalities, how many changepoints.

Choices (docs/forecasting.md): weekly seasonality from 2 weeks of history, yearly only
from 2 years (with less, Prophet fits noise as a yearly shape); one trend changepoint per
about a month of history (Prophet's fixed 25 over-fits a short series and costs fit time).
Apart from :mod:`~aktina_ml.forecasting.prophet_model` so the request path reads it
without importing Prophet or pandas.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from aktina_ml.forecasting.config import ForecastConfig

Mode = Literal["additive", "multiplicative"]


@dataclass(frozen=True)
class ModelConfig:
    """Everything that decides a fit; stored in the artifact and the manifest."""

    weekly: bool
    yearly: bool
    mode: Mode
    changepoints: int
    changepoint_prior_scale: float
    holidays_country: str | None
    interval_width: float
    samples: int
    seed: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def config_for(n_days: int, forecast: ForecastConfig, mode: Mode = "additive") -> ModelConfig:
    """The configuration the history supports (``n_days`` consecutive days)."""
    per_month = round(0.8 * n_days / ForecastConfig.DAYS_PER_CHANGEPOINT)
    return ModelConfig(
        weekly=n_days >= forecast.weekly_min_days,
        yearly=n_days >= forecast.yearly_min_days,
        mode=mode,
        changepoints=max(1, min(ForecastConfig.MAX_CHANGEPOINTS, per_month)),
        changepoint_prior_scale=forecast.changepoint_prior_scale,
        holidays_country=forecast.holidays_country,
        interval_width=forecast.interval_width,
        samples=forecast.interval_samples,
        seed=forecast.seed,
    )

"""How forecasting trains and serves: every parameter in one place, adapted once from the
settings (``AKTINA_FORECAST_*``, docs/forecasting.md, "Settings"), with the fixed constants
beside them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, ClassVar, Literal, get_args

if TYPE_CHECKING:  # (the CLI reads the constants while building its parser, before settings)
    from aktina_ml.config import Settings

ModeSetting = Literal["auto", "additive", "multiplicative"]
Granularity = Literal["day", "week", "month"]
GRANULARITIES: tuple[Granularity, ...] = get_args(Granularity)


@dataclass(frozen=True)
class ForecastConfig:
    """The forecast's parameters; :meth:`from_settings` reads the ``AKTINA_FORECAST_*`` ones."""

    mode: ModeSetting = "auto"  # "auto": the backtest chooses additive or multiplicative
    holidays_country: str | None = None
    changepoint_prior_scale: float = 0.05
    weekly_min_days: int = 14
    yearly_min_days: int = 730
    min_history_days: int = 90
    training_days: int = 1461
    history_days: int = 365  # actual sales shown next to the forecast
    interval_width: float = 0.8
    interval_samples: int = 1000
    request_interval_samples: int = 300  # POST /predict-sales: no backtest, fewer paths
    calibrate_intervals: bool = True
    seed: int = 20240101
    backtest_horizon_days: int = 91  # the app's horizon (its default asks for 90 days)
    backtest_folds: int = 8
    backtest_step_days: int = 14  # between fold origins (folds overlap: more origins)
    choice_margin: float = 0.2  # a member alone "clearly better": mean MASE lower by this …
    max_sales_rows: int = 3660  # POST /predict-sales: rows and days accepted

    # Fixed by design, not settings.
    MAX_HORIZON_DAYS: ClassVar[int] = 365  # days precomputed and servable
    LEGACY_DEFAULT_HORIZON: ClassVar[int] = 90  # the Laravel app's default horizon
    DAYS_PER_CHANGEPOINT: ClassVar[int] = 30  # one trend changepoint per about a month
    MAX_CHANGEPOINTS: ClassVar[int] = 25
    # Stan's optimiser budget (Prophet's default is 10,000). A series that the model fits
    # exactly (like the app's sample tail) drives the noise scale towards 0 and Newton then
    # crawls for seconds with no change in the forecast; ordinary series converge far sooner.
    MAX_OPTIMIZER_ITERATIONS: ClassVar[int] = 2000
    MIN_TRAIN_DAYS: ClassVar[int] = 28  # backtest: shortest history a fold fits on
    SEGMENT_BACKTEST_FOLDS: ClassVar[int] = 2  # per-segment forecasts: the total's method
    MIN_BACKTEST_HORIZON_DAYS: ClassVar[int] = 7  # backtest: shortest fold horizon
    # … and better in this share of the folds (forecasting.backtest.choose)
    CHOICE_WIN_SHARE: ClassVar[float] = 0.8
    # Per-granularity interval calibration (forecasting.intervals): the factor's bounds. A few
    # overlapping folds cannot tell a calm stretch from a calmer model, so the intervals are
    # never narrowed below half the members' own (tune half of bench/forecast_real.py:
    # coverage day/week/month 0.751/0.798/0.751 with 0.05, 0.792/0.807/0.762 with 0.5).
    PERIOD_SCALE_LIMITS: ClassVar[tuple[float, float]] = (0.5, 12.0)
    BACKTEST_SAMPLES: ClassVar[int] = 300  # sample paths per candidate and fold
    SEASON: ClassVar[int] = 7  # seasonal naive: a week
    MIN_DISTINCT_DAYS: ClassVar[int] = 14  # POST /predict-sales: fewest days to fit on
    # POST /predict-sales: the days and daily amounts accepted. The last day plus the longest
    # horizon stays far inside pandas' 1677–2262 range; amounts stay finite through the fit.
    FIRST_POSTED_DAY: ClassVar[date] = date(2000, 1, 1)
    LAST_POSTED_DAY: ClassVar[date] = date(2100, 12, 31)
    MAX_DAILY_AMOUNT: ClassVar[float] = 1e12

    @classmethod
    def from_settings(cls, settings: Settings) -> ForecastConfig:
        """Each field from the setting of the same name (``forecast_<field>``)."""
        return cls(**{f.name: getattr(settings, f"forecast_{f.name}") for f in fields(cls)})

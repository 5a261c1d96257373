"""How demand trains: its settings (``AKTINA_DEMAND_*``, docs/demand.md, "Settings") with the
forecast's, adapted once."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from aktina_ml.forecasting.config import ForecastConfig

if TYPE_CHECKING:
    from aktina_ml.config import Settings


@dataclass(frozen=True)
class DemandConfig:
    """Demand's parameters; the total and each product are forecast with ``forecast``'s."""

    min_history_days: int = 90  # days since a product's first sale for the full method
    recent_days: int = 28  # the simple method's window: the last days' daily average
    phased_out_days: int = 60  # no sale in this many days: forecast 0
    forecast: ForecastConfig = field(default_factory=ForecastConfig)

    # Fixed by design.
    HORIZON_DAYS: ClassVar[int] = ForecastConfig.MAX_HORIZON_DAYS  # as the revenue forecast
    FACT_SPANS: ClassVar[tuple[int, ...]] = (30, 90)  # recent units per product, and before
    CONCENTRATION_DAYS: ClassVar[int] = 90  # retailer concentration: this span and the one before
    TOP_BUYERS: ClassVar[int] = 5  # concentration: the share of the top few retailers

    @classmethod
    def from_settings(cls, settings: Settings) -> DemandConfig:
        return cls(
            min_history_days=settings.demand_min_history_days,
            recent_days=settings.demand_recent_days,
            phased_out_days=settings.demand_phased_out_days,
            forecast=ForecastConfig.from_settings(settings),
        )

    def product_forecast(self) -> ForecastConfig:
        """A product's forecast: the total's settings, fewer folds, its own history minimum."""
        return replace(
            self.forecast,
            backtest_folds=ForecastConfig.SEGMENT_BACKTEST_FOLDS,
            min_history_days=self.min_history_days,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, for a fanned-out fit that rebuilds it (:meth:`from_dict`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> DemandConfig:
        return cls(**{**values, "forecast": ForecastConfig(**values["forecast"])})

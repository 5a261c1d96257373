"""Synthetic daily sales with a known noise-free truth, for forecasting tests and benches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

WEEKDAY_EFFECT = np.array([60.0, 80.0, 90.0, 100.0, 140.0, -170.0, -300.0])  # Monday first
HOLIDAY_EFFECT = {(12, 25): -700.0, (1, 1): -600.0}


@dataclass(frozen=True)
class SyntheticSales:
    observed: pd.DataFrame  # date, amount (what a source would return)
    truth: np.ndarray  # noise-free signal for every day of `dates` (history and future)
    dates: pd.DatetimeIndex

    def split(self, history_days: int) -> tuple[pd.DataFrame, np.ndarray]:
        """The first ``history_days`` observed days and the true signal after them."""
        return self.observed.iloc[:history_days].reset_index(drop=True), self.truth[history_days:]


def synthetic_sales(
    days: int,
    *,
    start: str = "2022-01-03",
    level: float = 1500.0,
    slope: float = 0.6,
    yearly: float = 250.0,
    noise: float = 60.0,
    seed: int = 7,
) -> SyntheticSales:
    """Trend + weekday pattern + yearly wave + holiday dips + Gaussian noise, clipped at 0."""
    dates = pd.date_range(start, periods=days, freq="D")
    t = np.arange(days, dtype="float64")
    day_of_year = dates.dayofyear.to_numpy()
    truth = (
        level
        + slope * t
        + WEEKDAY_EFFECT[dates.weekday.to_numpy()]
        + yearly * np.sin(2 * np.pi * (day_of_year - 80) / 365.25)
    )
    for (month, day), effect in HOLIDAY_EFFECT.items():
        truth += np.where((dates.month == month) & (dates.day == day), effect, 0.0)
    truth = np.maximum(truth, 0.0)
    rng = np.random.default_rng(seed)
    observed = np.maximum(truth + rng.normal(0.0, noise, days), 0.0)
    return SyntheticSales(
        observed=pd.DataFrame({"date": dates, "amount": observed}), truth=truth, dates=dates
    )

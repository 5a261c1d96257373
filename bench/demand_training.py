"""Demand training time against the number of products: when does one function's 15 minutes
stop holding the catalogue, and the per-product fits have to fan out?

Synthetic products (tests/support/demand.py: weekly pattern, trend, Poisson units; the last
product launched 40 days ago, the one before phased out 100 days ago) over HISTORY_DAYS
days, from an in-memory source. Reading the lines is timed apart, first: demo orders in a
scratch MariaDB database, ``daily_units`` (every sale's items, parsed in Python) beside
``daily_sales`` (summed in the database), median (best) of 3.
Per catalogue size: the three steps (prepare: the total units' full backtest and fit; the
per-product fits, in-process; finish: reconcile, save, load through the safe unpickler,
validate, promote), wall and CPU seconds. The machine is shared: CPU seconds are the steadier
figure, and the per-product CPU seconds give the extrapolation to 15 minutes.
"""

from __future__ import annotations

import itertools
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from aktina_ml.config import DEFAULT_SALE_STATUSES as SALE_STATUSES

SIZES = tuple(int(n) for n in os.environ.get("DEMAND_BENCH_PRODUCTS", "5,20,50").split(","))
HISTORY_DAYS = int(os.environ.get("DEMAND_BENCH_DAYS", "1095"))  # 3 years
# Each product's mean units a day is drawn from this range ("0.1,2": sparse, intermittent).
LEVELS = tuple(float(x) for x in os.environ.get("DEMAND_BENCH_LEVELS", "3,30").split(","))
BUDGET_SECONDS = 900  # a Lambda function's limit
ORDERS = int(os.environ.get("DEMAND_BENCH_ORDERS", "200000"))  # 0: skip reading the lines


def cpu() -> float:
    """CPU seconds of this process and its children (Prophet's Stan runs as a child)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def reading() -> None:
    """daily_units beside daily_sales on ORDERS demo orders in MariaDB."""
    from aktina_ml.data.mysql import MySqlSource
    from aktina_ml.demo.generator import DemoSpec, generate
    from aktina_ml.demo.loader import load_mysql
    from bench.common import scratch_database, timed

    dataset = generate(DemoSpec(retailers=1000, orders=ORDERS, seed=3))
    with scratch_database() as connection:
        load_mysql(connection, dataset, create_schema=True)
        source = MySqlSource(
            connection, sale_statuses=SALE_STATUSES, zone=ZoneInfo(dataset.timezone)
        )
        units = source.daily_units()
        print(f"{ORDERS} demo orders, {units.orders} of them sales, {units.lines} lines:")
        for label, call in (
            ("daily_sales", source.daily_sales),
            ("daily_units", source.daily_units),
        ):
            median, best = timed(call, repeat=3)
            print(f"  {label:<12} {median:6.2f} ({best:.2f}) s")


def main() -> None:
    if ORDERS:
        reading()
    from aktina_ml.config import load_settings
    from aktina_ml.demand.fit import fit_product
    from aktina_ml.demand.training import finish_demand, prepare_demand
    from aktina_ml.model_store.backends import LocalBackend
    from aktina_ml.model_store.store import ModelStore
    from tests.support.demand import UnitsSource, product_units, products_frame

    today = date.today()
    print(
        f"{HISTORY_DAYS} days of history, {LEVELS[0]:g}–{LEVELS[1]:g} units a day per product; "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    print(
        f"{'products':>8} {'prepare':>14} {'fits':>14} {'per product':>14} {'finish':>14} "
        f"{'total':>14}   (wall / cpu seconds)"
    )
    for n in SIZES:
        with tempfile.TemporaryDirectory(prefix="aktina-bench-demand-") as folder:
            source = UnitsSource(
                product_units(
                    n, HISTORY_DAYS, today - timedelta(days=1), levels=(LEVELS[0], LEVELS[1])
                ),
                products_frame(n),
            )
            settings = load_settings(model_store=folder)
            store = ModelStore(LocalBackend(folder))
            marks = [(time.perf_counter(), cpu())]
            plan = prepare_demand(source, settings, today)
            marks.append((time.perf_counter(), cpu()))
            fits = [fit_product(task, plan.config) for task in plan.tasks]
            marks.append((time.perf_counter(), cpu()))
            result = finish_demand(plan, fits, store, settings)
            marks.append((time.perf_counter(), cpu()))
            if not result.promoted:
                sys.exit(f"{n} products: not promoted: {result.reason}")
            steps = [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(marks)]
            total = (marks[-1][0] - marks[0][0], marks[-1][1] - marks[0][1])
            fitted = len(fits)
            per = (steps[1][0] / fitted, steps[1][1] / fitted)
            cells = [steps[0], steps[1], per, steps[2], total]
            print(f"{n:>8} " + " ".join(f"{w:>6.1f} / {c:>5.1f}" for w, c in cells))
            fixed = steps[0][1] + steps[2][1]
            limit = int((BUDGET_SECONDS - fixed) / per[1]) if per[1] > 0 else 0
            size = result.manifest.size_bytes / 1e6 if result.manifest else 0.0
            print(
                f"{'':>8} methods {result.metrics['methods']}; artifact {size:.1f} MB; at this "
                f"CPU per product, {BUDGET_SECONDS} s holds about {limit} products in one function"
            )

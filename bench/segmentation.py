"""Segmentation: train time and peak memory at 10k / 100k retailers; warm route latency.

Run: `make bench SUITES=segmentation` (or `PYTHONPATH=shared:. python -m bench segmentation`).
Targets (issue 6): train 100k ≤ 60 s; GET routes ≤ 10 ms warm; legacy POST 10k ≤ 100 ms.
Also the quality on demo data (aktina_ml.demo.generator, four planted segments) at 1,200 and
10,000 retailers: agreement with the plant, held-out volume accuracy next to the best single
attribute and the majority class, and bootstrap stability.
Data: the demo generator, 10 orders per retailer, read back through the CSV source.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent


def _train(frame):
    from aktina_ml.segmentation.fit import fit_segmentation
    from aktina_ml.segmentation.training import build_model

    fit = fit_segmentation(frame)
    return fit, build_model(fit, frame)


def _demo(n: int):
    from tests.support.demo import demo_dataset, retailers_frame

    dataset = demo_dataset(n, seed=1, orders=10 * n)
    return dataset, retailers_frame(dataset)


def bench_quality() -> None:
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    from aktina_ml.segmentation.fit import fit_segmentation, raw_columns
    from tests.support.demo import planted

    print("quality on demo data (four planted segments)")
    for n in (1_200, 10_000):
        dataset, frame = _demo(n)
        fit = fit_segmentation(frame)
        m = fit.metrics
        rng = np.random.default_rng(11)
        columns = raw_columns(frame)
        boot = []
        for _ in range(3):
            rows = rng.integers(0, n, n)
            refit = fit_segmentation(frame.iloc[rows].reset_index(drop=True))
            boot.append(adjusted_rand_score(fit.labels, refit.predict(columns, n)))
        business = ", ".join(f"{k} {v:.3f}" for k, v in m["business_field_accuracy"].items())
        print(
            f"  {n:>7,} retailers: k={fit.k}, ARI vs plant "
            f"{adjusted_rand_score(planted(dataset, frame['retailer_id']), fit.labels):.3f}, "
            f"held-out accuracy {m['heldout_accuracy']:.3f} vs best single attribute "
            f"({m['best_single_attribute']}) {m['best_single_attribute_accuracy']:.3f} vs "
            f"majority {m['majority_class_accuracy']:.3f}; bootstrap ARI "
            f"{' / '.join(f'{b:.3f}' for b in boot)} (target ≥ 0.8)\n"
            f"           business figures (not inputs) alone: {business}"
        )


def bench_training() -> None:
    print("training (fit + k selection + profiles; data already in memory)")
    for n in (10_000, 100_000):
        _, frame = _demo(n)
        start = time.perf_counter()
        fit, _ = _train(frame)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        _train(frame)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"  {n:>7,} retailers: {seconds:6.2f} s (target 100k ≤ 60 s), "
            f"peak traced memory {peak / 2**20:6.1f} MiB, k={fit.k}, "
            f"held-out accuracy {fit.quality.heldout_accuracy:.3f} vs best single attribute "
            f"{fit.quality.best_single_attribute_accuracy:.3f}"
        )
    # Alternative: k-means thread pools (training runs single-threaded, see model.py).
    from aktina_ml.segmentation.config import SegmentationConfig
    from aktina_ml.segmentation.fit import _fit

    _, frame = _demo(10_000)
    for label, limit in (("1 thread (used)", 1), ("all threads", None)):
        with threadpool_limits(limits=limit):
            start = time.perf_counter()
            _fit(frame, SegmentationConfig())
            print(f"  alternative, 10k with {label:16s}: {time.perf_counter() - start:6.2f} s")


def _timed(call, repeat: int) -> tuple[float, float, float]:
    """(median, p95, best) milliseconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[0]


def _legacy_body(frame) -> str:
    retailers = []
    for row in frame.to_dict("records"):
        ratio = row["male_female_ratio"]
        retailers.append(
            {
                "id": int(row["retailer_id"]),
                "user_id": int(row["user_id"]),
                "male_female_ratio": None if ratio != ratio else f"{ratio:.2f}",
                "city": row["city"],
                "urban_rural_classification": row["urban_rural_classification"],
                "customer_age_class": row["customer_age_class"],
                "customer_income_bracket": row["customer_income_bracket"],
                "customer_education_level": row["customer_education_level"],
                "business_type": row["business_type"],
                "annual_revenue": row["annual_revenue"],
                "employee_count": row["employee_count"],
                "years_in_business": None
                if row["years_in_business"] is None or str(row["years_in_business"]) == "<NA>"
                else int(row["years_in_business"]),
                "total_sales": float(row["total_sales"]),
                "demographics_completed": True,
                "user": {
                    "id": int(row["user_id"]),
                    "name": f"Shop {row['retailer_id']}",
                    "email": f"shop{row['retailer_id']}@example.com",
                    "company_name": f"Shop {row['retailer_id']}",
                    "role": "retailer",
                    "verified": True,
                },
            }
        )
    return json.dumps({"retailers": retailers})


def routes_in_container(store_dir: str, legacy_body_file: str) -> None:
    """Warm latency of every segment event, in a process holding only the handler and model.

    Run by :func:`bench_routes` in a fresh interpreter, as a Lambda container would be: the
    benchmark's own process holds pandas, scikit-learn and the training data, whose objects
    and BLAS threads would change what the garbage collector and the CPU do.
    """
    from tests.conftest import FakeLambdaContext

    os.environ["AKTINA_MODEL_STORE"] = store_dir
    os.environ["AKTINA_MODEL_REFRESH_SECONDS"] = "60"
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    spec = importlib.util.spec_from_file_location("segment_app", ROOT / "functions/segment/app.py")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    context = FakeLambdaContext()
    events = {
        name: json.loads((ROOT / "events" / name).read_text())
        for name in os.listdir(ROOT / "events")
        if name.startswith("segment")
    }
    legacy = copy.deepcopy(events["segment_customers_legacy.json"])
    legacy["body"] = Path(legacy_body_file).read_text()
    events["segment_customers_legacy.json (10k retailers)"] = legacy
    print(
        "warm latency in a fresh process (handler and model only), model of 10,000 retailers "
        f"(legacy body {len(legacy['body']) / 2**20:.1f} MiB)"
    )
    for name, event in sorted(events.items()):
        response = app.lambda_handler(event, context)  # warm up: load model, render
        assert response["statusCode"] == 200, (name, response["body"][:300])
        repeat = 20 if "10k" in name else 200
        median, p95, best = _timed(lambda event=event: app.lambda_handler(event, context), repeat)
        print(f"  {name:52s} median {median:7.2f} ms  p95 {p95:7.2f} ms  best {best:7.2f} ms")
    _collector_alternatives(app, legacy, context)


def bench_routes() -> None:
    from aktina_ml.config import ModelStoreLocation
    from aktina_ml.model_store.store import ModelStore

    _, frame = _demo(10_000)
    _, model = _train(frame)
    with tempfile.TemporaryDirectory() as store_dir:
        store = ModelStore.from_location(ModelStoreLocation.parse(store_dir))
        store.promote(store.save("segmentation", model, {}))
        body_file = Path(store_dir) / "legacy_body.json"
        body_file.write_text(_legacy_body(frame))
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from bench.segmentation import routes_in_container; "
                "routes_in_container(*sys.argv[1:])",
                store_dir,
                str(body_file),
            ],
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": f"{ROOT / 'shared'}:{ROOT}"},
        )

        # Alternatives for the assignment itself (10k retailers): numpy artifact vs sklearn.
        from aktina_ml.segmentation.fit import fit_segmentation, raw_columns

        fit = fit_segmentation(frame)
        columns = raw_columns(frame)
        numpy_ms, _, _ = _timed(lambda: model.assign_columns(columns, len(frame)), 20)
        sklearn_ms, _, _ = _timed(lambda: fit.predict(columns, len(frame)), 20)
        print(
            f"  assign 10k: numpy artifact {numpy_ms:.1f} ms; "
            f"same encoding + scikit-learn KMeans.predict {sklearn_ms:.1f} ms"
        )


def _collector_alternatives(app, event, context) -> None:
    """The legacy 10k call with the garbage collector as shipped and as Python's default,
    and after a BLAS matrix product (as ``nearest`` used ``@`` before: OpenBLAS's workers
    then spin on the cores the request needs, unless OPENBLAS_NUM_THREADS=1 as deployed).

    Shipped (aktina_ml/api/collector.py): objects built at init frozen out of collections,
    collector paused while a request runs. Rounds alternate so load affects all alike.
    """
    import gc

    import numpy as np

    paused = app.lambda_handler  # Logger's wrapper → collector pause → the handler
    unpaused = paused.__wrapped__.__wrapped__
    a, b = np.ones((10_000, 19)), np.ones((4, 19))

    def after_blas(event, context):
        a @ b.T  # the product nearest() computed with BLAS before
        return paused(event, context)

    variants = {
        "shipped: init frozen, paused per request": (True, paused),
        "init frozen, collector runs in requests": (True, unpaused),
        "Python default (nothing frozen, no pause)": (False, unpaused),
        "shipped, after a BLAS product": (True, after_blas),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(15):
        for name, (frozen, handler) in variants.items():
            gc.freeze() if frozen else gc.unfreeze()
            start = time.perf_counter()
            handler(event, context)
            times[name].append((time.perf_counter() - start) * 1000)
    gc.freeze()
    print("  legacy 10k, garbage collector alternatives (interleaved, 15 rounds):")
    for name, samples in times.items():
        print(
            f"    {name:50s} median {statistics.median(samples):7.2f} ms  "
            f"best {min(samples):7.2f} ms"
        )


def main() -> None:
    bench_quality()
    bench_training()
    bench_routes()

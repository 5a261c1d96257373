"""Answers to hostile input: 4xx body size and time for bodies of many invalid rows (the row
cap and the first-20 listing against pydantic's full error list), /health with S3
black-holed (its own budget and both models at once, against the API functions' budget one
model after the other), and peak memory of allow-listed allocation bombs (each in a fresh
process).

Figures are wall times on a shared machine: compare the rows of one run, not runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support.fuzz import BAD_RETAILER

ROOT = Path(__file__).resolve().parents[1]
BODIES = [
    ("/predict-sales", "50,000 zeros", {"sales": [0] * 50_000}),
    ("/predict-sales", "3,660 zeros", {"sales": [0] * 3_660}),
    ("/segment-customers", "1.83 M {}", {"retailers": [{}] * 1_830_000}),
    ("/segment-customers", "2.75 M zeros", {"retailers": [0] * 2_749_990}),
    ("/segment-customers", "22,000 rows x 12 bad fields", {"retailers": [BAD_RETAILER] * 22_000}),
]


def bodies() -> None:
    from pydantic import ValidationError

    from aktina_ml.local.events import HttpRequest
    from aktina_ml.local.server import LocalApi
    from aktina_ml.segmentation.contracts import LegacyRequest

    os.environ.setdefault("AKTINA_MODEL_STORE", tempfile.mkdtemp())
    api = LocalApi("bench", log=lambda message: None)
    print("body                                   answer   body bytes   seconds")
    for path, label, payload in BODIES:
        raw = json.dumps(payload, separators=(",", ":")).encode()
        started = time.perf_counter()
        answer = api.handle(HttpRequest("POST", path, "", [("x-api-key", "bench")], raw))
        elapsed = time.perf_counter() - started
        print(f"{label:<38} {answer.status:>6} {len(answer.body):>12,} {elapsed:>9.2f}")
    # The alternative: every row validated, every error built (what the 422 listed before)
    rows = {"retailers": [BAD_RETAILER] * 22_000}
    started = time.perf_counter()
    try:
        LegacyRequest.model_validate(rows)
    except ValidationError as exc:
        count = len(exc.errors())
    print(
        f"(all {count:,} errors of 22,000 bad rows built by pydantic alone: "
        f"{time.perf_counter() - started:.2f} s)"
    )


def health() -> None:
    from aktina_ml.config import load_settings
    from aktina_ml.model_store.factories import open_store
    from aktina_ml.model_store.readiness import readiness, readiness_within
    from tests.support.blackhole import black_hole

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="eu-west-1"
    )
    settings = load_settings(model_store="s3://bench/models")
    names = ("segmentation", "forecast")
    with black_hole() as hole:
        os.environ["AWS_ENDPOINT_URL_S3"] = hole.url
        sequential = open_store(settings)
        started = time.perf_counter()
        for name in names:
            readiness(sequential, name)
        elapsed = time.perf_counter() - started
        print(f"/health checks, API budget, one after the other: {elapsed:.2f} s")
        deadline = settings.health_deadline_seconds
        bounded = open_store(settings, budget=deadline)
        with ThreadPoolExecutor(max_workers=4) as pool:
            started = time.perf_counter()
            readiness_within(bounded, names, deadline, pool)
            elapsed = time.perf_counter() - started
            print(f"/health checks, own budget, at once:            {elapsed:.2f} s")
        del os.environ["AWS_ENDPOINT_URL_S3"]


BOMB_SCRIPT = """
import sys, time
from aktina_ml.model_store.safe_pickle import allowed_for, restricted_load
from aktina_ml.segmentation.artifact import SegmentationModel
from tests.support.crafted import allocation_bombs
data = allocation_bombs()[sys.argv[1]]
started = time.perf_counter()
try:
    restricted_load(data, allowed_for(SegmentationModel))
    outcome = "loaded"
except Exception as exc:
    outcome = type(exc).__name__
# VmHWM: this process's peak (ru_maxrss would count the parent's, copied at fork)
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
rss = int(hwm.split()[1]) // 1024
print(f"{sys.argv[1]:<45} {outcome:<24} {rss:>5} MB {time.perf_counter() - started:6.2f} s")
"""


def bombs() -> None:
    from tests.support.crafted import allocation_bombs

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(ROOT)])}
    print("allocation bomb                               outcome               peak RSS  time")
    for name in allocation_bombs():
        subprocess.run([sys.executable, "-c", BOMB_SCRIPT, name], env=env, check=True)


def main() -> None:
    bodies()
    health()
    bombs()


if __name__ == "__main__":
    main()

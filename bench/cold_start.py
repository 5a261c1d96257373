"""Cold start of each GET path, and of the legacy POST /predict-sales, of the BUILT package.

For each route with an event in events/: a fresh process (only the function's code, its
layers and the runtime's boto3 on sys.path) imports the handler, loads the model from S3 (a
moto server on 127.0.0.1) and answers. Targets, from process start to the answer (Lambda
keeps the process after answering, so the interpreter's teardown, in the "wall" column, is
never on a request's path): ≤ 0.5 s for every GET path, ≤ 1.5 s for the first legacy
POST /predict-sales (it fits the posted series), and that POST ≤ 2x the median
GET path of the same run (printed last: the ratio holds on a loaded machine, the seconds do
not). Compared: the layers' shipped .pyc files vs ignoring them (what a layer without
bytecode would cost), when AKTINA_COLD_START_IGNORED_BYTECODE is set.

Last, the automatic forecast's training time against the previous code path, in the same
run (bench/forecast_speed.py: target ≥ 1.5x; it needs no build).

AKTINA_COLD_START_BASELINE=DIR also measures another checkout (its own .venv, its own
`make build`), e.g. the last python3.11 commit exported to /tmp, with models from its own
trainers: each route is timed on both builds in turn, so one run compares the two runtimes
under the same load. The machine is shared: read ranges, not digits.

Models come from the source tree's trainers on a seeded MariaDB database, so this needs
`make build`, the trainers and a MariaDB server (as the tests do).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import boto3
from moto.server import ThreadedMotoServer

from aktina_ml.config import load_settings
from aktina_ml.data.mysql import MySqlSource, connect
from aktina_ml.demo.schema import create_laravel_schema
from aktina_ml.model_store.factories import open_store
from aktina_ml.registry import MODEL_NAMES
from aktina_ml.training import train_models
from bench.common import machine_pace
from bench.forecast_speed import training_speedup
from scripts.lambda_sandbox import invoke, link_runtime_packages
from scripts.package_size import BuiltFunction, built_functions, report
from tests.support.demo import load_into, sales_history
from tests.support.mariadb import mariadb_server

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = Path(os.environ.get("AKTINA_SAM_BUILD_DIR", ROOT / ".aws-sam" / "build"))
EVENTS = BUILD_DIR.parent.parent / "events"
BUCKET = "aktina-ml-bench"
RUNS = 5
WITH_IGNORED = "AKTINA_COLD_START_IGNORED_BYTECODE"  # set: also time each path without .pyc
ONLY_ROUTES = "AKTINA_COLD_START_ROUTES"  # e.g. "POST /predict-sales,GET /health": only these
TARGET_SECONDS = {"GET": 0.5, "POST /predict-sales": 1.5}
POST_OVER_GET = 2.0  # the first POST against the median GET path of the same run


def target_for(method: str, path: str) -> float | None:
    return TARGET_SECONDS.get(f"{method} {path}", TARGET_SECONDS.get(method))


def get_events(events_dir: Path = EVENTS) -> dict[tuple[str, str], list[Path]]:
    """Events of the routes with a target (every GET, the legacy POST /predict-sales)."""
    found: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(events_dir.glob("*.json")):
        event = json.loads(path.read_text())
        route = (event.get("httpMethod", ""), event.get("resource", ""))
        chosen = os.environ.get(ONLY_ROUTES)
        if chosen and " ".join(route) not in chosen.split(","):
            continue
        if target_for(*route) is not None:
            found.setdefault(route, []).append(path)
    return found


def train_into(store_url: str, endpoint: str) -> None:
    """Train both models from a seeded database into the moto bucket (source tree)."""
    with mariadb_server() as server:
        name = "aktina_bench_cold_start"
        admin = connect(server)
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        db = server.model_copy(update={"database": name})
        connection = connect(db, local_infile=True)
        try:
            create_laravel_schema(connection)
            load_into(connection, sales_history())
            settings = load_settings(model_store=store_url)
            store = open_store(settings, boto3.client("s3", endpoint_url=endpoint))
            source = MySqlSource.from_settings(connection, settings)
            for result in train_models(MODEL_NAMES, source, store, settings):
                print(f"trained {result.model}: promoted={result.promoted} {result.reason}")
        finally:
            connection.close()
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.close()


HEADER = (
    f"{'function':<20} {'route':<22} {'python':<7} {'bytecode':<8} {'to answer s':>14} "
    f"{'import s':>9} {'answer s':>9} {'wall s':>7} {'status':>6} {'MiB':>6}"
)


@dataclass
class Build:
    """A `sam build` output, the interpreter it was compiled for and its model store."""

    version: str
    functions: dict[str, BuiltFunction]
    python: str
    env: dict[str, str]


def python_version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def this_build(store_url: str, endpoint: str) -> Build:
    train_into(store_url, endpoint)
    functions = {f.name: f for f in built_functions(BUILD_DIR)}
    env = {"AKTINA_MODEL_STORE": store_url, "AWS_ENDPOINT_URL_S3": endpoint}
    return Build(python_version(sys.executable), functions, sys.executable, env)


def baseline_build(checkout: Path, store_url: str, endpoint: str) -> Build:
    """Another checkout's build, with models from that checkout's own trainers."""
    python = str(checkout / ".venv" / "bin" / "python")
    train = f"from bench.cold_start import train_into; train_into({store_url!r}, {endpoint!r})"
    subprocess.run(
        [python, "-c", train],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": "shared:."},
        check=True,
    )
    functions = {f.name: f for f in built_functions(checkout / ".aws-sam" / "build")}
    env = {"AKTINA_MODEL_STORE": store_url, "AWS_ENDPOINT_URL_S3": endpoint}
    return Build(python_version(python), functions, python, env)


def measure(
    build: Build,
    function: BuiltFunction,
    route: tuple[str, str],
    event: Path,
    runtime: Path,
    *,
    ignore: bool = False,
) -> float:
    """Print median (best) of RUNS fresh processes answering ``event``; return the median."""
    runs = [
        invoke(function, event, runtime, build.env, ignore_bytecode=ignore, python=build.python)
        for _ in range(RUNS)
    ]
    done = [r["answered_seconds"] for r in runs]
    to_answer = statistics.median(done)
    wall = statistics.median(r["wall_seconds"] for r in runs)
    imp = statistics.median(r["import_seconds"] for r in runs)
    ans = statistics.median(r["answer_seconds"] for r in runs)
    target = target_for(*route)
    over = not ignore and target is not None and to_answer > target
    print(
        f"{function.name:<20} {route[1]:<22} {build.version:<7} "
        f"{'ignored' if ignore else 'shipped':<8} "
        f"{to_answer:>6.3f} ({min(done):.3f}) {imp:>9.3f} {ans:>9.3f} {wall:>7.3f} "
        f"{runs[0]['response']['statusCode']:>6} {function.size_bytes() / 2**20:>6.1f}"
        f"{'  OVER TARGET' if over else ''}",
        flush=True,
    )
    return to_answer


def measure_routes(builds: list[Build], runtime: Path, with_ignored: bool) -> None:
    """Every targeted route, each build in turn for the same route (the noise is shared);
    then, per build, the first POST /predict-sales against the median of the GET paths."""
    events = get_events()
    print(HEADER)
    medians: dict[str, dict[str, list[float]]] = {
        b.version: {"GET": [], "POST": []} for b in builds
    }
    for name, function in builds[0].functions.items():
        for route in ((r.method, r.path) for r in function.routes):
            for event in events.get(route, []):
                for build in builds:
                    same = build.functions.get(name)
                    if same and route in {(r.method, r.path) for r in same.routes}:
                        seconds = measure(build, same, route, event, runtime)
                        medians[build.version].setdefault(route[0], []).append(seconds)
                if with_ignored:
                    measure(builds[0], function, route, event, runtime, ignore=True)
    for version, found in medians.items():
        if found["GET"] and found["POST"]:
            get = statistics.median(found["GET"])
            post = max(found["POST"])
            print(
                f"python {version}: first POST /predict-sales {post:.3f} s = {post / get:.2f}x "
                f"the median GET path ({get:.3f} s; target ≤ {POST_OVER_GET}x)"
            )


def main() -> None:
    if (BUILD_DIR / "template.yaml").exists():
        cold_starts()
    else:
        print(f"no {BUILD_DIR}/template.yaml: run `make build` first (cold starts skipped)")
    print("\ntraining of the automatic forecast, against the previous code path:")
    training_speedup()


def cold_starts() -> None:
    print(f"machine pace: 10 M Python loop steps in {machine_pace():.2f} s")
    print("unzipped sizes (function + its layers):")
    report(built_functions(BUILD_DIR))
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        os.environ.setdefault(key, value)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the moto server's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        builds = [this_build(f"s3://{BUCKET}/models", endpoint)]
        baseline = os.environ.get("AKTINA_COLD_START_BASELINE")
        if baseline:
            builds.append(baseline_build(Path(baseline), f"s3://{BUCKET}/baseline", endpoint))
        targets = ", ".join(f"{k} ≤ {v} s" for k, v in TARGET_SECONDS.items())
        print(f"\ncold start, median (best) of {RUNS} fresh processes; targets {targets}")
        with tempfile.TemporaryDirectory() as tmp:
            runtime = link_runtime_packages(Path(tmp) / "runtime")
            measure_routes(builds, runtime, with_ignored=bool(os.environ.get(WITH_IGNORED)))
    finally:
        server.stop()

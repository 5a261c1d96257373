"""Cold start of each GET path, and of the legacy POST /predict-sales, of the BUILT package.

For each route with an event in events/: a fresh process (only the function's code, its
layers and the runtime's boto3 on sys.path) imports the handler, loads the model from S3 (a
moto server on 127.0.0.1) and answers. Targets, from process start to the answer (Lambda
keeps the process after answering, so the interpreter's teardown, in the "wall" column, is
never on a request's path): ≤ 0.5 s for every GET path, ≤ 1.5 s for the first legacy
POST /predict-sales (it imports Prophet and fits on first use). Compared: the layers'
shipped .pyc files vs ignoring them (what a layer without bytecode would cost).

AKTINA_COLD_START_BASELINE=DIR also measures another checkout (its own .venv, its own
`make build`), e.g. the last python3.11 commit exported to /tmp: its GET paths through its
own copy of this bench (its models come from its own trainers), and its POST /predict-sales
here, so one run compares the two runtimes. The machine is shared: read ranges, not digits.

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
from pathlib import Path

import boto3
from moto.server import ThreadedMotoServer

from aktina_ml.config import load_settings
from aktina_ml.data.mysql import MySqlSource, connect
from aktina_ml.demo.schema import create_laravel_schema
from aktina_ml.store import open_store
from aktina_ml.training import train_models
from scripts.lambda_sandbox import invoke, link_runtime_packages
from scripts.package_size import BuiltFunction, built_functions, report
from tests.support.demo import load_into, sales_history
from tests.support.mariadb import mariadb_server

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = Path(os.environ.get("AKTINA_SAM_BUILD_DIR", ROOT / ".aws-sam" / "build"))
EVENTS = BUILD_DIR.parent.parent / "events"
BUCKET = "aktina-ml-bench"
RUNS = 5
TARGET_SECONDS = {"GET": 0.5, "POST /predict-sales": 1.5}


def target_for(method: str, path: str) -> float | None:
    return TARGET_SECONDS.get(f"{method} {path}", TARGET_SECONDS.get(method))


def get_events(events_dir: Path = EVENTS) -> dict[tuple[str, str], list[Path]]:
    """Events of the routes with a target (every GET, the legacy POST /predict-sales)."""
    found: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(events_dir.glob("*.json")):
        event = json.loads(path.read_text())
        route = (event.get("httpMethod", ""), event.get("resource", ""))
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
            for result in train_models(("segmentation", "forecast"), source, store, settings):
                print(f"trained {result.model}: promoted={result.promoted} {result.reason}")
        finally:
            connection.close()
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.close()


HEADER = (
    f"{'function':<20} {'route':<24} {'bytecode':<9} {'to answer s':>14} "
    f"{'import s':>9} {'answer s':>9} {'wall s':>7} {'status':>6} {'MB':>6}"
)


def measure(
    function: BuiltFunction,
    route: tuple[str, str],
    event: Path,
    runtime: Path,
    env: dict[str, str],
    size: int,
    *,
    ignore: bool = False,
    python: str = sys.executable,
) -> None:
    """Print median (best) of RUNS fresh processes answering ``event``."""
    runs = [
        invoke(function, event, runtime, env, ignore_bytecode=ignore, python=python)
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
        f"{function.name:<20} {route[1]:<24} {'ignored' if ignore else 'shipped':<9} "
        f"{to_answer:>6.3f} ({min(done):.3f}) {imp:>9.3f} {ans:>9.3f} {wall:>7.3f} "
        f"{runs[0]['response']['statusCode']:>6} {size / 1e6:>6.1f}"
        f"{'  OVER TARGET' if over else ''}"
    )


def measure_build(build_dir: Path, env: dict[str, str], runtime: Path, python: str) -> None:
    """Every targeted route of the build in ``build_dir``, shipped and ignored bytecode."""
    functions = built_functions(build_dir)
    events = get_events()
    print(HEADER)
    for function in functions:
        size = function.size_bytes()
        for route in ((r.method, r.path) for r in function.routes):
            for event in events.get(route, []):
                for ignore in (False, True):
                    measure(
                        function, route, event, runtime, env, size, ignore=ignore, python=python
                    )


def measure_baseline(baseline: Path, runtime: Path) -> None:
    """The other checkout: its GET paths by its own bench, its legacy POST here."""
    python = str(baseline / ".venv" / "bin" / "python")
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"\n--- baseline {baseline} (Python {version}): its own bench for the GET paths")
    subprocess.run(
        [python, "-m", "bench", "cold_start"],
        cwd=baseline,
        env={**os.environ, "PYTHONPATH": "shared:.", "AKTINA_COLD_START_BASELINE": ""},
        check=False,
    )
    print(f"--- baseline (Python {version}): legacy POST /predict-sales, this bench")
    print(HEADER)
    route = ("POST", "/predict-sales")
    for function in built_functions(baseline / ".aws-sam" / "build"):
        if route in {(r.method, r.path) for r in function.routes}:
            for event in get_events().get(route, []):
                measure(function, route, event, runtime, {}, function.size_bytes(), python=python)


def main() -> None:
    if not (BUILD_DIR / "template.yaml").exists():
        print(f"no {BUILD_DIR}/template.yaml: run `make build` first")
        return
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
        store_url = f"s3://{BUCKET}/models"
        train_into(store_url, endpoint)
        env = {"AKTINA_MODEL_STORE": store_url, "AWS_ENDPOINT_URL_S3": endpoint}
        targets = ", ".join(f"{k} ≤ {v} s" for k, v in TARGET_SECONDS.items())
        print(f"\ncold start, median (best) of {RUNS} fresh processes; targets {targets}")
        print(f"--- this build (Python {sys.version.split()[0]})")
        with tempfile.TemporaryDirectory() as tmp:
            runtime = link_runtime_packages(Path(tmp) / "runtime")
            measure_build(BUILD_DIR, env, runtime, sys.executable)
            baseline = os.environ.get("AKTINA_COLD_START_BASELINE")
            if baseline:
                measure_baseline(Path(baseline), runtime)
    finally:
        server.stop()

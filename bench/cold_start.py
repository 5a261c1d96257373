"""Cold start of each GET path of the BUILT package (.aws-sam/build).

For each GET route with an event in events/: a fresh process (only the function's code,
its layers and the runtime's boto3 on sys.path) imports the handler, loads the model from
S3 (a moto server on 127.0.0.1) and answers. Target ≤ 0.6 s from process start to the
answer (Lambda keeps the process after answering, so the interpreter's teardown, in the
"wall" column, is never on a request's path); the app's old service took 1.27 s just to
start. Compared: the layers' shipped .pyc files vs ignoring them (what a
layer without bytecode would cost). Prints every function's unzipped size too.

Models come from the source tree's trainers on a seeded MariaDB database, so this needs
`make build`, the trainers and a MariaDB server (as the tests do).
"""

from __future__ import annotations

import json
import os
import statistics
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
from scripts.package_size import built_functions, report
from tests.support.demo import load_into, sales_history
from tests.support.mariadb import mariadb_server

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = Path(os.environ.get("AKTINA_SAM_BUILD_DIR", ROOT / ".aws-sam" / "build"))
EVENTS = BUILD_DIR.parent.parent / "events"
BUCKET = "aktina-ml-bench"
RUNS = 5
TARGET_SECONDS = 0.6


def get_events() -> dict[tuple[str, str], list[Path]]:
    found: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(EVENTS.glob("*.json")):
        event = json.loads(path.read_text())
        if event.get("httpMethod") == "GET":
            found.setdefault(("GET", event["resource"]), []).append(path)
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


def main() -> None:
    if not (BUILD_DIR / "template.yaml").exists():
        print(f"no {BUILD_DIR}/template.yaml: run `make build` first")
        return
    functions = built_functions(BUILD_DIR)
    print("unzipped sizes (function + its layers):")
    sizes = {f.name: size for f, size in report(functions)}
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        os.environ.setdefault(key, value)
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
        events = get_events()
        print(f"\ncold start per GET path, median (best) of {RUNS} fresh processes")
        print(f"target: ≤ {TARGET_SECONDS} s from start to answer with the shipped bytecode")
        print(
            f"{'function':<18} {'route':<24} {'bytecode':<9} {'to answer s':>14} "
            f"{'import s':>9} {'answer s':>9} {'wall s':>7} {'status':>6} {'MB':>6}"
        )
        with tempfile.TemporaryDirectory() as tmp:
            runtime = link_runtime_packages(Path(tmp) / "runtime")
            for function in functions:
                for route in function.routes:
                    for event in events.get((route.method, route.path), []):
                        for ignore in (False, True):
                            runs = [
                                invoke(function, event, runtime, env, ignore_bytecode=ignore)
                                for _ in range(RUNS)
                            ]
                            done = [r["answered_seconds"] for r in runs]
                            to_answer = statistics.median(done)
                            wall = statistics.median(r["wall_seconds"] for r in runs)
                            imp = statistics.median(r["import_seconds"] for r in runs)
                            ans = statistics.median(r["answer_seconds"] for r in runs)
                            over = not ignore and to_answer > TARGET_SECONDS
                            flag = "  OVER TARGET" if over else ""
                            print(
                                f"{function.name:<18} {route.path:<24} "
                                f"{'ignored' if ignore else 'shipped':<9} "
                                f"{to_answer:>6.3f} ({min(done):.3f}) "
                                f"{imp:>9.3f} {ans:>9.3f} {wall:>7.3f} "
                                f"{runs[0]['response']['statusCode']:>6} "
                                f"{sizes[function.name] / 1e6:>6.1f}{flag}"
                            )
    finally:
        server.stop()

"""``aktina-ml demo`` and ``aktina-ml serve``: training with progress, MySQL source, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from aktina_ml.cli import main
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.demo.loader import load_mysql
from aktina_ml.model_store.backends import LocalBackend
from aktina_ml.model_store.store import ModelStore

ROOT = Path(__file__).resolve().parents[2]
TIMEZONE = "America/Chicago"
SMALL = ["--retailers", "150", "--orders", "12000", "--days", "400", "--seed", "3"]


@pytest.fixture
def env(monkeypatch, tmp_path):
    """Environment the commands may change, restored afterwards; no developer database."""
    for name in ("AKTINA_DATABASE_URL", "AKTINA_DB_HOST", "AKTINA_DB_SECRET_ARN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(tmp_path / "models"))
    monkeypatch.setenv("AKTINA_TIMEZONE", TIMEZONE)
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "WARNING")
    return monkeypatch


def promoted(store_dir: Path) -> dict[str, bool]:
    store = ModelStore(LocalBackend(store_dir))
    names = ("segmentation", "forecast", "demand")
    return {name: store.current(name) is not None for name in names}


def test_demo_generates_trains_every_model_and_reports_progress(env, tmp_path, capsys):
    # When the one-command demo runs without serving, on a small dataset
    code = main(
        [
            "demo",
            "--no-serve",
            "--data-dir",
            str(tmp_path / "demo"),
            "--model-store",
            str(tmp_path / "store"),
            *SMALL,
        ]
    )
    # Then every model is promoted into the store it was given, with an earlier forecast
    # before today's (so that forecast monitoring has one to score); the demo's item lines
    # give demand its units
    assert code == 0
    assert promoted(tmp_path / "store") == {
        "segmentation": True,
        "forecast": True,
        "demand": True,
    }
    assert (tmp_path / "demo" / "orders.csv").is_file()
    store = ModelStore(LocalBackend(tmp_path / "store"))
    monitoring = store.current("forecast").metadata["monitoring"]
    assert monitoring["summary"]["7"]["forecasts"] == 1
    assert monitoring["summary"]["30"]["forecasts"] == 1
    # And each step said what it did, monitoring in words
    err = capsys.readouterr().err
    assert "[1/5] generating demo data: 150 retailers" in err
    assert "[2/5] training segmentation" in err
    assert "[3/5] training an earlier forecast, as of 60 days ago" in err
    assert "[4/5] training forecast" in err
    assert "[5/5] training demand" in err
    assert err.count("promoted ") == 4
    assert "monitoring: 7 days ahead MASE " in err
    assert "drift not judged yet: not enough scored forecasts yet" in err
    # And nothing else: no library notices, no JSON log lines
    assert "plotly" not in err
    assert "Chain [1]" not in err
    assert '"level"' not in err


def test_demo_trains_from_mysql_when_a_database_is_configured(env, tmp_path, laravel_db, capsys):
    # Given the Laravel database holding a small demo dataset that ends yesterday
    yesterday = datetime.now(ZoneInfo(TIMEZONE)).date() - timedelta(days=1)
    spec = DemoSpec(
        retailers=150, orders=12_000, days=400, end=yesterday, seed=5, timezone=TIMEZONE
    )
    load_mysql(laravel_db.connection, generate(spec), method="executemany")
    db = laravel_db.settings
    env.setenv(
        "AKTINA_DATABASE_URL",
        f"mysql://{db.user}:{db.password.get_secret_value()}@{db.host}:{db.port}/{db.database}",
    )
    # When the demo runs with its default source (auto)
    code = main(["demo", "--no-serve", "--data-dir", str(tmp_path / "unused")])
    # Then it trained every model from MySQL (demand from the products and item lines) and
    # generated no demo files
    assert code == 0
    assert promoted(tmp_path / "models") == {
        "segmentation": True,
        "forecast": True,
        "demand": True,
    }
    assert not (tmp_path / "unused").exists()
    assert f"from MySQL {db.host}:{db.port}/{db.database}" in capsys.readouterr().err


def test_serve_prints_its_urls_and_stops_cleanly_on_ctrl_c(tmp_path):
    # Given `aktina-ml serve` on a free port with an empty model store
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(ROOT)]),
        "AKTINA_MODEL_STORE": str(tmp_path / "models"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "aktina_ml", "serve", "--port", "0", "--api-key", "k-1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        lines = []
        while not any("API base URL" in line for line in lines):
            line = process.stdout.readline()
            assert line, f"serve ended early: {process.stderr.read()}"
            lines.append(line)
        base = next(line for line in lines if "API base URL" in line).split()[-1]
        # The API answers with the printed key
        request = urllib.request.Request(f"{base}/health", headers={"x-api-key": "k-1"})
        with pytest.raises(urllib.error.HTTPError) as answer:  # 503: no model trained yet
            urllib.request.urlopen(request, timeout=10)
        assert json.load(answer.value)["status"] == "degraded"
        # When Ctrl-C arrives
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=10)
        # Then it stops at once with status 0, without a traceback
        assert code == 0
        assert time.monotonic() - started < 5
        stderr = process.stderr.read()
        assert "Traceback" not in stderr
        assert "stopping" in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

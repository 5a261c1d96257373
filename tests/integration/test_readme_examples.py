"""The README's curl examples, run as written against the local server with trained models."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from aktina_ml.config import load_settings
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.local.routes import ROUTES
from aktina_ml.local.server import LocalApi
from aktina_ml.training import train_from_csv
from tests.support.local_server import running

ROOT = Path(__file__).resolve().parents[2]
KEY = "readme-key"
TIMEZONE = "America/Chicago"


def readme_commands() -> tuple[str, list[str]]:
    """The variables block and each curl command (continued lines joined) of the README."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- curl-examples: begin -->\n```bash\n(.*?)```", text, re.S)
    assert block, "README.md lost its curl examples"
    lines = block[1].splitlines()
    setup = "\n".join(line for line in lines if re.match(r"(BASE|KEY)=", line))
    commands: list[str] = []
    current = ""
    for line in lines:
        if re.match(r"(BASE|KEY)=", line) or not line.strip():
            continue
        current += line + "\n"
        if not line.rstrip().endswith(("\\", "|")) and current.count("'") % 2 == 0:
            commands.append(current)
            current = ""
    return setup, commands


def run_as_written(setup: str, command: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run a README command in bash with the base URL and key the local server printed."""
    script = f"set -o pipefail\n{setup}\nBASE={url}\nKEY={KEY}\n{command}"
    return subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": os.environ["PATH"]},
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("readme")
    spec = DemoSpec(
        retailers=120, orders=9000, days=200, end=date.today() - timedelta(1), timezone=TIMEZONE
    )
    generate(spec).write_csv(base / "demo")
    settings = load_settings(model_store=str(base / "models"), timezone=TIMEZONE)
    results = train_from_csv(["segmentation", "forecast"], base / "demo", settings)
    assert all(r.promoted for r in results), [r.reason for r in results]
    models: Path = base / "models"
    return models


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is needed (apt-get install curl)")
def test_every_curl_example_in_the_readme_answers(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the README's examples and the local server with both models
    setup, commands = readme_commands()
    # They cover every route of the API
    shown = {found[1] for c in commands if (found := re.search(r'\$BASE(/[^"?]*)', c))}
    assert len(shown) == len(commands)
    for route in ROUTES:
        pattern = re.sub(r"\{\w+\}", "[^/]+", route.resource)
        assert any(re.fullmatch(pattern, path) for path in shown), route.resource
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(store))
    monkeypatch.setenv("AKTINA_TIMEZONE", TIMEZONE)
    with running(LocalApi(KEY, log=lambda message: None)) as server:
        for command in commands:
            # When each is run as written, with the printed base URL and key
            done = run_as_written(setup, command, server.url)
            # Then it answers JSON that is not an error
            assert done.returncode == 0, (command, done.stderr)
            answer = json.loads(done.stdout)
            assert not (isinstance(answer, dict) and set(answer) <= {"message", "detail"}), (
                command,
                answer,
            )


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is needed (apt-get install curl)")
def test_what_the_readme_says_about_the_key_and_the_content_type_holds(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the README's examples, one without its API key and one POST without its
    # Content-Type (curl -d then sends a form content type), each printing only the status
    setup, commands = readme_commands()
    text = " ".join((ROOT / "README.md").read_text().split())
    assert "(403 without it)" in text
    assert "curl's `-d` alone sends a form content type, which is a 415" in text
    status = "curl -sS -o /dev/null -w '%{http_code}'"
    health = next(c for c in commands if '"$BASE/health"' in c)
    post = next(c for c in commands if '"$BASE/segments/assign"' in c)
    cases = {
        health.replace(' -H "x-api-key: $KEY"', "").replace("curl -sS", status): "403",
        post.replace(' -H "Content-Type: application/json"', "").replace("curl -sS", status): "415",
    }
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(store))
    monkeypatch.setenv("AKTINA_TIMEZONE", TIMEZONE)
    with running(LocalApi(KEY, log=lambda message: None)) as server:
        for command, expected in cases.items():
            # When each is run
            done = run_as_written(setup, command, server.url)
            # Then the answer's status is the one the README names
            assert (done.returncode, done.stdout) == (0, expected), (command, done.stderr)

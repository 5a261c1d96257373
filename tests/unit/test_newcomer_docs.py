"""What a newcomer reads first stays true: make help, .env.example, docs/deploy.md commands."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aktina_ml.config import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]


def joined_commands(text: str) -> list[str]:
    """Shell commands of the ```bash blocks, continuation lines joined."""
    commands: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        commands += [c.strip() for c in block.replace("\\\n", " ").splitlines() if c.strip()]
    return commands


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_every_documented_target() -> None:
    # Given the Makefile's targets that carry a ## comment
    makefile = (ROOT / "Makefile").read_text()
    documented = re.findall(r"^([a-z][a-z-]*):[^#\n]*## (.+)$", makefile, re.M)
    assert len(documented) >= 10
    # When a newcomer types `make help` (also what plain `make` does)
    shown = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    # Then every one of them is listed with its description
    for target, description in documented:
        assert re.search(rf"^  {re.escape(target)} +{re.escape(description)}$", shown, re.M)
    default = subprocess.run(["make", "-s", "-n"], cwd=ROOT, capture_output=True, text=True)
    assert "make TARGET" in default.stdout


def test_env_example_names_only_real_settings() -> None:
    # Every AKTINA_* variable in .env.example is one the settings model (or the test harness) reads
    names = re.findall(r"^#? ?(AKTINA_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    assert names
    known = {f"{ENV_PREFIX}{field.upper()}" for field in Settings.model_fields}
    known.add("AKTINA_TEST_DATABASE_URL")  # tests/support/mariadb.py
    assert set(names) <= known, set(names) - known
    # And .env itself is never committed
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_deploy_guide_commands_work_as_written_with_cli_v2() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    commands = joined_commands(guide)
    longest = max(
        int(t)
        for t in re.findall(r"^\s+Timeout: (\d+)", (ROOT / "template.yaml").read_text(), re.M)
    )
    invokes = [c for c in commands if c.startswith("aws lambda invoke")]
    assert invokes
    for command in invokes:
        # CLI v2 reads --payload as base64 without this flag
        assert "--cli-binary-format raw-in-base64-out" in command, command
        # and gives up (then retries: a second training) after 60 s unless told to wait longer
        timeout = re.search(r"--cli-read-timeout (\d+)", command)
        assert timeout, command
        assert int(timeout[1]) > longest, command
    # samconfig.toml asks to confirm each change set: the non-interactive deploy must say no
    assert "confirm_changeset = true" in (ROOT / "samconfig.toml").read_text()
    deploys = [c for c in commands if "sam deploy" in c and "--guided" not in c]
    assert deploys
    assert all("--no-confirm-changeset" in c for c in deploys), deploys

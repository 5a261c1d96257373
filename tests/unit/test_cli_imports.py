"""``aktina-ml`` answers --help and a missing input file before it loads a heavy library."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
HEAVY = {"numpy", "pandas", "sklearn", "prophet", "pydantic", "pydantic_settings", "boto3"}
PROBE = """
import sys
from aktina_ml.cli import main
heavy, argv = set(sys.argv[1].split(",")), sys.argv[2:]
try:
    code = main(argv)
except SystemExit as stopped:  # argparse, after printing the help
    code = stopped.code
print(code, sorted({m.split(".")[0] for m in sys.modules} & heavy), file=sys.__stdout__)
"""


def run(*argv: str) -> tuple[str, str]:
    """The exit status and the heavy packages loaded (last line of stdout), and stderr."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SHARED)},
        check=False,
    )
    return done.stdout.strip().splitlines()[-1], done.stderr


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["segment", "--help"], ["forecast", "--help"], ["train", "--help"]],
)
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    # When the help of the command (or of a subcommand) is asked for
    out, _ = run(",".join(sorted(HEAVY)), *argv)
    # Then it answers with status 0 and none of them was imported
    assert out == "0 []"


@pytest.mark.parametrize(
    "argv",
    [["segment", "--retailers", "{missing}"], ["forecast", "--sales", "{missing}"]],
)
def test_a_missing_input_file_is_said_before_any_library_loads(
    argv: list[str], tmp_path: Path
) -> None:
    missing = str(tmp_path / "missing.csv")
    # When a command is given a file that is not there
    out, err = run(",".join(sorted(HEAVY)), *(a.format(missing=missing) for a in argv))
    # Then it says so in one line, with status 2, and nothing heavy was imported
    assert out == "2 []"
    assert err == f"aktina-ml {argv[0]}: {missing}: no such file\n"

"""``aktina-ml`` answering at once: --help and a missing input file, each beside the libraries
the parser no longer loads, in one run.

Each figure is the median (best) of RUNS fresh processes, wall and CPU (user + system)
seconds; the machine is shared, so CPU seconds are the steadier figure. Rows:
- ``python -c pass``: the interpreter alone, the floor;
- ``aktina-ml --help`` and ``aktina-ml segment --retailers missing.csv``: as shipped;
- ``... + eager imports``: the same after importing what building the parser used to import
  (the settings, the CSV reader with pandas, the training runner, the store), the previous
  code path. Target: --help ≤ 0.3 s.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
EAGER = (
    "import aktina_ml.config, aktina_ml.data.csv, aktina_ml.training, "
    "aktina_ml.forecasting.artifact, aktina_ml.model_store.store; "
)
CLI = "import sys; from aktina_ml.cli import main; sys.exit(main(sys.argv[1:]))"


def timed(code: str, *argv: str) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "shared")},
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def row(label: str, code: str, *argv: str) -> None:
    runs = [timed(code, *argv) for _ in range(RUNS)]
    wall = [w for w, _ in runs]
    cpu = [c for _, c in runs]
    print(
        f"{label:<52} {statistics.median(wall):>6.3f} ({min(wall):.3f}) "
        f"{statistics.median(cpu):>6.3f} ({min(cpu):.3f})"
    )


def main() -> None:
    print(f"median (best) of {RUNS} fresh processes, seconds")
    print(f"{'command':<52} {'wall':>14} {'cpu':>14}")
    row("python -c pass", "pass")
    row("aktina-ml --help", CLI, "--help")
    row("aktina-ml --help + eager imports (previous)", EAGER + CLI, "--help")
    missing = ("segment", "--retailers", "missing.csv")
    row("aktina-ml segment --retailers missing.csv", CLI, *missing)
    row("... + eager imports (previous)", EAGER + CLI, *missing)
    row(
        "... + sklearn.cluster (previous: before the check)",
        "import sklearn.cluster; " + EAGER + CLI,
        *missing,
    )


if __name__ == "__main__":
    main()

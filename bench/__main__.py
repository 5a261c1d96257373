"""Run benchmarks: `python -m bench` runs every suite, `python -m bench NAME…` the named ones.

Each suite is a module `bench/<name>.py` with a `main()` that prints its figures.
"""

import importlib
import pkgutil
import sys
from pathlib import Path

suites = sorted(
    m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name != "common"
)
chosen = sys.argv[1:] or suites
unknown = sorted(set(chosen) - set(suites))
if unknown:
    sys.exit(f"unknown suite(s) {unknown}; available: {', '.join(suites)}")
for name in chosen:
    print(f"\n=== bench/{name}.py")
    importlib.import_module(f"bench.{name}").main()

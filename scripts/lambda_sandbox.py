"""Run a BUILT function's handler as Lambda would: a fresh interpreter whose sys.path holds
only the function's code, its layers' python/ directories and the runtime's own packages."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scripts.package_size import BuiltFunction

# What Lambda's python3.13 runtime provides besides the standard library.
RUNTIME_PACKAGES = (
    *("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3"),
    "snapshot_restore_py",  # SnapStart's runtime hooks
)

RUNNER = """
import time
started = time.perf_counter()
import importlib, json, os, sys
sys.path[:0] = json.loads(sys.argv[1])
module_name, _, function_name = sys.argv[3].rpartition(".")
handler = getattr(importlib.import_module(module_name), function_name)
imported = time.perf_counter()

class Context:
    function_name = "sandbox"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:sandbox"
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    def get_remaining_time_in_millis(self):
        return 300000

with open(sys.argv[2]) as handle:
    response = handler(json.load(handle), Context())
answered = time.perf_counter()
# The layers: after the function's code, before the runtime (real paths, as modules report).
layers = tuple(os.path.join(os.path.realpath(p), "") for p in json.loads(sys.argv[1])[1:-1])

def compiled_at_import(module):
    file, cached = getattr(module, "__file__", None), getattr(module, "__cached__", None)
    return bool(file and cached and os.path.realpath(file).startswith(layers)
                and not os.path.exists(cached))

print(json.dumps({
    "response": response,
    "modules": sorted({name.split(".")[0] for name in sys.modules}),
    "uncompiled": sorted(n for n, m in list(sys.modules.items()) if compiled_at_import(m)),
    "files": {n: getattr(sys.modules.get(n), "__file__", None) for n in ("aktina_ml", "numpy")},
    "import_seconds": imported - started,
    "answer_seconds": answered - imported,
    "answered_at": answered,
}, default=str))
"""


def link_runtime_packages(directory: Path) -> Path:
    """Link boto3 & co. from this interpreter into ``directory`` (the runtime's packages)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_PACKAGES:
        origin = Path(importlib.util.find_spec(name).origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        if not (directory / source.name).exists():
            (directory / source.name).symlink_to(source)
    return directory


def invoke(
    function: BuiltFunction,
    event: Path,
    runtime_dir: Path,
    environment: dict[str, str],
    *,
    ignore_bytecode: bool = False,
    timeout: float = 600,
    python: str = sys.executable,
) -> dict[str, Any]:
    """Answer ``event`` with the built handler in a fresh ``python -I -S`` process.

    Returns the runner's report (the answer, the top-level modules imported, ``uncompiled``:
    modules imported from the layers without a shipped .pyc, each phase's seconds) plus
    ``wall_seconds`` (process start to exit) and ``answered_seconds`` (process start to the
    answer: what a cold start costs on Lambda, whose runtime keeps the process after
    answering instead of tearing it down). Raises RuntimeError with the process's stderr
    when the handler fails. ``ignore_bytecode`` makes Python skip the shipped .pyc files (as
    if the layers had none); ``python`` is the interpreter (the one the build was compiled for).
    """
    env = {
        "PATH": os.environ["PATH"],
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        # Template values that are plain strings (intrinsics such as !Sub come in environment).
        **{k: v for k, v in function.environment.items() if isinstance(v, str)},
        **environment,
    }
    # -B: nothing written into the build (Lambda's /opt is read-only too), so sizes stay true.
    flags = ["-I", "-S", "-B", *(["-X", "pycache_prefix=/nonexistent"] if ignore_bytecode else [])]
    paths = json.dumps([str(p) for p in (*function.import_path, runtime_dir)])
    started = time.perf_counter()
    completed = subprocess.run(
        [python, *flags, "-c", RUNNER, paths, str(event), function.handler],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{function.name} failed on {event.name}:\n{completed.stderr[-4000:]}")
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = wall
    # perf_counter is CLOCK_MONOTONIC, one clock for every process of the machine.
    report["answered_seconds"] = report["answered_at"] - started
    return report

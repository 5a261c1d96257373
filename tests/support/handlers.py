"""Import a Lambda handler module from functions/<name>/app.py, fresh each time.

Every function's module is called ``app`` (as Lambda imports it), so tests load them under
distinct names; a fresh import re-reads the settings from the environment, as a cold start does.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def load_handler(function: str) -> ModuleType:
    path = FUNCTIONS / function / "app.py"
    spec = importlib.util.spec_from_file_location(f"lambda_{function}_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HEAVY_MODULES = ("pandas", "prophet", "sklearn", "scipy")


def answer_in_fresh_process(
    function: str, event_file: str, model_store: Path
) -> tuple[int, dict[str, Any] | None, list[str]]:
    """A cold start: ``functions/<function>/app.py`` answers ``events/<event_file>`` in a new
    interpreter over ``model_store``; its status, JSON body and the heavy libraries imported."""
    root = FUNCTIONS.parent
    script = f"""
import json, sys
from types import SimpleNamespace
from functions.{function}.app import lambda_handler
event = json.load(open({str(root / "events" / event_file)!r}))
context = SimpleNamespace(function_name={function!r}, memory_limit_in_mb=512,
    invoked_function_arn="arn:aws:lambda:eu-west-1:123456789012:function:{function}",
    aws_request_id="1")
response = lambda_handler(event, context)
body = json.loads(response["body"]) if response["body"] else None
print(json.dumps([response["statusCode"], body,
                  sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules)]))
"""
    env = {
        "AKTINA_MODEL_STORE": str(model_store),
        "PYTHONPATH": f"{root / 'shared'}:{root}",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    status, body, heavy = json.loads(out.stdout.strip().splitlines()[-1])
    return status, body, heavy

"""Import a Lambda handler module from functions/<name>/app.py, fresh each time.

Every function's module is called ``app`` (as Lambda imports it), so tests load them under
distinct names; a fresh import re-reads the settings from the environment, as a cold start does.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def load_handler(function: str) -> ModuleType:
    path = FUNCTIONS / function / "app.py"
    spec = importlib.util.spec_from_file_location(f"lambda_{function}_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

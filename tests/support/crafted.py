"""Crafted artifacts: what an attacker with write access to the bucket could put there."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import joblib


class RunsCode:
    """Unpickling this calls ``os.system`` (the classic ``__reduce__`` payload)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def code_running_pickle(marker: Path) -> bytes:
    """joblib bytes that create ``marker`` when loaded by plain joblib/pickle."""
    buffer = io.BytesIO()
    joblib.dump({"centroids": RunsCode(marker)}, buffer)
    return buffer.getvalue()

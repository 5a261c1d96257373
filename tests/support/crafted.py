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


def _global(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _int(value: int) -> bytes:
    return b"\x8a" + bytes([8]) + value.to_bytes(8, "little", signed=True)  # LONG1


def _joblib_with_nested_bytearray(size: int) -> bytes:
    """An object array whose nested pickle declares a bytearray of ``size`` bytes."""
    import numpy as np

    array = np.empty(1, dtype=object)
    array[0] = bytearray(b"xyz")
    buffer = io.BytesIO()
    joblib.dump({"centroids": array}, buffer, protocol=5)
    data = buffer.getvalue()
    declared = b"\x96" + (3).to_bytes(8, "little") + b"xyz"
    assert data.count(declared) == 1
    return data.replace(declared, b"\x96" + size.to_bytes(8, "little") + b"xyz")


def allocation_bombs() -> dict[str, bytes]:
    """Pickles of allow-listed names only (nothing runs code) that allocate gigabytes when
    loaded without bounds: tens of bytes each."""
    proto = b"\x80\x04"
    return {
        "bytearray(3e9)": proto + _global("builtins", "bytearray") + _int(3 * 10**9) + b"\x85R.",
        "set(range(3e7))": proto
        + _global("builtins", "set")
        + _global("builtins", "range")
        + _int(3 * 10**7)
        + b"\x85R\x85R.",
        "frozenset(range(3e7))": proto
        + _global("builtins", "frozenset")
        + _global("builtins", "range")
        + _int(3 * 10**7)
        + b"\x85R\x85R.",
        "BYTEARRAY8 of 3e9": b"\x80\x05\x96" + (3 * 10**9).to_bytes(8, "little") + b"abc.",
        "ndarray _reconstruct of 3e9": proto
        + _global("numpy._core.multiarray", "_reconstruct")
        + _global("numpy", "ndarray")
        + _int(3 * 10**9)
        + b"\x85C\x01b\x87R.",
        "object array holding a BYTEARRAY8 of 3e9": _joblib_with_nested_bytearray(3 * 10**9),
    }

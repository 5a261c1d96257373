"""CmdStan's data and inits files for Prophet's fit, written by the C JSON encoder (numpy
and json only: the request path writes them without importing Prophet or cmdstanpy).

cmdstanpy writes them with ``stanio.write_stan_json``, which converts every number with a
Python call and, without ujson, encodes with ``json.JSONEncoder().iterencode`` (the pure
Python encoder): about two thirds of a Prophet fit on a year of days. :func:`dumps` gives the
same text (the same separators, and ``float.__repr__`` for every number, so the file is
identical byte for byte: tests/unit/test_forecast_stan_data.py) with one ``json.dumps``
call; :mod:`~aktina_ml.forecasting.stan_backend` hands files written that way to CmdStan
through Prophet's own backend.

The seasonal feature matrix ``X`` is most of the data file, and training fits Prophet on
prefixes of one history (the backtest's folds) twice per fold (two variants): its rows
repeat, so each row's text is kept (:func:`rows_text`) and the matrix is written by joining
them, which gives the same bytes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

_PLAIN = (float, int)
_PLAIN_TYPES = frozenset(_PLAIN)
MAX_ROWS = 20_000  # row texts kept (a few trainings' days; at most ~15 MB)
_ROWS: dict[bytes, str] = {}
_ROWS_LOCK = threading.Lock()


def _plain(value: Any) -> Any:
    """``value`` as stanio's ``process_value`` would give it, when that is cheap to see."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, np.ndarray | np.generic):
        array = np.asarray(value)
        if array.dtype.kind in "iuf":
            return array.tolist()
        raise TypeError(f"not a plain number array: {array.dtype}")
    if isinstance(value, list):
        kinds = set(map(type, value))  # (map and set: no Python call per number)
        if kinds <= _PLAIN_TYPES:
            return value
        if kinds == {list}:
            return [_plain(item) for item in value]
        raise TypeError("a list of mixed values")
    if type(value) in _PLAIN:
        return value
    raise TypeError(f"not a plain value: {type(value).__name__}")


def rows_text(matrix: np.ndarray) -> str:
    """``json.dumps(matrix.tolist())`` of a 2-D float64 array, each row's text remembered
    (one thread at a time: two fits of one fold write the same rows)."""
    texts = []
    with _ROWS_LOCK:
        for row in matrix:
            key = row.tobytes()  # (equal bytes: equal floats, so equal text)
            text = _ROWS.get(key)
            if text is None:
                if len(_ROWS) >= MAX_ROWS:
                    _ROWS.clear()
                text = _ROWS[key] = json.dumps(row.tolist())
            texts.append(text)
    return "[" + ", ".join(texts) + "]"


def dumps(data: Mapping[str, Any], matrices: Mapping[str, np.ndarray] | None = None) -> str:
    """The text ``stanio.dump_stan_json(data)`` gives, in C-encoder calls where it can.

    ``matrices``: for some keys of ``data`` (lists of lists), the same values as 2-D float64
    arrays, written row by row with :func:`rows_text`."""
    rows = {k: m for k, m in (matrices or {}).items() if m.ndim == 2 and m.dtype == np.float64}
    try:
        return (
            "{"
            + ", ".join(
                json.dumps(key)
                + ": "
                + (rows_text(rows[key]) if key in rows else json.dumps(_plain(value)))
                for key, value in data.items()
            )
            + "}"
        )
    except TypeError:  # anything unusual: stanio's own conversion
        from stanio.json import dump_stan_json

        return dump_stan_json(data)


def write_stan_json(
    path: str | Path, data: Mapping[str, Any], matrices: Mapping[str, np.ndarray] | None = None
) -> None:
    """Write ``data`` as CmdStan's JSON (the file ``stanio.write_stan_json`` writes)."""
    Path(path).write_text(dumps(data, matrices), encoding="utf-8")

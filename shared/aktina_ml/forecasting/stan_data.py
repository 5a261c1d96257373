"""CmdStan's data and inits files for Prophet's fit, written by the C JSON encoder.

cmdstanpy writes them with ``stanio.write_stan_json``, which converts every number with a
Python call and, without ujson, encodes with ``json.JSONEncoder().iterencode`` (the pure
Python encoder): about two thirds of a Prophet fit on a year of days. :func:`dumps` gives the
same text (the same separators, and ``float.__repr__`` for every number, so the file is
identical byte for byte: tests/unit/test_forecast_stan_data.py) with one ``json.dumps``
call, and :class:`Backend` is Prophet's own cmdstanpy backend handing CmdStan files written
that way (cmdstanpy accepts file paths for both).

The seasonal feature matrix ``X`` is most of the data file, and training fits Prophet on
prefixes of one history (the backtest's folds) twice per fold (two variants): its rows
repeat, so each row's text is kept (:func:`rows_text`) and the matrix is written by joining
them, which gives the same bytes.

CmdStan's console output goes straight to the run's output file (:class:`Model`): cmdstanpy
reads it line by line and, once the output has ended, polls the process in a busy loop until
it exits (about a thousand empty reads per fit, 18,000 in a training of bike sharing).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from cmdstanpy import CmdStanModel
from cmdstanpy.stanfit import RunSet
from prophet.models import CmdStanPyBackend

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


class Model(CmdStanModel):
    """cmdstanpy's model, with CmdStan writing its console output to the run's file itself
    (the same text cmdstanpy copies there line by line) while this process waits for it."""

    def _run_cmdstan(
        self,
        runset: RunSet,
        idx: int,
        show_progress: bool = False,
        show_console: bool = False,
        progress_hook: Any = None,
        timeout: float | None = None,
    ) -> None:
        if show_progress or show_console or progress_hook is not None or timeout:
            return super()._run_cmdstan(
                runset, idx, show_progress, show_console, progress_hook, timeout
            )
        with open(runset.stdout_files[idx], "w") as output:
            try:
                retcode = subprocess.call(
                    runset.cmd(idx),
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=os.environ,
                )
            except OSError as e:  # (as cmdstanpy reports it)
                raise RuntimeError(f"Failed with error {e}\n") from e
        runset._set_retcode(idx, retcode)
        return None


class Backend(CmdStanPyBackend):
    """Prophet's cmdstanpy backend, with the data and inits files written by :func:`dumps`
    and CmdStan run by :class:`Model`."""

    def load_model(self) -> CmdStanModel:
        model = super().load_model()
        model.__class__ = Model  # (the same model; only how a run's output is kept differs)
        return model

    def fit(self, stan_init: dict[str, Any], stan_data: dict[str, Any], **kwargs: Any) -> Any:
        if "data" in kwargs or "inits" in kwargs or "init" in kwargs:
            return super().fit(stan_init, stan_data, **kwargs)
        inits, data = self.prepare_data(stan_init, stan_data)
        with tempfile.TemporaryDirectory(prefix="aktina-stan-") as folder:
            data_file, inits_file = Path(folder, "data.json"), Path(folder, "inits.json")
            features = stan_data.get("X")
            matrices = {"X": np.asarray(features)} if features is not None else None
            write_stan_json(data_file, data, matrices)
            write_stan_json(inits_file, inits)
            return super().fit(
                stan_init, stan_data, data=str(data_file), inits=str(inits_file), **kwargs
            )

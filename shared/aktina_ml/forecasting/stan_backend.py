"""Prophet's cmdstanpy backend with CmdStan's input files written by
:mod:`~aktina_ml.forecasting.stan_data` (without the JSON tax) and CmdStan's console output
going straight to the run's output file (:class:`Model`): cmdstanpy reads it line by line
and, once the output has ended, polls the process in a busy loop until it exits (about a
thousand empty reads per fit, 18,000 in a training of bike sharing).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from cmdstanpy import CmdStanModel
from cmdstanpy.stanfit import RunSet
from prophet.models import CmdStanPyBackend

from aktina_ml.forecasting import stan_data as stan_json  # (Prophet names its data stan_data)


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
    """Prophet's cmdstanpy backend, with the data and inits files written by
    :func:`~aktina_ml.forecasting.stan_data.dumps`
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
            stan_json.write_stan_json(data_file, data, matrices)
            stan_json.write_stan_json(inits_file, inits)
            return super().fit(
                stan_init, stan_data, data=str(data_file), inits=str(inits_file), **kwargs
            )

"""CmdStan's input files for Prophet: the fast writer gives stanio's bytes and the same fits."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cmdstanpy import CmdStanModel
from prophet.models import CmdStanPyBackend
from stanio.json import write_stan_json as stanio_write

from aktina_ml.forecasting import candidates, choice, stan_backend, stan_data
from aktina_ml.forecasting import prophet_model as model
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.prophet_config import config_for
from tests.support.real_series import real_series

SERIES = real_series()


def captured_inputs(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[dict[str, Any], dict[str, np.ndarray] | None]]:
    """The data and inits dicts a real Prophet fit on ``name`` hands to CmdStan, each with
    the matrices written row by row."""
    seen: list[tuple[dict[str, Any], dict[str, np.ndarray] | None]] = []
    write = stan_data.write_stan_json

    def recording(
        path: str | Path, data: dict[str, Any], matrices: dict[str, np.ndarray] | None = None
    ) -> None:
        seen.append((data, matrices))
        write(path, data, matrices)

    history = SERIES[name]
    with monkeypatch.context() as patched:
        patched.setattr(stan_data, "write_stan_json", recording)
        model.fit(history, config_for(len(history), ForecastConfig()))
    return seen


@pytest.mark.parametrize("name", sorted(SERIES))
def test_files_are_byte_for_byte_stanios(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given the data and inits a Prophet fit on a real series writes
    inputs = captured_inputs(name, monkeypatch)
    assert inputs[0][1] is not None
    assert list(inputs[0][1]) == ["X"]
    assert [sorted(d) for d, _ in inputs] == [
        sorted(
            [
                "T",
                "S",
                "K",
                "tau",
                "trend_indicator",
                "y",
                "t",
                "cap",
                "t_change",
                "s_a",
                "s_m",
                "X",
                "sigmas",
            ]
        ),
        sorted(["k", "m", "delta", "beta", "sigma_obs"]),
    ]
    for i, (data, matrices) in enumerate(inputs):
        # When both writers write the file (ours twice: the second time from remembered rows)
        stanio_write(str(tmp_path / f"stanio{i}.json"), data)
        for attempt in range(2):
            stan_data.write_stan_json(tmp_path / f"fast{i}.json", data, matrices)
            # Then the bytes are the same
            fast = (tmp_path / f"fast{i}.json").read_bytes()
            assert fast == (tmp_path / f"stanio{i}.json").read_bytes(), attempt


def test_unusual_values_fall_back_to_stanio() -> None:
    # Given values the one-call path does not take as they are (numpy ints, bools, tuples)
    data = {"a": np.int64(3), "b": [True, 2.5], "c": (1, 2), "d": np.array([1, 2]), "e": False}
    # Then the text is still stanio's
    from stanio.json import dump_stan_json

    assert stan_data.dumps(data) == dump_stan_json(data)


@pytest.mark.parametrize("name", ["app_sample", "bike_sharing"])
def test_forecasts_equal_prophets_own_backend(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a real series and Prophet as configured for it
    history = SERIES[name]
    config = config_for(len(history), ForecastConfig())
    # When it is fitted through the fast files and through Prophet's own backend
    fast = model.sample(model.fit(history, config), 60, config.seed)
    with monkeypatch.context() as patched:
        patched.setattr(stan_backend, "Backend", CmdStanPyBackend)
        stock = model.sample(model.fit(history, config), 60, config.seed)
    # Then point forecasts and sample paths are identical
    assert np.array_equal(fast[0], stock[0])
    assert np.array_equal(fast[1], stock[1])


def test_a_fallback_to_newton_gives_cmdstanpys_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a backtest fold whose L-BFGS run stops abnormally (Wikipedia Strasbourg, the
    # log variant on its first 445 days), so Prophet reruns it with Newton
    history, config = SERIES["wiki_strasbourg"].iloc[:445], ForecastConfig()
    final = choice.prophet_setups(len(SERIES["wiki_strasbourg"]), config)["log"]
    setup = choice.fold_setup(final, len(history), config, ForecastConfig.BACKTEST_SAMPLES)
    falls_back: list[str] = []
    watch = logging.Handler()
    watch.emit = lambda record: falls_back.append(record.getMessage())  # type: ignore[method-assign]
    monkeypatch.setattr(logging.getLogger("prophet"), "handlers", [watch])
    # When it is fitted with CmdStan writing its own output, and with cmdstanpy's runner
    ours = candidates.prophet_forecast(history, 91, setup)
    with monkeypatch.context() as patched:
        patched.setattr(stan_backend.Model, "_run_cmdstan", CmdStanModel._run_cmdstan)
        theirs = candidates.prophet_forecast(history, 91, setup)
    # Then both fell back to Newton, and the forecasts and paths are identical
    assert sum("Falling back to Newton" in m for m in falls_back) == 2
    assert np.array_equal(ours.point, theirs.point)
    assert np.array_equal(ours.paths, theirs.paths)


def test_a_runs_output_and_failure_are_cmdstanpys(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given Prophet's model run by stan_backend.Model, and by cmdstanpy's own runner
    backend = stan_backend.Backend()
    assert isinstance(backend.model, stan_backend.Model)
    history = SERIES["app_sample"]
    fitted = model.fit(history, config_for(len(history), ForecastConfig()))
    ours = Path(fitted.stan_backend.stan_fit.runset.stdout_files[0]).read_text()
    with monkeypatch.context() as patched:
        patched.setattr(stan_backend.Model, "_run_cmdstan", CmdStanModel._run_cmdstan)
        fitted = model.fit(history, config_for(len(history), ForecastConfig()))
        theirs = Path(fitted.stan_backend.stan_fit.runset.stdout_files[0]).read_text()
    # When the run's console output is read, and when CmdStan fails on bad data
    start = "Initial log joint probability"
    # Then the output from the optimiser on is the same text, and a failure is the same error
    assert start in ours
    assert ours[ours.index(start) :] == theirs[theirs.index(start) :]
    with pytest.raises(RuntimeError, match="Error during optimization"):
        backend.model.optimize(data={"T": -1}, algorithm="LBFGS")

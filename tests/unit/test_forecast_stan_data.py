"""CmdStan's input files for Prophet: the fast writer gives stanio's bytes and the same fits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from prophet.models import CmdStanPyBackend
from stanio.json import write_stan_json as stanio_write

from aktina_ml.forecasting import prophet_model as model
from aktina_ml.forecasting import stan_data
from aktina_ml.forecasting.config import ForecastConfig
from tests.support.real_series import real_series

SERIES = real_series()


def captured_inputs(name: str, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The data and inits dicts a real Prophet fit on ``name`` hands to CmdStan."""
    seen: list[dict[str, Any]] = []
    write = stan_data.write_stan_json

    def recording(path: str | Path, data: dict[str, Any]) -> None:
        seen.append(data)
        write(path, data)

    history = SERIES[name]
    with monkeypatch.context() as patched:
        patched.setattr(stan_data, "write_stan_json", recording)
        model.fit(history, model.config_for(len(history), ForecastConfig()))
    return seen


@pytest.mark.parametrize("name", sorted(SERIES))
def test_files_are_byte_for_byte_stanios(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given the data and inits a Prophet fit on a real series writes
    inputs = captured_inputs(name, monkeypatch)
    assert [sorted(d) for d in inputs] == [
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
    for i, data in enumerate(inputs):
        # When both writers write the file
        stan_data.write_stan_json(tmp_path / f"fast{i}.json", data)
        stanio_write(str(tmp_path / f"stanio{i}.json"), data)
        # Then the bytes are the same
        fast = (tmp_path / f"fast{i}.json").read_bytes()
        assert fast == (tmp_path / f"stanio{i}.json").read_bytes()


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
    config = model.config_for(len(history), ForecastConfig())
    # When it is fitted through the fast files and through Prophet's own backend
    fast = model.sample(model.fit(history, config), 60, config.seed)
    with monkeypatch.context() as patched:
        patched.setattr(stan_data, "Backend", CmdStanPyBackend)
        stock = model.sample(model.fit(history, config), 60, config.seed)
    # Then point forecasts and sample paths are identical
    assert np.array_equal(fast[0], stock[0])
    assert np.array_equal(fast[1], stock[1])

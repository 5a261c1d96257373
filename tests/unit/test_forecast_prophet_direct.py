"""Prophet's model without Prophet's package: the same data file, fit and forecasts as
Prophet itself, on real series, in every variant training can serve."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aktina_ml.forecasting import candidates, choice, prophet_direct, stan_data
from aktina_ml.forecasting.config import ForecastConfig
from aktina_ml.forecasting.prophet_config import config_for
from tests.support.real_series import real_series

SERIES = real_series()
VARIANTS = ("additive", "multiplicative", "log")


def setup_for(n_days: int, variant: str, **changes: Any) -> candidates.ProphetSetup:
    mode = "multiplicative" if variant == "multiplicative" else "additive"
    config = replace(config_for(n_days, ForecastConfig(), mode), samples=300, **changes)
    return candidates.ProphetSetup(config, log=variant == "log")


def both(name: str, setup: candidates.ProphetSetup, days: int = 91) -> tuple[Any, Any]:
    """The series' forecast by this module and by Prophet (the training path)."""
    history = SERIES[name]
    first = history["date"].iloc[0].date()
    values = history["amount"].to_numpy()
    return (
        candidates.series_prophet_forecast(first, values, days, setup),
        candidates.prophet_forecast(history, days, setup),
    )


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", sorted(SERIES))
def test_forecast_and_paths_are_prophets_bit_for_bit(
    name: str, variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a real series and one of training's Prophet variants
    setup = setup_for(len(SERIES[name]), variant)
    fits: list[prophet_direct.Fitted] = []
    fit = prophet_direct.fit

    def counted(*args: Any) -> prophet_direct.Fitted:
        fits.append(fit(*args))
        return fits[-1]

    monkeypatch.setattr(prophet_direct, "fit", counted)
    # When it is forecast without Prophet's package, and by Prophet
    ours, prophets = both(name, setup)
    # Then this module fitted it, and the point forecast and every path are Prophet's
    assert len(fits) == 1
    assert np.array_equal(ours.point, prophets.point)
    assert np.array_equal(ours.paths, prophets.paths)


def test_data_and_inits_files_are_prophets(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the files written for CmdStan by this module and by Prophet's backend
    written: list[str] = []

    def recording(path: str | Path, data: Any, matrices: Any = None) -> None:
        written.append(stan_data.dumps(data, matrices))
        write(path, data, matrices)

    write = stan_data.write_stan_json
    monkeypatch.setattr(stan_data, "write_stan_json", recording)
    # When the app's sample is forecast both ways
    both("app_sample", setup_for(len(SERIES["app_sample"]), "additive"))
    # Then both wrote the same data file and the same inits file
    assert len(written) == 4
    assert written[:2] == written[2:]


def test_a_failed_lbfgs_run_falls_back_to_newton_as_prophet_does() -> None:
    # Given a backtest fold whose L-BFGS run stops abnormally (Wikipedia Strasbourg, the
    # log variant on its first 445 days: Prophet reruns it with Newton)
    name, config = "wiki_strasbourg", ForecastConfig()
    final = choice.prophet_setups(len(SERIES[name]), config)["log"]
    setup = choice.fold_setup(final, 445, config, 300)
    history = SERIES[name].iloc[:445]
    first = history["date"].iloc[0].date()
    # When it is forecast without Prophet's package, and by Prophet
    ours = candidates.series_prophet_forecast(first, history["amount"].to_numpy(), 91, setup)
    prophets = candidates.prophet_forecast(history, 91, setup)
    # Then both gave the same forecast
    assert np.array_equal(ours.point, prophets.point)
    assert np.array_equal(ours.paths, prophets.paths)


@pytest.mark.parametrize(
    ("changes", "values"),
    [
        ({"holidays_country": "UG"}, None),  # holiday features
        ({"weekly": False, "yearly": False}, None),  # no seasonality
        ({}, np.full(120, 7.0)),  # constant sales
    ],
)
def test_what_it_does_not_build_is_left_to_prophet(
    changes: dict[str, Any], values: np.ndarray | None
) -> None:
    # Given a configuration or series whose Prophet fit takes another branch
    history = SERIES["app_sample"].iloc[:120]
    if values is not None:
        history = history.assign(amount=values)
    setup = setup_for(len(history), "additive", **changes)
    first = history["date"].iloc[0].date()
    # When it is forecast
    amounts = history["amount"].to_numpy()
    ours = candidates.series_prophet_forecast(first, amounts, 30, setup)
    # Then this module declines it, and the forecast is Prophet's own
    assert not prophet_direct.supports(setup.config, amounts)
    prophets = candidates.prophet_forecast(history, 30, setup)
    assert np.array_equal(ours.point, prophets.point)
    assert np.array_equal(ours.paths, prophets.paths)


def test_a_failing_optimizer_raises_a_fit_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given CmdStan failing with both algorithms (no model binary to run)
    monkeypatch.setattr(prophet_direct, "model_binary", lambda: Path("/bin/false"))
    history = SERIES["app_sample"]
    setup = setup_for(len(history), "additive")
    # When a series is fitted, Then the failure is a 422's input error naming both algorithms
    with pytest.raises(prophet_direct.FitError, match="lbfgs then newton"):
        prophet_direct.fit(
            history["date"].iloc[0].date(), history["amount"].to_numpy(), setup.config
        )

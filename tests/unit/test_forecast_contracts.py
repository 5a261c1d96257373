"""The served-model part of GET /forecast's contract: members and weights per granularity."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from aktina_ml.forecasting.contracts import ServedModel

THIRD = {"prophet": 0.3333, "ets": 0.3333, "theta": 0.3333}


def test_the_served_members_and_weights_per_granularity_are_part_of_the_contract() -> None:
    # Given what training records for the combination
    served = ServedModel.model_validate(
        {
            "model": "combination",
            "reason": "no member alone is clearly better than the average of all (…)",
            "members": {"day": THIRD, "week": THIRD, "month": THIRD},
        }
    )
    # Then each granularity's members and weights are kept as recorded
    assert served.members == {"day": THIRD, "week": THIRD, "month": THIRD}
    # And Theta alone is a served model too
    assert ServedModel.model_validate({"model": "theta"}).model == "theta"


def test_members_of_an_unknown_granularity_are_refused() -> None:
    with pytest.raises(ValidationError, match="year"):
        ServedModel.model_validate({"model": "ets", "members": {"year": {"ets": 1.0}}})

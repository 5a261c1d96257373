"""The typed quality record publishes exactly the names and values the fit's dict had."""

import dataclasses
import json
from pathlib import Path

import pytest

from aktina_ml.segmentation.fit import fit_segmentation
from aktina_ml.segmentation.quality import SUMMARY_FIELDS
from tests.support.customers import app_sample

# The quality dict a fit on the app's 50-retailer sample wrote when it was a plain dict.
RECORDED = Path(__file__).parents[1] / "fixtures" / "segmentation_quality_app_sample.json"


@pytest.fixture(scope="module")
def fit():
    return fit_segmentation(app_sample())


def test_the_record_serializes_to_the_recorded_names_values_and_order(fit):
    # Given the dict recorded from a fit on the app sample / When the same fit is made now
    recorded = json.loads(RECORDED.read_text())
    published = fit.quality.to_dict()
    # Then its record serializes to the same names, in the same order, with the same values
    assert list(published) == list(recorded)
    assert json.loads(json.dumps(published)) == recorded
    assert json.dumps(published, indent=2) + "\n" == RECORDED.read_text()
    assert fit.metrics == published


def test_the_summary_is_the_headline_figures_and_the_record_is_frozen(fit):
    # Given a fit / When its summary is read / Then it holds the headline figures, unchanged
    assert fit.quality.summary() == {name: fit.metrics[name] for name in SUMMARY_FIELDS}
    # And the record cannot be rewritten after the fit
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.quality.k = 99  # type: ignore[misc]

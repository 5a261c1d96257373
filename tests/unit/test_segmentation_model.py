"""Training on retailers with planted segments: recovery, the held-out volume bar, stability."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from aktina_ml.segmentation.model import (
    DegenerateDataError,
    SegmentationConfig,
    fit_segmentation,
    prepare_frame,
)
from tests.support.planted import planted_retailers


@pytest.fixture(scope="module")
def planted():
    return planted_retailers(n=1200, seed=3)


@pytest.fixture(scope="module")
def fitted(planted):
    return fit_segmentation(planted.frame)


def test_recovers_the_planted_segments(planted, fitted):
    # Given retailers from four planted segments / When trained with automatic k
    # Then k is four and the segments match the plant
    assert fitted.k == 4
    assert adjusted_rand_score(planted.planted.to_numpy(), fitted.labels) >= 0.8


def test_segments_beat_the_best_single_attribute_on_held_out_folds(fitted):
    metrics = fitted.metrics
    assert metrics["heldout_accuracy"] >= metrics["best_single_attribute_accuracy"]
    assert metrics["heldout_accuracy"] > metrics["majority_class_accuracy"] + 0.2
    assert metrics["folds"] == 5


def test_dimensions_without_volume_signal_get_no_weight(fitted):
    # Given business fields that are pure noise (and revenue known for only 40 %)
    weights = fitted.weights
    # Then they hardly count, while the planted demographics do
    assert weights["employee_count"] < 0.05
    assert weights["years_in_business"] < 0.05
    assert "annual_revenue" not in fitted.numeric
    assert min(weights[d] for d in ("customer_age_class", "customer_income_bracket")) > 0.5


def test_training_is_deterministic_for_a_seed(planted, fitted):
    again = fit_segmentation(planted.frame)
    assert np.array_equal(again.labels, fitted.labels)
    np.testing.assert_array_equal(
        again.pipeline.named_steps["cluster"].cluster_centers_,
        fitted.pipeline.named_steps["cluster"].cluster_centers_,
    )


def test_bootstrap_resamples_give_the_same_segments(planted, fitted):
    # Given bootstrap resamples of the retailers
    rng = np.random.default_rng(11)
    prepared = prepare_frame(planted.frame)
    for _ in range(3):
        rows = rng.integers(0, len(planted.frame), len(planted.frame))
        sample = planted.frame.iloc[rows].reset_index(drop=True)
        # When a model is trained on each
        boot = fit_segmentation(sample)
        # Then it segments the original retailers like the full model does
        assert adjusted_rand_score(fitted.labels, boot.predict(prepared)) >= 0.8


def test_a_fixed_segment_count_is_respected(planted):
    fit = fit_segmentation(planted.frame, SegmentationConfig(k=6))
    assert fit.k == 6
    assert [s["k"] for s in fit.k_scores] == [6]


def test_without_any_volume_signal_all_dimensions_weigh_the_same():
    # Given sales that do not depend on anything
    frame = planted_retailers(n=300, seed=5).frame.copy()
    frame["total_sales"] = np.random.default_rng(0).permutation(np.arange(300.0))
    # When trained
    fit = fit_segmentation(frame, SegmentationConfig(k=3))
    # Then no dimension is singled out by chance: plain demographic KMeans
    assert set(fit.weights.values()) == {1.0}
    assert len(np.unique(fit.labels)) == 3


def test_too_few_retailers_is_degenerate():
    frame = planted_retailers(n=9).frame
    with pytest.raises(DegenerateDataError, match="at least 10"):
        fit_segmentation(frame)


def test_missing_columns_are_allowed():
    # Given a file with only income and sales
    base = planted_retailers(n=200, seed=2).frame
    frame = pd.DataFrame(
        {
            "customer_income_bracket": base["customer_income_bracket"],
            "total_sales": base["total_sales"],
        }
    )
    fit = fit_segmentation(frame)
    assert fit.k >= 2
    assert fit.metrics["best_single_attribute"] == "customer_income_bracket"

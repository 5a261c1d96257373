"""Training on demo data with planted segments: recovery, the held-out volume bar, stability."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from aktina_ml.segmentation.fit import (
    DegenerateDataError,
    SegmentationConfig,
    fit_segmentation,
    raw_columns,
)
from tests.support.demo import demo_dataset, planted, retailers_frame


@pytest.fixture(scope="module")
def dataset():
    return demo_dataset(1200, seed=3)


@pytest.fixture(scope="module")
def frame(dataset):
    return retailers_frame(dataset)


@pytest.fixture(scope="module")
def fitted(frame):
    return fit_segmentation(frame)


def test_recovers_the_planted_segments(dataset, frame, fitted):
    # Given demo retailers from four planted segments / When trained with automatic k
    # Then k is four and the segments match the plant
    assert fitted.k == 4
    truth = planted(dataset, frame["retailer_id"])
    assert adjusted_rand_score(truth, fitted.labels) >= 0.8


def test_segments_beat_the_best_single_attribute_on_held_out_folds(fitted):
    metrics = fitted.metrics
    assert metrics["heldout_accuracy"] >= metrics["best_single_attribute_accuracy"]
    assert metrics["heldout_accuracy"] > metrics["majority_class_accuracy"] + 0.2
    assert metrics["folds"] == 5


def test_dimensions_without_volume_signal_get_no_weight(frame):
    # Given the education level shuffled among retailers: pure noise
    noisy = frame.copy()
    noisy["customer_education_level"] = np.random.default_rng(4).permutation(
        noisy["customer_education_level"].to_numpy()
    )
    # When trained
    weights = fit_segmentation(noisy).weights
    # Then it hardly counts, while the planted demographics do
    assert weights["customer_education_level"] < 0.05
    assert min(weights[d] for d in ("customer_age_class", "customer_income_bracket")) > 0.5


def test_business_figures_are_reported_not_clustered(fitted):
    # Given demo retailers whose revenue and head count follow their size (and so their sales)
    # Then only the customer demographics are clustering inputs
    assert fitted.numeric == ("male_female_ratio",)
    assert not {"annual_revenue", "employee_count", "years_in_business"} & set(fitted.weights)
    # And the business figures' own held-out volume accuracy is reported next to the segments'
    business = fitted.metrics["business_field_accuracy"]
    assert set(business) == {"annual_revenue", "employee_count", "years_in_business"}
    assert business["annual_revenue"] > fitted.metrics["majority_class_accuracy"] + 0.2


def test_training_is_deterministic_for_a_seed(frame, fitted):
    again = fit_segmentation(frame)
    assert np.array_equal(again.labels, fitted.labels)
    np.testing.assert_array_equal(
        again.clustering.cluster_centers_, fitted.clustering.cluster_centers_
    )


def test_bootstrap_resamples_give_the_same_segments(frame, fitted):
    # Given bootstrap resamples of the retailers
    rng = np.random.default_rng(11)
    columns = raw_columns(frame)
    for _ in range(3):
        rows = rng.integers(0, len(frame), len(frame))
        sample = frame.iloc[rows].reset_index(drop=True)
        # When a model is trained on each
        boot = fit_segmentation(sample)
        # Then it segments the original retailers like the full model does
        assert adjusted_rand_score(fitted.labels, boot.predict(columns, len(frame))) >= 0.8


def test_a_fixed_segment_count_is_respected(frame):
    fit = fit_segmentation(frame, SegmentationConfig(k=6))
    assert fit.k == 6
    assert [s["k"] for s in fit.k_scores] == [6]


def test_without_any_volume_signal_all_dimensions_weigh_the_same():
    # Given sales that do not depend on anything
    frame = retailers_frame(demo_dataset(300, seed=5))
    frame["total_sales"] = np.random.default_rng(0).permutation(np.arange(300.0))
    # When trained
    fit = fit_segmentation(frame, SegmentationConfig(k=3))
    # Then no dimension is singled out by chance: plain demographic KMeans
    assert set(fit.weights.values()) == {1.0}
    assert len(np.unique(fit.labels)) == 3


def test_too_few_retailers_is_degenerate():
    frame = retailers_frame(demo_dataset(9))
    with pytest.raises(DegenerateDataError, match="at least 10"):
        fit_segmentation(frame)


def test_missing_columns_are_allowed():
    # Given a file with only income and sales
    base = retailers_frame(demo_dataset(200, seed=2))
    frame = pd.DataFrame(
        {
            "customer_income_bracket": base["customer_income_bracket"],
            "total_sales": base["total_sales"],
        }
    )
    fit = fit_segmentation(frame)
    assert fit.k >= 2
    assert fit.metrics["best_single_attribute"] == "customer_income_bracket"


def test_a_city_that_tells_about_volume_is_used(frame):
    # Given most high-volume retailers in Kampala, the others spread over other towns
    rng = np.random.default_rng(5)
    sales = frame["total_sales"].to_numpy()
    high = sales > np.quantile(sales, 2 / 3)
    towns = np.array(["Entebbe", "Gulu", "Mbale", "Jinja"])
    city = np.where(
        high & (rng.random(len(frame)) < 0.8), "Kampala", towns[rng.integers(0, 4, len(frame))]
    )
    with_city = frame.assign(city=city)
    # When trained
    fit = fit_segmentation(with_city)
    # Then the city is an input with its frequent values as levels, and carries weight
    assert fit.metrics["categorical_inputs"]["city"][:1] == ["kampala"]
    assert fit.weights["city"] > 0.3
    assert fit.metrics["single_attribute_accuracy"]["city"] > fit.metrics["majority_class_accuracy"]


def test_business_type_is_an_input_only_when_enabled(frame):
    assert "business_type" not in fit_segmentation(frame, SegmentationConfig(k=4)).weights
    fit = fit_segmentation(frame, SegmentationConfig(k=4, extra_categorical=("business_type",)))
    assert "business_type" in fit.weights
    assert "business_type" in fit.metrics["single_attribute_accuracy"]


def test_metrics_compare_the_segments_with_plain_kmeans_and_say_how_stable_they_are(fitted):
    metrics = fitted.metrics
    assert metrics["heldout_accuracy"] >= metrics["plain_kmeans_accuracy"] - 0.005
    assert metrics["stability"] >= 0.8
    assert metrics["stable"] is True
    assert metrics["assessment"]["warnings"] == []
    assert sum(metrics["dimension_shares"].values()) == pytest.approx(1.0, abs=1e-3)


def test_metrics_hold_an_outsiders_baselines_on_the_same_folds(fitted):
    # Then plain KMeans is scored at the k its own silhouette picks (and at the segments' k),
    # beside a logistic regression, and the verdict judges the segments against each
    metrics = fitted.metrics
    ks = {score["k"] for score in metrics["k_scores"]}
    assert metrics["plain_kmeans_k"] in ks
    for key in ("plain_kmeans_accuracy", "plain_kmeans_same_k_accuracy"):
        assert metrics["majority_class_accuracy"] <= metrics[key] <= 1.0
    assert 0.0 <= metrics["logistic_regression_accuracy"] <= 1.0
    assert "as_good_as_logistic_regression" in metrics["assessment"]
    # And k is stable across seeds as well as resamples (stability is the lower of the two)
    assert metrics["seed_stability"] >= metrics["stability"] >= 0.8


def test_more_segments_than_distinct_retailers_is_refused_with_a_clear_message():
    # Given retailers of only three distinct demographic profiles
    base = retailers_frame(demo_dataset(60, seed=2))
    frame = pd.DataFrame(
        {
            "customer_income_bracket": np.resize(["low", "medium", "high"], 60),
            "total_sales": base["total_sales"],
        }
    )
    with pytest.raises(DegenerateDataError, match="only 3 distinct demographic profiles"):
        fit_segmentation(frame, SegmentationConfig(k=5))


def test_a_city_that_tells_about_volume_names_its_segment(frame):
    # Given most high-volume retailers in Kampala (as above)
    rng = np.random.default_rng(5)
    sales = frame["total_sales"].to_numpy()
    high = sales > np.quantile(sales, 2 / 3)
    towns = np.array(["Entebbe", "Gulu", "Mbale", "Jinja"])
    in_kampala = high & (rng.random(len(frame)) < 0.8)
    city = np.where(in_kampala, "Kampala", towns[rng.integers(0, 4, len(frame))])
    with_city = frame.assign(city=city)
    # When trained and profiled
    from aktina_ml.segmentation.training import build_model

    profiles = build_model(fit_segmentation(with_city), with_city).profiles.values()
    # Then the profiles show the city mix, and a segment is named after Kampala
    assert all(set(p["demographics"]["city"]) >= {"kampala", "other", "unknown"} for p in profiles)
    assert any("in kampala" in p["name"].lower() for p in profiles)


def test_the_logistic_baseline_predicts_the_only_volume_class_a_fold_has_seen():
    from aktina_ml.segmentation.backtest import Fold, logistic_accuracy

    # Given a fold whose training part holds one volume class only (no sales anywhere yet)
    volume = np.zeros(10, dtype=int)
    fold = Fold(np.arange(6), np.arange(6, 10), np.zeros((10, 2)), np.eye(10)[:, :2])
    # Then the baseline predicts that class instead of failing to fit
    assert logistic_accuracy([fold], volume) == 1.0

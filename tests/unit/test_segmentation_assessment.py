"""The plain verdict shown by the CLI, the manifest and GET /segments."""

from aktina_ml.segmentation.assessment import assess

GOOD = {
    "k": 4,
    "retailers": 1200,
    "heldout_accuracy": 0.70,
    "best_single_attribute": "customer_income_bracket",
    "best_single_attribute_accuracy": 0.63,
    "plain_kmeans_accuracy": 0.69,
    "stability": 0.96,
    "stable": True,
    "volume_guided": True,
    "dimension_shares": {"customer_income_bracket": 0.5, "customer_age_class": 0.45, "city": 0.05},
}


def test_good_segments_say_so_with_the_figures_and_the_dimensions_that_weigh():
    verdict = assess(GOOD)
    assert verdict["warnings"] == []
    assert verdict["as_good_as_best_single_attribute"]
    assert verdict["as_good_as_plain_kmeans"]
    assert verdict["weight_carried_by"] == ["customer_income_bracket", "customer_age_class"]
    assert "0.700 against 0.630" in verdict["summary"]
    assert "income bracket 50%, age class 45%" in verdict["summary"]


def test_segments_worse_than_one_attribute_or_plain_kmeans_say_so_with_both_figures():
    verdict = assess(
        GOOD
        | {
            "heldout_accuracy": 0.70,
            "best_single_attribute_accuracy": 0.76,
            "plain_kmeans_accuracy": 0.72,
            "stability": 0.55,
            "stable": False,
            "retailers": 50,
        }
    )
    assert not verdict["as_good_as_best_single_attribute"]
    assert not verdict["as_good_as_plain_kmeans"]
    assert not verdict["stable"]
    first, second, third = verdict["warnings"]
    assert "worse than income bracket alone" in first
    assert "0.700 against 0.760" in first
    assert "worse than plain KMeans" in second
    assert "0.700 against 0.720" in second
    assert "not stable" in third
    assert "50 retailers" in third


def test_a_tie_within_the_fold_noise_is_not_a_loss():
    verdict = assess(GOOD | {"heldout_accuracy": 0.686, "plain_kmeans_accuracy": 0.69})
    assert verdict["as_good_as_plain_kmeans"]


def test_every_baseline_that_beats_the_segments_is_named_with_the_gap():
    # Given plain KMeans at its own k (6) and a logistic regression both ahead of the segments
    verdict = assess(
        GOOD
        | {
            "heldout_accuracy": 0.70,
            "plain_kmeans_k": 6,
            "plain_kmeans_accuracy": 0.73,
            "logistic_regression_accuracy": 0.75,
        }
    )
    # Then both are named, with both figures and by how much
    assert verdict["as_good_as_best_single_attribute"]
    assert not verdict["as_good_as_plain_kmeans"]
    assert not verdict["as_good_as_logistic_regression"]
    plain, logistic = verdict["warnings"]
    assert "plain KMeans on the same demographics with its own best k (6" in plain
    assert "0.700 against 0.730 (0.030 less)" in plain
    assert "logistic regression" in logistic
    assert "0.750 against 0.700 (0.050 more)" in logistic


def test_the_fallback_k_says_no_k_was_stable_and_what_it_still_beats():
    verdict = assess(
        GOOD
        | {
            "k": 3,
            "stability": 0.6,
            "stable": False,
            "k_rule": "no k reached bootstrap ARI 0.8; the smallest k whose segments still …",
        }
    )
    (warning,) = verdict["warnings"]
    assert "not stable" in warning
    assert "No k was stable, so k=3 is the smallest" in warning
    assert "income bracket alone" in warning

"""Parsing and encoding of retailer attributes (features.py, volume.py)."""

import math
from decimal import Decimal

import numpy as np
import pytest

from aktina_ml.segmentation.features import (
    UNKNOWN,
    normalize_category,
    parse_number,
    prepare_columns,
)
from aktina_ml.segmentation.volume import volume_classes, volume_cut_points, volume_mix


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.80", 0.8),
        (0.8, 0.8),
        (Decimal("1.20"), 1.2),
        ("$750,000", 750_000.0),
        ("10-20", 15.0),
        ("1,200 - 1,800", 1_500.0),
        ("50+", 50.0),
        ("1.2k", 1_200.0),
        (" 12 ", 12.0),
        (7, 7.0),
    ],
)
def test_parse_number_reads_what_the_app_stores(raw, expected):
    # Given a value as the Laravel app stores or sends it / When parsed / Then the number
    assert parse_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", [None, "", "n/a", "about fifty", True, [1], {"a": 1}, float("inf")])
def test_parse_number_gives_nan_for_missing_or_unreadable(raw):
    assert math.isnan(parse_number(raw))


def test_categories_normalise_case_and_map_missing_or_unseen_to_unknown():
    allowed = ("urban", "suburban", "rural")
    assert normalize_category(" Urban ", allowed) == "urban"
    assert normalize_category("martian", allowed) == UNKNOWN
    assert normalize_category(None, allowed) == UNKNOWN
    assert normalize_category(3, allowed) == UNKNOWN


def test_prepare_columns_fills_absent_columns_and_log_scales_sizes():
    # Given two retailers, one with a revenue string, no age column at all
    columns = {
        "urban_rural_classification": ["URBAN", None],
        "annual_revenue": ["$999", "-5"],
        "male_female_ratio": ["0.80", "x"],
    }
    # When prepared
    prepared = prepare_columns(columns, 2)
    # Then enums are normalised, absent columns are unknown / NaN, sizes are log1p
    assert prepared["urban_rural_classification"].tolist() == ["urban", UNKNOWN]
    assert prepared["customer_age_class"].tolist() == [UNKNOWN, UNKNOWN]
    assert prepared["annual_revenue"][0] == pytest.approx(math.log(1000))
    assert math.isnan(prepared["annual_revenue"][1])  # negative size is unreadable
    assert prepared["male_female_ratio"][0] == pytest.approx(0.8)
    assert math.isnan(prepared["male_female_ratio"][1])
    assert np.isnan(prepared["employee_count"]).all()


def test_prepare_columns_reads_repeated_and_unhashable_values_like_single_ones():
    # Given columns with repeated values and a list / dict where a scalar belongs
    columns = {
        "customer_income_bracket": ["HIGH", ["high"], "high", None, "HIGH"],
        "male_female_ratio": ["0.80", {"a": 1}, "0.80", 1.5, "x"],
    }
    # When prepared column-wise
    prepared = prepare_columns(columns, 5)
    # Then each value is read exactly as the single-value functions read it
    allowed = ("low", "medium", "high")
    assert prepared["customer_income_bracket"].tolist() == [
        normalize_category(v, allowed) for v in columns["customer_income_bracket"]
    ]
    np.testing.assert_array_equal(
        prepared["male_female_ratio"], [parse_number(v) for v in columns["male_female_ratio"]]
    )


def test_tertiles_split_sales_into_equal_thirds():
    sales = np.arange(1, 301, dtype=float)
    classes = volume_classes(sales, volume_cut_points(sales))
    assert np.bincount(classes).tolist() == [100, 100, 100]
    assert volume_mix(classes) == {
        "high": pytest.approx(1 / 3, abs=1e-3),
        "medium": pytest.approx(1 / 3, abs=1e-3),
        "low": pytest.approx(1 / 3, abs=1e-3),
    }


def test_fixed_thresholds_reproduce_the_old_service_rule():
    # Given the old service's rule (high > 10000, medium > 5000)
    cuts = volume_cut_points(np.array([1.0]), (5000, 10000))
    # Then boundaries belong to the lower class
    assert volume_classes(np.array([5000, 5000.01, 10000, 10000.01]), cuts).tolist() == [0, 1, 1, 2]
    with pytest.raises(ValueError, match="ascending"):
        volume_cut_points(np.array([1.0]), (10000, 5000))

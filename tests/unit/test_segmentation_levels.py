"""Free-text attributes (city, business type): frequent values, the rest "other"."""

import numpy as np

from aktina_ml.segmentation.levels import (
    OTHER,
    frequent_levels,
    level_codes,
    normalize_labels,
)


def test_city_spellings_are_one_level_and_rare_cities_are_other():
    # Given cities as the app stores them: spacing and case vary, a few are rare, some missing
    raw = ["Kampala"] * 40 + [" kampala "] * 5 + ["ENTEBBE"] * 30 + ["Gulu", "Mbale"] + [None, ""]
    labels = normalize_labels(raw, len(raw))
    # When the levels are learned with a 5 % minimum share
    levels = frequent_levels(labels, min_share=0.05)
    # Then Kampala (45) and Entebbe (30) are levels, most common first, then other and unknown
    assert levels == ("kampala", "entebbe", OTHER, "unknown")
    codes = level_codes(labels, levels)
    assert codes[:45].tolist() == [0] * 45
    assert codes[-4:].tolist() == [2, 2, 3, 3]


def test_a_city_never_seen_in_training_is_other():
    levels = ("kampala", OTHER, "unknown")
    codes = level_codes(normalize_labels(["Jinja", "KAMPALA", 12], 3), levels)
    assert codes.tolist() == [1, 0, 2]


def test_levels_need_a_minimum_count_too():
    labels = np.array(["a"] * 3 + ["b"] * 7, dtype=object)
    assert frequent_levels(labels, min_share=0.01, min_count=5) == ("b", OTHER, "unknown")

"""Shrinkage weights: weak signals keep a share, noise gets (almost) none."""

import math

import numpy as np
import pytest

from aktina_ml.segmentation.weights import dimension_weights, information


def _volume_and_codes(n: int = 3000, seed: int = 0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    strong = rng.integers(0, 3, n)
    weak = rng.integers(0, 3, n)
    noise = rng.integers(0, 4, n)
    # volume follows the strong code mostly and the weak one a little
    score = strong + 0.35 * weak + rng.normal(0, 0.8, n)
    volume = np.digitize(score, np.quantile(score, [1 / 3, 2 / 3]))
    return volume, {"strong": strong, "weak": weak, "noise": noise}


def test_information_is_log3_for_a_perfect_link():
    target = np.random.default_rng(1).integers(0, 3, 3000)
    assert information(target.copy(), target).observed == pytest.approx(math.log(3), abs=0.01)


def test_unrelated_codes_show_about_their_bias_and_no_shrunk_information():
    rng = np.random.default_rng(1)
    info = information(rng.integers(0, 5, 2000), rng.integers(0, 3, 2000))
    assert abs(info.excess) < 4 * info.noise
    assert info.shrunk < 0.5 * info.bias


def test_a_weak_signal_keeps_a_share_of_the_distance():
    # Given volume driven by a strong and, a little, by a weak dimension, plus pure noise
    volume, codes = _volume_and_codes()
    # When weighted
    weights = dimension_weights(codes, volume)
    # Then the strongest leads, the weak one keeps a real share, and noise hardly counts
    assert weights["strong"] == 1.0
    assert 0.2 < weights["weak"] < 1.0
    assert weights["noise"] < 0.15


def test_without_any_signal_every_dimension_weighs_the_same():
    rng = np.random.default_rng(2)
    codes = {"a": rng.integers(0, 3, 500), "b": np.zeros(500, dtype=int)}
    assert dimension_weights(codes, np.zeros(500, dtype=int)) == {"a": 1.0, "b": 1.0}

"""Shrinkage weights: weak signals keep a share, noise gets (almost) none."""

import math

import numpy as np
import pytest

from aktina_ml.segmentation.weights import information


def test_information_is_log3_for_a_perfect_link():
    target = np.random.default_rng(1).integers(0, 3, 3000)
    assert information(target.copy(), target).observed == pytest.approx(math.log(3), abs=0.01)


def test_unrelated_codes_show_about_their_bias_and_no_shrunk_information():
    rng = np.random.default_rng(1)
    info = information(rng.integers(0, 5, 2000), rng.integers(0, 3, 2000))
    assert abs(info.excess) < 4 * info.noise
    assert info.shrunk < 0.5 * info.bias

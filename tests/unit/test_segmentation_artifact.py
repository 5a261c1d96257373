"""The numpy serving artifact: parity with the scikit-learn pipeline, profiles, ids, charts."""

import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest

from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.features import records_to_columns
from aktina_ml.segmentation.fit import fit_segmentation
from aktina_ml.segmentation.identity import match_segment_ids
from aktina_ml.segmentation.training import build_model
from tests.support.demo import demo_dataset, retailers_frame

ROOT = Path(__file__).resolve().parents[2]

MESSY = [
    {
        "id": 1,
        "male_female_ratio": "0.80",
        "urban_rural_classification": "Urban",
        "customer_age_class": "adult",
        "customer_income_bracket": "HIGH",
        "customer_education_level": "high",
        "employee_count": "10-20",
        "annual_revenue": "$750,000",
    },
    {
        "id": 2,
        "male_female_ratio": None,
        "urban_rural_classification": None,
        "customer_age_class": None,
    },
    {"id": 3},
    {
        "id": 4,
        "urban_rural_classification": "martian",
        "customer_age_class": "elder",
        "customer_income_bracket": 3,
        "male_female_ratio": "abc",
    },
    {
        "id": 5,
        "male_female_ratio": 2.4,
        "customer_age_class": "senior",
        "customer_income_bracket": "low",
        "customer_education_level": "low",
        "years_in_business": "12",
    },
    {
        "id": 6,
        "male_female_ratio": True,
        "urban_rural_classification": " rural ",
        "employee_count": "50+",
        "unknown_key": [1, 2],
    },
]


@pytest.fixture(scope="module")
def frame():
    return retailers_frame(demo_dataset(800, seed=7))


@pytest.fixture(scope="module")
def fitted(frame):
    return fit_segmentation(frame)


@pytest.fixture(scope="module")
def model(fitted, frame):
    return build_model(fitted, frame)


def test_serving_assigns_exactly_like_the_pipeline(model, fitted, frame):
    # Given training retailers and messy requests (strings, nulls, unknown values and keys)
    rng = np.random.default_rng(0)
    records = frame.sample(300, random_state=1).to_dict("records")
    records += MESSY * 5
    records += [{k: v for k, v in r.items() if rng.random() < 0.6} for r in records[:200]]
    # When both assign them
    served = model.assign(records)
    columns = records_to_columns(records, fitted.encoding.dimensions)
    reference = model.segment_ids[fitted.predict(columns, len(records))]
    # Then every assignment is the same
    np.testing.assert_array_equal(served, reference)


def test_every_retailer_gets_a_segment_with_its_expected_volume_mix(model):
    ids = model.assign(MESSY)
    assert len(ids) == len(MESSY)
    for sid in ids.tolist():
        mix = model.profile(sid)["volume_mix"]
        assert set(mix) == {"high", "medium", "low"}
        assert sum(mix.values()) == pytest.approx(1.0, abs=1e-3)


def test_the_artifact_loads_and_assigns_without_sklearn_or_pandas(model, tmp_path):
    # Given the artifact saved with joblib
    path = tmp_path / "model.joblib"
    joblib.dump(model, path)
    # When a fresh interpreter loads it and assigns a retailer
    script = (
        "import sys, joblib\n"
        f"m = joblib.load({str(path)!r})\n"
        "print(int(m.assign([{'customer_income_bracket': 'high'}])[0]))\n"
        "m.overview()\n"
        "heavy = [n for n in ('sklearn', 'pandas', 'scipy') if n in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "shared")},
        check=False,
    )
    # Then no heavy library was imported and the answer is a segment id
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) in model.profiles


def test_profiles_are_named_from_the_data(model, frame):
    names = [p["name"] for p in model.profiles.values()]
    assert len(set(names)) == len(names)
    # The planted urban / adult / high-income / high-volume segment is named for it
    top = model.profiles[0]  # first ids go to the highest share of high volume
    assert "high income" in top["name"]
    assert "adult" in top["name"].lower()
    assert "% high volume" in top["name"]
    assert top["volume_mix"]["high"] > 0.6
    assert f"{top['size']} retailers" in top["description"]
    assert sum(p["size"] for p in model.profiles.values()) == len(frame)


def test_names_change_when_the_data_changes(frame):
    # Given the same retailers with income levels swapped
    frame = frame.copy()
    frame["customer_income_bracket"] = frame["customer_income_bracket"].map(
        {"high": "low", "low": "high", "medium": "medium", None: None}
    )
    model = build_model(fit_segmentation(frame), frame)
    # Then the strongest segment is now named for low income
    assert "low income" in model.profiles[0]["name"]


def test_ids_follow_the_segments_not_the_cluster_numbers():
    # Given a previous model's ids and a new clustering that permutes and adds a segment
    old = np.array([5, 5, 5, 7, 7, 7, 9, 9, 9, 9])
    new = np.array([2, 2, 2, 0, 0, 0, 1, 1, 3, 3])
    # When matched
    ids, next_id = match_segment_ids(new, old, next_id=10, fresh_order=np.arange(4))
    # Then kept segments keep ids, the split-off part gets a never-used id
    assert ids[2] == 5
    assert ids[0] == 7
    assert {ids[1], ids[3]} == {9, 10}
    assert next_id == 11


def test_retraining_on_slightly_changed_data_keeps_ids(frame, model):
    # Given 5 % of retailers gone, 60 new ones and a few changed values
    kept = frame.sample(frac=0.95, random_state=2)
    extra = retailers_frame(demo_dataset(60, seed=99))
    extra[["retailer_id", "user_id"]] += 10_000
    changed = kept.copy()
    changed.loc[changed.sample(frac=0.03, random_state=3).index, "customer_age_class"] = "youth"
    frame2 = pd.concat([changed, extra], ignore_index=True)
    # When retrained with the previous model
    model2 = build_model(fit_segmentation(frame2), frame2, previous=model)
    # Then the same retailers keep their segment ids
    before = dict(zip(model.retailer_ids.tolist(), model.retailer_segments.tolist(), strict=True))
    after = dict(zip(model2.retailer_ids.tolist(), model2.retailer_segments.tolist(), strict=True))
    common = [r for r in after if r in before]
    agreement = np.mean([before[r] == after[r] for r in common])
    assert agreement >= 0.95
    assert set(model2.profiles) == set(model.profiles)


def test_overview_carries_charts_and_legacy_keys(model, frame):
    overview = model.overview()
    charts = overview["charts"]
    assert sum(charts["distribution"]["series"]) == len(frame)
    assert len(charts["demographics"]) == 4
    for chart in [charts["performance"], *charts["demographics"]]:
        assert all(len(s["data"]) == len(chart["categories"]) for s in chart["series"])
    assert overview["segment_distribution"] == {
        str(s): p["size"] for s, p in model.profiles.items()
    }
    assert len(overview["retailer_segments"]) == len(frame)
    assert overview["segment_descriptions"]["0"] == model.profiles[0]["name"]


def test_ids_are_given_to_every_cluster_even_an_empty_one():
    # Given three clusters of which the last received no retailer
    labels = np.array([0, 0, 1, 1])
    ids, next_id = match_segment_ids(labels, np.empty(0, dtype=np.int64), 0, np.array([1, 0, 2]))
    assert ids.tolist() == [1, 0, 2]
    assert next_id == 3
    # And matched to a previous model's ids without an IndexError
    ids, _ = match_segment_ids(labels, np.array([7, 7, 8, 8]), 9, np.array([0, 1, 2]))
    assert ids.tolist() == [7, 8, 9]


def test_an_artifact_of_the_previous_format_still_assigns_as_it_did():
    # Given a format-1 artifact (weighted one-hot), as promoted before this version
    levels = ("low", "medium", "high", "unknown")
    weights = np.array([0.5, 0.6, 0.7, 0.1, 0.3])
    centroids = np.array([[0.5, 0, 0, 0, -0.3], [0, 0, 0.7, 0, 0.3]])
    state = {
        "categorical": (("customer_income_bracket", levels),),
        "numeric": ("male_female_ratio",),
        "medians": np.array([1.0]),
        "means": np.array([1.0]),
        "scales": np.array([0.5]),
        "column_weights": weights,
        "centroids": centroids,
        "segment_ids": np.array([3, 5]),
        "profiles": {},
        "retailer_ids": np.array([1]),
        "retailer_segments": np.array([3]),
        "volume_cuts": (1.0, 2.0),
        "metrics": {},
        "trained_at": "2026-11-01T00:00:00+00:00",
        "next_segment_id": 6,
        "format_version": 1,
        "_lookup": None,
    }
    old = SegmentationModel.__new__(SegmentationModel)
    old.__dict__.update(state)
    # When it is loaded by this version
    loaded = joblib.load(_dumped(old))
    # Then it encodes exactly as format 1 did (one-hot × weight; scaled ratio × weight)
    records = [
        {"customer_income_bracket": "low", "male_female_ratio": 0.5},
        {"customer_income_bracket": "HIGH", "male_female_ratio": "1.6"},
        {"customer_income_bracket": None},
    ]
    expected = np.array([[0.5, 0, 0, 0, -0.3], [0, 0, 0.7, 0, 0.36], [0, 0, 0, 0.1, 0.0]])
    columns = records_to_columns(records, loaded.encoding.dimensions)
    np.testing.assert_allclose(loaded.encode(columns, 3), expected)
    assert loaded.assign(records).tolist() == [3, 5, 3]
    assert loaded.format_version == 1


def _dumped(model):
    import io

    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    buffer.seek(0)
    return buffer

"""Staged run files: values round-trip through one .npz, and nothing read back runs code."""

from __future__ import annotations

import io
import pickle
import zipfile
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pytest

from aktina_ml.demand.staged_codec import StagedFileError, decode, encode
from aktina_ml.forecasting.artifact import History, RunningTotals

ALLOWED = (RunningTotals, History)
LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Opaque:
    value: int


def totals(n: int = 5) -> RunningTotals:
    point = np.linspace(1.0, 2.0, n)
    return RunningTotals(np.arange(n), point, point - 0.5, point + 0.5)


def test_dataclasses_arrays_frames_and_plain_values_round_trip():
    # Given a tree like a plan or a fit holds
    value = {
        "totals": {"day": totals(), "week": totals(3)},
        "history": History(("2026-11-30", "2026-12-07"), np.array([3.0, 4.0]), np.array([7, 3])),
        7: (1, 2.5, None, True, "x"),
        "when": date(2026, 12, 6),
        "day": np.datetime64("2026-12-06"),
        "frame": pd.DataFrame(
            {
                "date": pd.date_range("2026-12-01", periods=3),
                "units": np.array([1, 0, 2]),
                "name": ["a", "b", "c"],
            }
        ),
        "series": pd.Series([1.5, 2.5], index=pd.Index([4, 9], name="product_id"), name="u"),
        "nan": float("nan"),
    }
    # When it is written and read back
    back = decode(encode(value, ALLOWED), ALLOWED, LIMIT)
    # Then every part is equal, types included
    assert isinstance(back["totals"]["day"], RunningTotals)
    np.testing.assert_array_equal(back["totals"]["day"].upper, value["totals"]["day"].upper)
    assert back["history"].dates == ("2026-11-30", "2026-12-07")
    assert back[7] == (1, 2.5, None, True, "x")
    assert back["when"] == date(2026, 12, 6)
    assert back["day"] == np.datetime64("2026-12-06")
    pd.testing.assert_frame_equal(back["frame"], value["frame"])
    pd.testing.assert_series_equal(back["series"], value["series"])
    assert np.isnan(back["nan"])


def test_a_dataclass_off_the_allow_list_is_neither_written_nor_read():
    with pytest.raises(StagedFileError, match="not allowed"):
        encode(Opaque(1), ALLOWED)
    # Given a file written with Opaque allowed / When read without it / Then refused
    data = encode({"x": Opaque(1)}, (Opaque,))
    with pytest.raises(StagedFileError, match="not allowed"):
        decode(data, ALLOWED, LIMIT)


def test_object_arrays_and_pickles_are_refused():
    with pytest.raises(StagedFileError, match="more than strings"):
        encode(np.array([1, "a", None], dtype=object), ALLOWED)
    # Given an .npz whose array is a pickle (np.save with allow_pickle)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        skeleton=np.frombuffer(b'{"t":"array","ref":"a0","kind":"plain"}', np.uint8),
        a0=np.array([Opaque(1)], dtype=object),
    )
    # When read / Then refused before anything is unpickled
    with pytest.raises(StagedFileError, match="object arrays"):
        decode(buffer.getvalue(), ALLOWED, LIMIT)
    # And a plain pickle is no staged file at all
    with pytest.raises(StagedFileError, match="not a staged file"):
        decode(pickle.dumps(Opaque(1)), ALLOWED, LIMIT)


def test_an_array_header_claiming_more_than_its_member_holds_is_refused():
    # Given a member whose header claims 10^12 float64 values but holds 8 bytes
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    member = b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + b"\x00" * 8
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("skeleton.npy", member)
    # When read / Then refused without allocating
    with pytest.raises(StagedFileError, match="claims more than it holds"):
        decode(data.getvalue(), ALLOWED, LIMIT)


def test_a_file_that_unpacks_past_its_bound_is_refused():
    # Given 50 MB of zeros, compressed to a few kilobytes
    data = encode({"zeros": np.zeros(50_000_000 // 8)}, ALLOWED)
    assert len(data) < 1_000_000
    # When read / Then refused before inflating
    with pytest.raises(StagedFileError, match="unpacks to"):
        decode(data, ALLOWED, LIMIT)


def test_nesting_deeper_than_the_bound_is_refused():
    value: list[object] = []
    for _ in range(40):
        value = [value]
    with pytest.raises(StagedFileError, match="deeper"):
        encode(value, ALLOWED)


def test_unknown_fields_and_dangling_arrays_are_refused():
    good = encode(totals(), ALLOWED)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}

    def with_skeleton(text: str) -> bytes:
        out = io.BytesIO()
        skeleton = io.BytesIO()
        np.lib.format.write_array(skeleton, np.frombuffer(text.encode(), np.uint8))
        with zipfile.ZipFile(out, "w") as archive:
            for name, member in members.items():
                archive.writestr(name, skeleton.getvalue() if name == "skeleton.npy" else member)
        return out.getvalue()

    name = f"{RunningTotals.__module__}.{RunningTotals.__qualname__}"
    fields = '{"keys":1,"point":1,"lower":1,"upper":1,"x":1}'
    extra = f'{{"t":"dc","name":"{name}","f":{fields}}}'
    with pytest.raises(StagedFileError, match="unreadable"):
        decode(with_skeleton(extra), ALLOWED, LIMIT)
    with pytest.raises(StagedFileError, match="lacks its array"):
        decode(with_skeleton('{"t":"array","ref":"a99","kind":"plain"}'), ALLOWED, LIMIT)

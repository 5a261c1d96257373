"""The segment routes' answers, on a loaded model (numpy and pydantic only).

Handlers parse and shape; these functions check what pydantic cannot (duplicate ids,
numeric text) and turn assignments into answers. The ``GET /segments``
body is rendered once per model version and kept for the container.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from aktina_ml.api.model_cache import LoadedModel
from aktina_ml.api.resolver import strict_dumps
from aktina_ml.errors import InputError
from aktina_ml.segmentation.artifact import SegmentationModel
from aktina_ml.segmentation.features import parse_number

# Decimal fields of the legacy call that the model reads: text must be a number ("0.80").
LEGACY_NUMBERS = ("male_female_ratio",)
_rendered: dict[str, str] = {}


def dumps(body: Any) -> str:
    """Compact, strict JSON, as the API answers."""
    return strict_dumps(body)


def check_unique_ids(ids: Sequence[int | None]) -> None:
    """Refuse (422) a retailer id given twice (the row cap is the request model's)."""
    seen: dict[int, int] = {}
    for position, retailer_id in enumerate(ids):
        if retailer_id is None:
            continue
        if retailer_id in seen:
            raise InputError(
                f"retailers[{position}].id: duplicate retailer id {retailer_id} "
                f"(also retailers[{seen[retailer_id]}].id)"
            )
        seen[retailer_id] = position


def check_numbers(retailers: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> None:
    """Refuse (422) a numeric field that holds text which is not a number, naming it."""
    for name in fields:
        texts = {v for r in retailers if isinstance(v := r.get(name), str)}
        bad = {v for v in texts if v.strip() and math.isnan(parse_number(v))}
        if bad:
            position = next(i for i, r in enumerate(retailers) if r.get(name) in bad)
            value = retailers[position][name]
            raise InputError(f"retailers[{position}].{name}: {value!r} is not a number")


def assignments(
    loaded: LoadedModel[SegmentationModel], retailers: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The ``POST /segments/assign`` answer."""
    model = loaded.model
    ids = model.assign(retailers).tolist()
    return {
        "model_version": loaded.manifest.version,
        "assignments": [
            {
                "retailer_id": r.get("id"),
                "segment_id": sid,
                "segment_name": model.profiles[sid]["name"],
                "expected_volume_mix": model.profiles[sid]["volume_mix"],
            }
            for r, sid in zip(retailers, ids, strict=True)
        ],
    }


def legacy_answer(
    model: SegmentationModel, retailers: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The ``POST /segment-customers`` answer with the keys and types the app reads."""
    check_numbers(retailers, LEGACY_NUMBERS)
    ids = model.assign(retailers).tolist()
    counts = dict.fromkeys(sorted(model.profiles), 0)
    for sid in ids:
        counts[sid] += 1
    return {
        "retailer_segments": {str(r["id"]): sid for r, sid in zip(retailers, ids, strict=True)},
        "segment_descriptions": {str(s): model.profiles[s]["name"] for s in counts},
        "segment_distribution": {str(s): n for s, n in counts.items()},
    }


def retailer_segment(loaded: LoadedModel[SegmentationModel], retailer_id: int) -> dict[str, Any]:
    """The ``GET /segments/{retailer_id}`` answer; 404 for a retailer the model never saw."""
    model = loaded.model
    sid = model.segment_of(retailer_id)
    if sid is None:
        raise NotFoundError(
            f"retailer {retailer_id} is not in segmentation model {loaded.manifest.version}; "
            "POST its demographics to /segments/assign"
        )
    profile = model.profiles[sid]
    return {
        "retailer_id": retailer_id,
        "segment_id": sid,
        "segment_name": profile["name"],
        "expected_volume_mix": profile["volume_mix"],
        "segment": profile,
        "model_version": loaded.manifest.version,
    }


def overview_json(loaded: LoadedModel[SegmentationModel]) -> str:
    """The ``GET /segments`` body, rendered once per model version."""
    version = loaded.manifest.version
    if version not in _rendered:
        _rendered.clear()
        body = {"model_version": version, **loaded.model.overview()}
        _rendered[version] = dumps(body)
    return _rendered[version]

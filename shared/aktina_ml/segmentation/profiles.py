"""Segment profiles: who is in a segment, how it sells, and a name derived from the data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from aktina_ml.data import retailer_columns
from aktina_ml.segmentation.features import CATEGORICAL, NUMERIC, UNKNOWN, category_levels
from aktina_ml.segmentation.levels import OTHER
from aktina_ml.segmentation.volume import VOLUME_CLASSES, volume_mix

# How a dominant value reads in a name ("Urban · adult · high income"); city: free text, its
# levels case-folded, shown title-cased. How a clearly higher / lower numeric average reads.
_PHRASE = retailer_columns.PHRASES
_NUMERIC_PHRASE = retailer_columns.NUMERIC_PHRASES
DOMINANT_SHARE = 0.5  # a value names a segment when at least half of it has that value …
DISTINCTIVE_LIFT = 1.15  # … and it is clearly more common there than overall
NUMERIC_SHIFT = 0.5  # numeric averages named when this many standard deviations off
MIN_NAMING_WEIGHT = 0.05  # dimensions with (almost) no volume signal do not name segments


def build_profiles(
    segments: np.ndarray,
    prepared: Mapping[str, np.ndarray],
    volume: np.ndarray,
    sales: np.ndarray,
    weights: Mapping[str, float],
    free_text: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[int, dict[str, Any]]:
    """Profile of every segment id present in ``segments`` (one entry per retailer).

    ``free_text``: the levels of the free-text inputs (city, business type), whose values in
    ``prepared`` are those levels.
    """
    total = len(segments)
    levels = {name: category_levels(name) for name in CATEGORICAL} | dict(free_text or {})
    overall_share = {
        name: {lvl: float(np.mean(prepared[name] == lvl)) for lvl in lv}
        for name, lv in levels.items()
    }
    overall_average = float(np.mean(sales)) if total else 0.0
    profiles: dict[int, dict[str, Any]] = {}
    for sid in sorted(set(segments.tolist())):
        mask = segments == sid
        size = int(mask.sum())
        demographics = {
            name: {lvl: round(float(np.mean(prepared[name][mask] == lvl)), 4) for lvl in lv}
            for name, lv in levels.items()
        }
        numeric = {
            name: _numeric_summary(prepared[name], mask, transform)
            for name, transform in NUMERIC.items()
        }
        mix = volume_mix(volume[mask])
        traits = _traits(demographics, overall_share, numeric, prepared, mask, weights)
        profiles[sid] = {
            "id": sid,
            "size": size,
            "share": round(size / total, 4),
            "volume_mix": mix,
            "total_sales": round(float(sales[mask].sum()), 2),
            "average_sales": round(float(sales[mask].mean()), 2),
            "demographics": demographics,
            "numeric": numeric,
            "traits": traits,
        }
        profiles[sid]["name"] = _name(traits, mix)
        profiles[sid]["description"] = _description(profiles[sid], overall_average)
    _make_names_unique(profiles)
    return profiles


def _numeric_summary(
    values: np.ndarray, mask: np.ndarray, transform: str
) -> dict[str, float | None]:
    """Median on the original scale and the share of retailers with a known value."""
    present = values[mask & ~np.isnan(values)]
    if present.size == 0:
        return {"median": None, "known_share": 0.0}
    median = float(np.median(present))
    if transform == "log":
        median = float(np.expm1(median))
    return {"median": round(median, 4), "known_share": round(present.size / int(mask.sum()), 4)}


def _traits(
    demographics: Mapping[str, Mapping[str, float]],
    overall: Mapping[str, Mapping[str, float]],
    numeric: Mapping[str, Any],
    prepared: Mapping[str, np.ndarray],
    mask: np.ndarray,
    weights: Mapping[str, float],
) -> list[str]:
    """Distinctive traits, most volume-telling dimension first."""
    found: list[tuple[float, str]] = []
    for name, shares in demographics.items():
        if weights.get(name, 0.0) < MIN_NAMING_WEIGHT:
            continue
        level, share = max(
            ((lvl, s) for lvl, s in shares.items() if lvl not in (UNKNOWN, OTHER)),
            key=lambda x: x[1],
            default=(UNKNOWN, 0.0),
        )
        base = overall[name].get(level, 0.0)
        if share >= DOMINANT_SHARE and (base == 0 or share / base >= DISTINCTIVE_LIFT):
            phrase = _PHRASE.get(name, "{}")
            shown = level.title() if name not in _PHRASE or name == "city" else level
            found.append((weights[name] * share, phrase.format(shown)))
    for name, (higher, lower) in _NUMERIC_PHRASE.items():
        values = prepared[name]
        known = ~np.isnan(values)
        if weights.get(name, 0.0) < MIN_NAMING_WEIGHT or known[mask].sum() == 0 or known.sum() < 2:
            continue
        spread = float(np.std(values[known])) or 1.0
        shift = (float(np.mean(values[mask & known])) - float(np.mean(values[known]))) / spread
        if abs(shift) >= NUMERIC_SHIFT:
            found.append((weights[name] * min(abs(shift), 1.0), higher if shift > 0 else lower))
    found.sort(key=lambda item: -item[0])
    return [text for _, text in found[:3]]


def _name(traits: list[str], mix: Mapping[str, float]) -> str:
    head = " · ".join(traits) if traits else "Mixed demographics"
    volume_class = max(VOLUME_CLASSES, key=lambda c: mix[c])
    return f"{head[:1].upper()}{head[1:]} — {round(mix[volume_class] * 100)}% {volume_class} volume"


def _description(profile: Mapping[str, Any], overall_average: float) -> str:
    mix = profile["volume_mix"]
    who = (
        f"mostly {', '.join(profile['traits'])}"
        if profile["traits"]
        else "no single trait stands out"
    )
    return (
        f"{profile['size']} retailers ({profile['share'] * 100:.0f}%), {who}; "
        f"{mix['high'] * 100:.0f}% high, {mix['medium'] * 100:.0f}% medium and "
        f"{mix['low'] * 100:.0f}% low volume, average sales {profile['average_sales']:,.0f} "
        f"against {overall_average:,.0f} overall."
    )


def _make_names_unique(profiles: dict[int, dict[str, Any]]) -> None:
    seen: dict[str, int] = {}
    for profile in profiles.values():
        seen[profile["name"]] = seen.get(profile["name"], 0) + 1
    for sid, profile in profiles.items():
        if seen[profile["name"]] > 1:
            profile["name"] = f"{profile['name']} (segment {sid})"

"""The measured facts that risk and recommendations rest on, gathered from the promoted
models (numpy and plain values only).

This is the one place that reads the demand artifact's ``facts`` (what training measured
on the raw data) and a model's manifest-level state (age, quality gate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from aktina_ml.insights.spans import Span


@dataclass(frozen=True)
class ModelState:
    """What serving knows of one promoted model besides its artifact."""

    name: str
    version: str
    trained_at: str  # ISO date-time the model was saved
    gate: tuple[str, ...] = ()  # the quality gate's problems it was promoted despite

    def age_days(self, today: date) -> int | None:
        """Whole days from the training day to ``today`` (None when the date is unreadable)."""
        try:
            trained = datetime.fromisoformat(self.trained_at).date()
        except ValueError:
            return None
        return (today - trained).days

    @classmethod
    def from_manifest(cls, manifest: Any) -> ModelState:
        """From a model store :class:`Manifest` (``metadata.gate``: problems overridden)."""
        gate = manifest.metadata.get("gate") or ()
        return cls(manifest.name, manifest.version, manifest.created_at, tuple(map(str, gate)))


@dataclass(frozen=True)
class Concentration:
    """How concentrated Aktina's sales are among its buyers over one window."""

    top5_share: float
    buyers: int
    hhi: float  # Herfindahl index of buyer shares, 0–1
    start: str | None = None
    end: str | None = None

    @classmethod
    def read(cls, data: object) -> Concentration | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                top5_share=float(data["top5_share"]),
                buyers=int(data["buyers"]),
                hhi=float(data["hhi"]),
                start=data.get("start"),
                end=data.get("end"),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "top5_share": round(self.top5_share, 4),
            "buyers": self.buyers,
            "hhi": round(self.hhi, 4),
            "start": self.start,
            "end": self.end,
        }


def concentration(facts: dict[str, Any]) -> tuple[Concentration | None, Concentration | None]:
    """The last 90 days' buyer concentration and the 90 days' before, from the demand
    artifact's ``facts["retailer_concentration"]`` = ``{days, current: {top5_share, buyers,
    hhi, start, end}, previous: {same keys}}`` (:mod:`aktina_ml.demand.facts`)."""
    data = facts.get("retailer_concentration")
    if not isinstance(data, dict):
        return None, None
    return Concentration.read(data.get("current")), Concentration.read(data.get("previous"))


@dataclass(frozen=True)
class ProductOutlook:
    """One product's next 30 days against the 30 days before, and the 30 before those."""

    product_id: int
    name: str
    model: str | None
    span: Span  # units; ``previous`` = the last 30 days
    past_change: float | None  # last 30 days against the 30 before (None: not measurable)
    method: str
    method_note: str

    @property
    def label(self) -> str:
        return self.model or self.name


def drift_verdict(accuracy: dict[str, Any] | None) -> dict[str, Any] | None:
    """A forecast's drift verdict, when its monitoring has one with figures."""
    drift = (accuracy or {}).get("drift")
    return drift if isinstance(drift, dict) and "recent_mase" in drift else None


@dataclass(frozen=True)
class Facts:
    """Everything the risk level and the recommendations are ruled on."""

    today: date
    revenue: tuple[Span, ...]  # next 30 days, next quarter
    units: Span | None  # next 30 days, all products
    products: tuple[ProductOutlook, ...]
    # (what, drift verdict) of the revenue and units forecasts' monitoring
    # (forecasting/monitoring.py); only those that monitoring has scored
    drift: tuple[tuple[str, dict[str, Any]], ...]
    concentration: Concentration | None
    concentration_before: Concentration | None
    models: tuple[ModelState, ...]
    refused: tuple[tuple[str, str], ...]  # (model, why) promoted models serving refused
    segment_trends: tuple[dict[str, Any], ...]  # ranked, largest rise first

"""The model kinds this service trains and serves, listed for the entry points.

Only entry points (the functions, the command line, the local server, the training runner)
import this module; a kind names itself in its own package. A new kind plugs in with its
``kind.py`` and one entry in :data:`KINDS` (and its name in ``config.MODEL_NAMES``).
"""

from __future__ import annotations

from aktina_ml.demand.kind import DEMAND
from aktina_ml.forecasting.kind import FORECAST
from aktina_ml.kind import ModelKind
from aktina_ml.segmentation.kind import SEGMENTATION

KINDS: dict[str, ModelKind] = {kind.name: kind for kind in (SEGMENTATION, FORECAST, DEMAND)}
MODEL_NAMES: tuple[str, ...] = tuple(KINDS)


def unknown_models(names: tuple[str, ...] | list[str]) -> list[str]:
    """The names in ``names`` that are no model kind, sorted."""
    return sorted(set(names) - set(KINDS))

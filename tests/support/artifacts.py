"""Small artifact types for model-store tests (real artifacts are built where they matter)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Toy:
    """A stand-in artifact: a label and numpy data, like the real ones."""

    label: str
    values: np.ndarray = field(default_factory=lambda: np.arange(3.0))


@dataclass
class OtherToy:
    """Another kind: loading it where a Toy is expected must be refused."""

    label: str

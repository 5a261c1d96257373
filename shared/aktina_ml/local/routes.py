"""The API's routes as API Gateway knows them: (method, resource path) → function folder.

Mirrors the ``Events`` of the SAM template: one row per API event. A new function plugs in
by adding its rows; routes whose function folder does not exist are left out at start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# The repository's functions/ folder (the package lives in <root>/shared/aktina_ml).
FUNCTIONS_DIR = Path(__file__).resolve().parents[3] / "functions"


@dataclass(frozen=True)
class Route:
    """One API Gateway method: ``resource`` may hold ``{name}`` path parameters."""

    method: str
    resource: str
    function: str
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = []
        for part in self.resource.strip("/").split("/"):
            name = re.fullmatch(r"\{(\w+)\}", part)
            parts.append(f"(?P<{name[1]}>[^/]+)" if name else re.escape(part))
        object.__setattr__(self, "pattern", re.compile("/" + "/".join(parts)))

    @property
    def literal_parts(self) -> int:
        return sum(1 for p in self.resource.split("/") if p and not p.startswith("{"))

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters when ``path`` is this resource, else None."""
        found = self.pattern.fullmatch(path)
        return None if found is None else found.groupdict()


ROUTES: tuple[Route, ...] = (
    Route("GET", "/segments", "segment"),
    Route("GET", "/segments/{retailer_id}", "segment"),
    Route("POST", "/segments/assign", "segment"),
    Route("POST", "/segment-customers", "segment"),
    Route("GET", "/forecast", "forecast"),
    Route("GET", "/forecast/segments", "forecast"),
    Route("GET", "/forecast/accuracy", "forecast"),
    Route("GET", "/summary", "forecast"),
    Route("POST", "/predict-sales", "forecast"),
    Route("GET", "/health", "health"),
    Route("GET", "/models", "health"),
)


class RouteTable:
    """Resolves a request to a route the way API Gateway does: literal paths win over
    ``{parameters}``, and an unknown method or path matches nothing."""

    def __init__(self, routes: tuple[Route, ...] | list[Route]) -> None:
        self.routes = list(routes)
        self._by_specificity = sorted(self.routes, key=lambda r: -r.literal_parts)

    @classmethod
    def available(
        cls, functions_dir: Path = FUNCTIONS_DIR, routes: tuple[Route, ...] = ROUTES
    ) -> RouteTable:
        """The routes whose function folder (``functions/<name>/app.py``) exists."""
        return cls([r for r in routes if (functions_dir / r.function / "app.py").is_file()])

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self._by_specificity:
            if route.method == method:
                params = route.match(path)
                if params is not None:
                    return route, params
        return None

    @property
    def functions(self) -> list[str]:
        return sorted({r.function for r in self.routes})

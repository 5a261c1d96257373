"""What the demo generator makes (no heavy imports: the CLI reads its defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class DemoSpec:
    """What to generate. ``timezone`` is the business day the timestamps follow."""

    retailers: int = 500
    orders: int = 100_000  # total orders of all parties, all statuses
    days: int = 1095  # history length (2–3 years realistic)
    end: date = date(2026, 10, 31)  # last day of history
    aktina_users: int = 3
    vendors: int = 20
    seed: int = 42
    timezone: str = "Africa/Kampala"  # the Aktina app's config('app.timezone')

    def __post_init__(self) -> None:
        for name, low in (
            ("retailers", 1),
            ("orders", 0),
            ("days", 1),
            ("aktina_users", 1),
            ("vendors", 1),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < low:
                raise ValueError(f"DemoSpec.{name} must be an integer >= {low}, got {value!r}")
        if self.start.year < 1971 or self.end.year > 2037:
            raise ValueError("DemoSpec: the history must lie within 1971–2037 (MySQL TIMESTAMP)")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"DemoSpec.timezone: unknown time zone {self.timezone!r}") from None

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.days - 1)

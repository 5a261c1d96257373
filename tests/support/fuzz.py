"""What the fuzz and hostile-input tests share: strict JSON parsing and a trained store."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from aktina_ml.config import load_settings
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.registry import MODEL_NAMES
from aktina_ml.training import train_from_csv

TIMEZONE = "UTC"
# A retailer row with every field of the wrong type: 12 problems per row.
BAD_RETAILER = {
    "id": "x",
    "male_female_ratio": [],
    "city": [],
    "urban_rural_classification": 1,
    "customer_age_class": 1,
    "customer_income_bracket": 1,
    "customer_education_level": 1,
    "business_type": 1,
    "annual_revenue": [],
    "employee_count": [],
    "years_in_business": [],
    "user": 1,
}


def strict_json(raw: bytes | str) -> Any:
    """Parse as JSON, refusing the NaN/Infinity literals Python's json would accept."""

    def refuse(literal: str) -> None:
        raise ValueError(f"{literal} is not JSON")

    return json.loads(raw, parse_constant=refuse)


def train_every_model(base: Path) -> Path:
    """Every model kind trained from a small demo dataset ending yesterday."""
    spec = DemoSpec(
        retailers=120,
        orders=8_000,
        days=400,
        end=date.today() - timedelta(days=1),
        seed=11,
        timezone=TIMEZONE,
    )
    generate(spec).write_csv(base / "demo")
    settings = load_settings(model_store=str(base / "models"), timezone=TIMEZONE)
    results = train_from_csv(MODEL_NAMES, base / "demo", settings)
    assert all(r.promoted for r in results), [r.reason for r in results]
    return base / "models"

"""ApexCharts-ready chart data built from segment profiles (plain Python, no heavy imports).

Each chart is ``{"type", "title", "labels" | "categories", "series", …}`` so the app can pass
it to ``new ApexCharts(el, {chart: {type}, labels/xaxis.categories, series})`` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aktina_ml.palette import segment_color
from aktina_ml.segmentation.features import CATEGORICAL, category_levels

DIMENSION_TITLES = {
    "urban_rural_classification": "Location type",
    "customer_age_class": "Customer age class",
    "customer_income_bracket": "Customer income bracket",
    "customer_education_level": "Customer education level",
}


def chart_data(profiles: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Pie of segment sizes, performance bars, and one stacked bar chart per demographic."""
    names = [p["name"] for p in profiles]
    ids = [p["id"] for p in profiles]
    colors = [segment_color(i) for i in ids]
    return {
        "distribution": {
            "type": "pie",
            "title": "Segment distribution",
            "labels": names,
            "segment_ids": ids,
            "colors": colors,  # one colour per segment id, as in GET /forecast/segments
            "series": [p["size"] for p in profiles],
        },
        "performance": {
            "type": "bar",
            "title": "Segment performance comparison",
            "categories": names,
            "segment_ids": ids,
            "segment_colors": colors,
            "series": [
                *(
                    {
                        "name": f"{cls.capitalize()} volume (%)",
                        "group": "volume_mix",
                        "data": [round(p["volume_mix"][cls] * 100, 1) for p in profiles],
                    }
                    for cls in ("high", "medium", "low")
                ),
                {
                    "name": "Average sales",
                    "group": "average_sales",
                    "data": [p["average_sales"] for p in profiles],
                },
            ],
            "yaxis": [
                {"seriesName": "High volume (%)", "title": "Share of retailers (%)", "max": 100},
                {"seriesName": "Average sales", "title": "Average sales", "opposite": True},
            ],
        },
        "demographics": _demographics(profiles, names, ids),
    }


def _demographics(
    profiles: Sequence[dict[str, Any]], names: list[str], ids: list[int]
) -> list[dict[str, Any]]:
    """One stacked bar chart per demographic: each segment's mix of its levels (%)."""
    return [
        {
            "type": "bar",
            "stacked": True,
            "dimension": name,
            "title": DIMENSION_TITLES[name],
            "categories": names,
            "segment_ids": ids,
            "series": [
                {
                    "name": level,
                    "data": [round(p["demographics"][name][level] * 100, 1) for p in profiles],
                }
                for level in category_levels(name)
            ],
        }
        for name in CATEGORICAL
    ]

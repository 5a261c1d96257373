"""GET /summary end to end on demo data: every model trained from the app's table exports,
then the data changes (one retailer buys much more of one product) and every figure of the
page summary follows."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from aktina_ml.config import load_settings
from aktina_ml.demo.generator import DemoSpec, generate
from aktina_ml.registry import MODEL_NAMES
from aktina_ml.training import train_from_csv
from tests.support.handlers import load_handler

ZONE = "Africa/Kampala"
SURGE_DAYS = 45  # the extra orders fall in the last days of the history
SURGE_ORDERS = 120


def train_and_summarise(
    data: Path, store: Path, monkeypatch: pytest.MonkeyPatch, event: dict, context: Any
) -> dict[str, Any]:
    settings = load_settings(model_store=str(store), timezone=ZONE, db_timezone=ZONE)
    results = train_from_csv(MODEL_NAMES, data, settings)
    assert all(r.promoted for r in results), [r.reason for r in results]
    monkeypatch.setenv("AKTINA_MODEL_STORE", str(store))
    monkeypatch.setenv("AKTINA_TIMEZONE", ZONE)
    monkeypatch.setenv("AKTINA_DB_TIMEZONE", ZONE)
    response = load_handler("forecast").lambda_handler(event, context)
    assert response["statusCode"] == 200
    return json.loads(response["body"])


def add_surge(data: Path, product_id: int) -> int:
    """One retailer orders ``product_id`` many times in the last days; returns the buyer."""
    orders = pd.read_csv(data / "orders.csv", keep_default_na=False, dtype=str)
    sold = orders[orders["status"] == "delivered"]
    template = sold.iloc[-1]
    buyer = template["buyer_id"]
    last = datetime.fromisoformat(sold["created_at"].max()).replace(hour=11, minute=0, second=0)
    extra = []
    for k in range(SURGE_ORDERS):
        row = template.copy()
        day = last - timedelta(days=k % SURGE_DAYS)
        quantity, unit_price = 40, 150.0
        row["id"] = str(len(orders) + k + 1)
        row["items"] = json.dumps(
            [
                {
                    "product_id": product_id,
                    "quantity": quantity,
                    "unit_price": unit_price,
                    "total": quantity * unit_price,
                }
            ]
        )
        row["price"] = f"{quantity * unit_price:.2f}"
        row["created_at"] = row["updated_at"] = day.strftime("%Y-%m-%d %H:%M:%S")
        extra.append(row)
    pd.concat([orders, pd.DataFrame(extra)]).to_csv(data / "orders.csv", index=False)
    return int(buyer)


def test_every_figure_follows_a_change_in_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load_event, lambda_context
) -> None:
    # Given every model trained on demo data that ends yesterday, and the page summary
    spec = DemoSpec(
        retailers=120,
        orders=8_000,
        days=400,
        end=date.today() - timedelta(days=1),
        seed=11,
        timezone=ZONE,
    )
    generate(spec).write_csv(tmp_path / "demo")
    event = load_event("summary_get.json")
    before = train_and_summarise(
        tmp_path / "demo", tmp_path / "before", monkeypatch, event, lambda_context
    )
    assert before["demand"]["status"] == "ok"
    steady = min(
        before["demand"]["products"],
        key=lambda p: abs(p["change"] or 0.0) if p["method"] != "phased_out" else 9.0,
    )

    # When one retailer orders a steady product many times in the last weeks, and every
    # model is trained again
    add_surge(tmp_path / "demo", steady["product_id"])
    after = train_and_summarise(
        tmp_path / "demo", tmp_path / "after", monkeypatch, event, lambda_context
    )

    # Then revenue: both spans and their intervals move up
    for old, new in zip(before["revenue"]["spans"], after["revenue"]["spans"], strict=True):
        assert new["point"] > old["point"]
        assert new["previous"] > old["previous"]
        assert (new["lower"], new["upper"]) != (old["lower"], old["upper"])
    # And demand: units next month, the product's own figures, the largest rise
    assert after["demand"]["month"]["units"] > before["demand"]["month"]["units"]
    by_id = {p["product_id"]: p for p in after["demand"]["products"]}
    assert by_id[steady["product_id"]]["units"] > steady["units"]
    assert by_id[steady["product_id"]]["previous"] > steady["previous"]
    assert after["demand"]["largest_rise"] != before["demand"]["largest_rise"]
    # And risk: the reasons change (the buyers are more concentrated now)
    assert after["risk"] != before["risk"]
    # And trends: the product grew most
    assert after["trends"]["products"][0]["product_id"] == steady["product_id"]
    assert after["trends"] != before["trends"]
    # And the recommendations rest on the new figures
    assert after["recommendations"] != before["recommendations"]
    # And the chart: revenue history and units both end higher
    for series in ("revenue", "units"):
        old, new = before["chart"][series]["history"], after["chart"][series]["history"]
        assert new["values"][-1] > old["values"][-1]

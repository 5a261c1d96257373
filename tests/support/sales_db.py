"""A small, reproducible Laravel data set: Aktina sellers, retailers with demographics, and
a year and a half of daily orders with a weekly pattern (enough for both trainers)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

CITIES = ("Kampala", "Entebbe", "Jinja", "Gulu", "Mbarara")
AREAS = ("urban", "suburban", "rural")
AGES = ("youth", "adult", "senior")
INCOMES = ("low", "medium", "high")
EDUCATION = ("low", "mid", "high")


def seed_sales(insert: Any, *, retailers: int = 24, days: int = 540, seed: int = 7) -> None:
    """Fill users, retailers and orders through ``insert(table, rows)`` (LaravelDatabase)."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, 12)  # naive UTC, as Laravel stores timestamps
    users = [_user(1, "Aktina Sales", "Aktina", "vendor", now)]
    users += [
        _user(1 + i, f"Retailer {i}", f"Shop {i}", "retailer", now) for i in range(1, retailers + 1)
    ]
    insert("users", users)
    insert(
        "retailers",
        [
            {
                "user_id": 1 + i,
                "male_female_ratio": round(rng.uniform(0.5, 1.5), 2),
                "city": rng.choice(CITIES),
                "urban_rural_classification": rng.choice(AREAS),
                "customer_age_class": rng.choice(AGES),
                "customer_income_bracket": INCOMES[i % 3],
                "customer_education_level": rng.choice(EDUCATION),
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1, retailers + 1)
        ],
    )
    orders = []
    for day in range(days):
        when = now - timedelta(days=days - day)
        for _ in range(2 + (3 if when.weekday() < 5 else 0)):
            buyer = rng.randint(2, retailers + 1)
            orders.append(
                {
                    "price": round(rng.uniform(50, 400) * (1 + (buyer % 3)), 2),
                    "items": json.dumps([{"product_id": 1, "quantity": 1}]),
                    "buyer_id": buyer,
                    "seller_id": 1,
                    "status": "delivered",
                    "created_at": when,
                    "updated_at": when,
                }
            )
    insert("orders", orders)


def _user(user_id: int, name: str, company: str, role: str, now: datetime) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": name,
        "email": f"user{user_id}@example.test",
        "password": "not-a-real-hash",
        "company_name": company,
        "role": role,
        "created_at": now,
        "updated_at": now,
    }

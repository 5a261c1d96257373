"""The retailer-column table: the contracts and the schema hold the columns it lists."""

from __future__ import annotations

from typing import get_type_hints

from aktina_ml.data import retailer_columns
from aktina_ml.demo.schema import table_columns
from aktina_ml.segmentation.contracts import LegacyRetailer, RetailerDemographics

# Every table column but the keys is a field of a retailer object in the API (``id`` there).
API_FIELDS = {"id"} | {c.name for c in retailer_columns.COLUMNS if c.kind != "key"}


def test_the_assign_contract_has_a_field_for_every_column() -> None:
    # Given the strict request model of POST /segments/assign
    fields = set(RetailerDemographics.model_fields)
    # Then its fields are the table's columns, no more, no fewer
    assert fields == API_FIELDS


def test_the_legacy_contract_has_a_field_for_every_column() -> None:
    # Given the legacy retailer shape (the app also posts its sales and its user)
    fields = set(get_type_hints(LegacyRetailer)) - {"total_sales", "user"}
    # Then its fields are the table's columns too
    assert fields == API_FIELDS


def test_the_demo_schema_has_every_column_the_service_reads() -> None:
    # Given the app's retailers table as the tests and the demo create it
    schema = set(table_columns("retailers"))
    # Then every column the service selects is in it
    assert {c.table_name for c in retailer_columns.COLUMNS} <= schema
    assert retailer_columns.SELECT_LIST.split(", ") == [
        c.table_name for c in retailer_columns.COLUMNS
    ]


def test_every_number_is_a_demographic_or_a_business_figure() -> None:
    # Given the table's numeric columns
    numbers = list(retailer_columns.NUMERIC)
    # Then each is a clustering input or a business figure (described, never an input)
    assert sorted(numbers) == sorted(
        retailer_columns.DEMOGRAPHIC_NUMERIC + retailer_columns.BUSINESS_NUMERIC
    )
    assert not set(retailer_columns.DEMOGRAPHIC_NUMERIC) & set(retailer_columns.BUSINESS_NUMERIC)
    # And every enum lists its values, every free-text input is text
    assert all(retailer_columns.ENUMS.values())
    assert {c.kind for c in retailer_columns.COLUMNS if c.name in retailer_columns.FREE_TEXT} == {
        "text"
    }

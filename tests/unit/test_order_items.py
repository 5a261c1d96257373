"""parse_items: the app's orders.items JSON, read for many orders, every bad shape counted."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aktina_ml.data.order_items import LINE_COLUMNS, PROBLEMS, parse_items


def line(product: object, quantity: object, unit_price: object = 10.0, total: object = None):
    return {
        "product_id": product,
        "quantity": quantity,
        "unit_price": unit_price,
        "total": quantity * unit_price if total is None else total,  # type: ignore[operator]
    }


def test_good_orders_give_one_row_per_line_and_no_problem():
    # Given two orders as the app writes them (the second with two lines)
    items = [json.dumps([line(1, 2)]), json.dumps([line(2, 1, 5.0), line(1, 3)])]
    # When parsed with matching prices and the catalogue
    parsed = parse_items([7, 8], items, [20.0, 35.0], known_products={1, 2})
    # Then every line is there, and every problem is counted as 0
    assert list(parsed.lines.columns) == list(LINE_COLUMNS)
    assert parsed.lines["order_id"].tolist() == [7, 8, 8]
    assert parsed.lines["product_id"].tolist() == [1, 2, 1]
    assert parsed.lines["quantity"].tolist() == [2, 1, 3]
    assert parsed.lines["total"].tolist() == [20.0, 5.0, 30.0]
    assert parsed.problems == dict.fromkeys(PROBLEMS, 0)
    assert parsed.orders == 2


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "missing"),
        ("", "missing"),
        ("  ", "missing"),
        ("[]", "missing"),
        (float("nan"), "missing"),
        ("[{", "malformed"),
        ("not json", "malformed"),
        (b"\xff\xfe[", "malformed"),
        ('{"product_id": 1, "quantity": 2}', "not_a_list"),
        ("42", "not_a_list"),
        ('"just text"', "not_a_list"),
        ("null", "not_a_list"),
    ],
)
def test_an_order_without_a_readable_list_is_counted_once(value, problem):
    # Given one bad order beside a good one
    parsed = parse_items([1, 2], [value, json.dumps([line(5, 1)])], [10.0, 10.0])
    # When parsed: Then the bad order is counted under its problem, the good one kept
    assert parsed.problems[problem] == 1
    assert sum(parsed.problems.values()) == 1
    assert parsed.lines["order_id"].tolist() == [2]


@pytest.mark.parametrize(
    "bad",
    [
        "a string line",
        [1, 2],
        {"quantity": 2, "total": 20},  # no product
        line(None, 2),
        line("abc", 2),
        line(1.5, 2),
        line(True, 2),
        line(-3, 2),
        line(1, 0),
        line(1, -4),
        line(1, 2.5),
        line(1, 1e20),
        line(2**63, 1),
        line(1, float("inf")),
        {"product_id": 1, "quantity": "many", "total": 1},
        {"product_id": 1},  # no quantity
    ],
)
def test_a_bad_line_is_counted_and_the_orders_other_lines_kept(bad):
    # Given an order with one good and one bad line
    parsed = parse_items([9], [json.dumps([line(1, 2), bad])], [20.0])
    # When parsed: Then the bad line is counted and left out; no price mismatch is added
    assert parsed.problems["bad_line"] == 1
    assert parsed.problems["price_mismatch"] == 0
    assert parsed.lines["product_id"].tolist() == [1]


def test_integral_numbers_in_other_shapes_are_read():
    # Given ids and quantities as text or as whole floats (a form or a PHP cast)
    items = [
        json.dumps([{"product_id": "3", "quantity": "2", "total": "19.98"}]),
        json.dumps([{"product_id": 4.0, "quantity": 1.0, "unit_price": 5}]),
    ]
    # When parsed
    parsed = parse_items([1, 2], items, [19.98, 5.0])
    # Then both lines are read; a line without a total takes quantity × unit_price
    assert parsed.lines["product_id"].tolist() == [3, 4]
    assert parsed.lines["quantity"].tolist() == [2, 1]
    assert parsed.lines["total"].tolist() == pytest.approx([19.98, 5.0])
    assert sum(parsed.problems.values()) == 0


def test_a_list_stored_as_a_json_string_is_read_and_counted_as_such():
    # Given the app's seeder's shape: json_encode'd text in a column cast to array
    twice = json.dumps(json.dumps([line(1, 2)]))
    # When parsed
    parsed = parse_items([1], [twice], [20.0])
    # Then the line is read, and the double encoding is reported (not a problem)
    assert parsed.lines["quantity"].tolist() == [2]
    assert parsed.double_encoded == 1
    assert sum(parsed.problems.values()) == 0


def test_already_decoded_lists_and_bytes_are_read():
    parsed = parse_items([1, 2], [[line(1, 1)], json.dumps([line(2, 1)]).encode()])
    assert parsed.lines["product_id"].tolist() == [1, 2]


def test_unknown_products_are_counted_and_left_out():
    # Given a line naming a product not in the catalogue
    parsed = parse_items([1], [json.dumps([line(1, 2), line(99, 1)])], [30.0], {1, 2})
    # When parsed: Then it is counted and dropped, and the price still matches all lines
    assert parsed.problems["unknown_product"] == 1
    assert parsed.problems["price_mismatch"] == 0
    assert parsed.lines["product_id"].tolist() == [1]


def test_without_a_catalogue_every_product_id_is_kept():
    parsed = parse_items([1], [json.dumps([line(99, 1)])], None, known_products=set())
    assert parsed.lines["product_id"].tolist() == [99]
    assert parsed.problems["unknown_product"] == 0


@pytest.mark.parametrize(
    ("price", "mismatch"),
    [(20.0, 0), (20.15, 0), (20.0095, 0), (20.5, 1), (19.0, 1), (0.02, 1), (np.nan, 0)],
)
def test_price_mismatch_beyond_one_percent_and_a_cent(price, mismatch):
    # Given an order whose lines total 20.00, and a one-cent order that matches
    items = [json.dumps([line(1, 2, 10.0)]), json.dumps([line(1, 1, 0.01)])]
    # When parsed against prices
    parsed = parse_items([1, 2], items, [price, 0.01])
    # Then only a gap over 1 % and over a cent counts
    assert parsed.problems["price_mismatch"] == mismatch


def test_an_order_with_a_line_without_any_total_is_not_checked_against_its_price():
    items = [json.dumps([{"product_id": 1, "quantity": 2}])]
    parsed = parse_items([1], items, [999.0])
    assert parsed.problems["price_mismatch"] == 0
    assert np.isnan(parsed.lines["total"].iloc[0])


def test_nothing_to_parse_gives_an_empty_frame_with_the_columns():
    parsed = parse_items([], [], [], {1})
    assert parsed.lines.empty
    assert list(parsed.lines.columns) == list(LINE_COLUMNS)
    assert parsed.orders == 0


def test_many_orders_at_once():
    # Given 20,000 orders of 1–4 lines
    rng = np.random.default_rng(1)
    counts = rng.integers(1, 5, 20_000)
    items = [json.dumps([line(int(p), 1) for p in rng.integers(1, 6, n)]) for n in counts]
    # When parsed: Then every line comes through
    parsed = parse_items(np.arange(20_000), items, counts * 10.0, set(range(1, 6)))
    assert len(parsed.lines) == counts.sum()
    assert sum(parsed.problems.values()) == 0

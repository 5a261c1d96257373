"""Demand in units per product: Aktina's order lines → daily units → a reconciled forecast
per product, trained and promoted like the other kinds.

The GET path uses only :mod:`artifact` (numpy); training imports pandas and Prophet.
"""

NAME = "demand"  # the model kind's name in the store and the settings

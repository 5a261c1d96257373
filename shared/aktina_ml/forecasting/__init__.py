"""Sales forecasting with Prophet: configuration, backtest, serving artifact, API glue.

Only :mod:`artifact`, :mod:`serving` and :mod:`contracts` are used on the GET path; they
import numpy (and pydantic) only. Prophet and pandas are imported by the training side.
"""

"""Sales forecasting with Prophet: configuration, backtest, serving artifact, training.

The GET path uses only :mod:`artifact`, :mod:`charts`, :mod:`config` and :mod:`contracts`
(numpy and pydantic); Prophet and pandas are imported by the training side and
:mod:`posted`.
"""

NAME = "forecast"  # the model kind's name in the store and the settings

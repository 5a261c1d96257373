"""The page summary (``GET /summary``): figures read from the promoted forecast and demand
models, how sure each is, the measured risks, trends and the rules that turn them into
recommendations. Numpy and plain values only: this runs on the GET path.

Modules, bottom up: :mod:`numbers` (wording of figures), :mod:`certainty` (how sure a span
is, from its interval and the backtest), :mod:`spans` (the next 30/90 days against the span
before), :mod:`trends`, :mod:`risk`, :mod:`recommendations`, :mod:`summary` (assembly).
"""

"""Powertools logger and metrics, created once and shared by every function.

Service name, metrics namespace and log level come from the standard Powertools variables
(POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL).

Only the train function creates a Powertools Tracer. Serving functions rely on Lambda's
active tracing alone: importing the X-Ray SDK costs about 0.3 s of every cold start
(bench/cold_start.py) for subsegments that a millisecond-long request does not need.
"""

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()

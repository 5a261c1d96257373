"""Powertools logger, tracer and metrics, created once and shared by every function.

Service name, metrics namespace and log level come from the standard Powertools variables
(POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL).
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()

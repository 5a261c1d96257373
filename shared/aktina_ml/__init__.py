"""Aktina ML: customer segmentation and sales forecasts for the Aktina supply-chain app."""

__version__ = "0.1.0"

"""Errors of the domain: plain exceptions, no HTTP. The API edge maps them to statuses
(:func:`aktina_ml.api.errors.install_error_handlers`)."""

from __future__ import annotations


class InputError(ValueError):
    """Input the domain cannot use; the message names the field and what is wrong."""

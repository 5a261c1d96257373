"""The cyclic garbage collector on serving paths: out of the way of a request's work.

A 10,000-retailer legacy request builds ~50,000 dicts (the parsed JSON, then pydantic's
validated copies). Each allocation burst made the collector run dozens of times per request,
re-scanning every long-lived object of the container (modules, pydantic schemas, the model):
about a third of the request's time (bench/segmentation.py). Two standard remedies:

* :func:`freeze_init_objects` at the end of a handler module's init: what init built lives
  as long as the container, so the collector stops scanning it (``gc.freeze``). Handler
  modules also turn the collector off while init runs: the imports alone triggered ~200
  collections, 70–95 ms of each cold start (bench/cold_start.py);
* :func:`without_collector_pauses` around the handler: no collection while a request runs.
  A request's objects are freed by reference counting when it ends; the rare cycles
  (e.g. an exception and its traceback) are collected once the collector is back on.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import TypeVar

Handler = TypeVar("Handler", bound=Callable[..., object])


def freeze_init_objects() -> None:
    """End of init: exclude every object alive now from collections; collector on."""
    gc.freeze()
    gc.enable()


def without_collector_pauses(handler: Handler) -> Handler:
    """Run ``handler`` with the cyclic collector off; it is back on between requests."""

    @functools.wraps(handler)
    def paused(*args: object, **kwargs: object) -> object:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return handler(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused  # type: ignore[return-value]

"""Independent pieces of training on every CPU: the backtest's folds in forked processes,
Prophet's fits in threads beside the other members' fits.

A fold's forecasts depend only on its own prefix of the history and on fixed seeds, so a
fold computed in a child process gives the numbers it gives here. :func:`ordered_map` keeps
a share of the items in this process and forks one child per other CPU; each child sends
its results back through a pipe (pickled) and exits. Nothing is forked when this process
runs other threads (a fork copies their locks, not the threads) or cannot fork, and a
child that fails has its items computed here instead, so errors surface as they would in a
plain loop. No shared memory or semaphores: this works where ``multiprocessing.Pool``
does not (AWS Lambda has no /dev/shm).

:func:`beside` runs functions in threads while this thread runs another: Prophet's optimiser
is a CmdStan process of its own, so it runs on another CPU while this thread fits ETS and
Theta (their numbers do not depend on the order: each draws from its own seeded generator,
and Prophet samples numpy's global one under a lock, prophet_direct.seeded).

``ENABLED = False`` runs everything in the calling thread, one item after the other (the
bench's previous code path).
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from aktina_ml.observability import logger

Item = TypeVar("Item")
Result = TypeVar("Result")
Other = TypeVar("Other")
ENABLED = True


def cpus() -> int:
    """CPUs this process may run on (Lambda: 2 vCPUs up to 3,008 MB of memory)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return ENABLED and hasattr(os, "fork") and threading.active_count() == 1


def beside(
    background: Sequence[Callable[[], Result]], foreground: Callable[[], Other]
) -> tuple[list[Result], Other]:
    """``foreground()`` here while each of ``background`` runs in a thread of its own."""
    if not ENABLED or not background:
        return [function() for function in background], foreground()
    from concurrent.futures import ThreadPoolExecutor  # (not on a cold POST's path)

    with ThreadPoolExecutor(max_workers=len(background)) as pool:
        running = [pool.submit(function) for function in background]
        here = foreground()
        return [future.result() for future in running], here


def ordered_map(
    function: Callable[[Item], Result], items: Sequence[Item], processes: int
) -> list[Result]:
    """``[function(i) for i in items]``, the items dealt to up to ``processes`` processes."""
    processes = min(processes, len(items))
    if processes <= 1 or not can_fork():
        if processes > 1 and ENABLED:  # a training on one CPU where two were paid for: say so
            logger.info("training on one CPU", extra={"threads": threading.active_count()})
        return [function(item) for item in items]
    shares = [list(range(k, len(items), processes)) for k in range(processes)]
    gc.freeze()  # the children's collections leave the parent's objects (and pages) alone
    try:
        children = [_fork(function, [items[i] for i in share]) for share in shares[1:]]
    finally:
        gc.unfreeze()
    results: dict[int, Result] = {}
    for i in shares[0]:
        results[i] = function(items[i])
    for share, child in zip(shares[1:], children, strict=True):
        done = cast("list[Result] | None", _collect(child))
        if done is None or len(done) != len(share):  # the child failed: compute here
            done = [function(items[i]) for i in share]
        results.update(zip(share, done, strict=True))
    return [results[i] for i in range(len(items))]


def _fork(function: Callable[[Item], Result], items: list[Item]) -> tuple[int, int] | None:
    """A child computing ``items`` and writing the pickled results to a pipe; (pid, fd)."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: compute, send, leave without the parent's exit handlers
        status = 1
        try:
            os.close(read)
            payload = pickle.dumps([function(item) for item in items], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> list[object] | None:
    """The child's results, or None when it could not start or did not finish."""
    if child is None:
        return None
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    results: list[object] = pickle.loads(payload)
    return results

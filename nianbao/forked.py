"""Work split over forked worker processes, which share this process's data without copying it.

Rendering needs every report at hand; sending 10,000 reports to workers would cost
more than the work. A forked worker starts with the parent's memory as it is, so
the task only has to say which share of the work is its own.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
LEAST = 200  # less work than this is done here: starting workers costs more
_TASK: Callable[[int, int], object] | None = None  # what forked workers run: set just before they start


def _run(share: int, shares: int) -> object:
    assert _TASK is not None
    return _TASK(share, shares)


def run_shares(task: Callable[[int, int], R], size: int, workers: int) -> list[Future[R]]:
    """``task(share, shares)`` for every share, in forked workers when ``size`` (the work) is large
    enough and there are cores, else here; one finished future per share, in order."""
    global _TASK
    if workers > 1 and size >= LEAST and "fork" in multiprocessing.get_all_start_methods():
        shares = workers * 4
        _TASK = task
        gc.freeze()  # the workers' collector then leaves the inherited objects alone (so their pages unshared)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return [pool.submit(_run, share, shares) for share in range(shares)]  # type: ignore[misc]
        finally:
            gc.unfreeze()
            _TASK = None
    done: Future[R] = Future()
    try:
        done.set_result(task(0, 1))
    except Exception as exc:
        done.set_exception(exc)
    return [done]


def fork_map(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[fn(x) for x in items]``, in forked workers when there are many items."""
    futures = run_shares(lambda share, shares: [fn(x) for x in items[share::shares]], len(items), workers)
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for share, future in enumerate(futures):
        out[share :: len(futures)] = future.result()
    return out

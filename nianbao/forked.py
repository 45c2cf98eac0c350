"""Work split over forked worker processes, which share this process's data without copying it.

Rendering needs every report at hand; sending 10,000 reports to workers would cost
more than the work. A forked worker starts with the parent's memory as it is, so
the task only has to say which share of the work is its own.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from typing import TypeVar

from nianbao.write import Writer

T = TypeVar("T")
R = TypeVar("R")
LEAST = 200  # less work than this is done here: starting workers costs more
_TASK: Callable[..., object] | None = None  # what forked workers run: set just before they start


def _start_worker(parent: int, collect: bool) -> None:
    """In a worker as it starts: watch for the process that forked it to die (a build killed with kill -9), and
    end then; else it waits for work forever, holding the caller's stdout. ``collect``: run the garbage collector."""
    if collect:
        gc.enable()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def _run(*args: int) -> object:
    assert _TASK is not None
    return _TASK(*args)


def _can_fork(workers: int, size: int, least: int) -> bool:
    import multiprocessing  # here: a build with little to do need not import it

    return workers > 1 and size >= least and "fork" in multiprocessing.get_all_start_methods()


def run_shares(
    task: Callable[[int, int], R], size: int, workers: int, meanwhile: Callable[[], object] | None = None
) -> list[Future[R]]:
    """``task(share, shares)`` for every share, in forked workers when ``size`` (the work) is large
    enough and there are cores, else here; one finished future per share, in order. ``meanwhile()`` is
    called here while the workers work (after the task, if there are none)."""
    global _TASK
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if _can_fork(workers, size, LEAST):
        shares = workers * 4
        _TASK = task
        frozen = gc.get_freeze_count()  # objects set aside already (a memo read back) stay so
        gc.freeze()  # the workers' collector then leaves the inherited objects alone (so their pages unshared)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(os.getpid(), False)) as pool:
                futures: list[Future[R]] = [pool.submit(_run, share, shares) for share in range(shares)]  # type: ignore[arg-type]
                if meanwhile is not None:
                    meanwhile()
                return futures
        finally:
            if not frozen:
                gc.unfreeze()
            _TASK = None
    done: Future[R] = Future()
    try:
        done.set_result(task(0, 1))
    except Exception as exc:
        done.set_exception(exc)
    if meanwhile is not None:
        meanwhile()
    return [done]


def fork_imap(job: Callable[[int], R], count: int, workers: int, least: int = 16) -> Iterator[R] | None:
    """``job(i)`` for each i in range(count), in that order, as forked workers make them (they find what the job
    reads in the memory they were forked with: nothing is sent to them); None if fewer than ``least`` (starting
    workers would cost more) or there is no fork. The workers run the garbage collector even if this process paused it."""
    if not _can_fork(workers, count, least):
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    def results() -> Iterator[R]:
        global _TASK
        _TASK = job
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(os.getpid(), True)) as pool:
                yield from pool.map(_run, range(count), chunksize=max(1, count // (workers * 8)))  # type: ignore[misc]
        finally:
            _TASK = None

    return results()


def fork_map(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[fn(x) for x in items]``, in forked workers when there are many items."""
    futures = run_shares(lambda share, shares: [fn(x) for x in items[share::shares]], len(items), workers)
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for share, future in enumerate(futures):
        out[share :: len(futures)] = future.result()
    return out


def write_shares(
    task: Callable[[int, int, Writer], R], size: int, workers: int, writer: Writer, meanwhile: Callable[[], object] | None = None
) -> list[R]:
    """``task(share, shares, own)`` for every share as ``run_shares`` runs it (with ``meanwhile``), ``own`` a Writer of its own
    under ``writer``'s root; ``writer`` takes on what every share staged (so that a failure anywhere
    discards it all), then the first failure is raised; else the shares' results, in order."""

    def run(share: int, shares: int) -> tuple[list[tuple[str, str]], int, set[str], R]:
        own = Writer(writer.root, writer.trusted)
        try:
            result = task(share, shares, own)
        except BaseException:
            own.discard()
            raise
        return own.staged, own.unchanged, own.produced, result

    results, failed = [], None
    for outcome in run_shares(run, size, workers, meanwhile):
        if outcome.exception() is not None:
            failed = failed or outcome.exception()
            continue
        staged, unchanged, produced, result = outcome.result()
        writer.adopt(staged, unchanged, produced)
        results.append(result)
    if failed is not None:
        raise failed
    return results

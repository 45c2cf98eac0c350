"""Reports as a build reads them: parsed (in workers, from the cache where the content was seen
before), or as the last build knew them (whole when asked, their texts); and flags across years."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import pickle
import signal
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.build.cache import ParseCache, digest
from nianbao.check import by_agency, check_report, cross_year
from nianbao.config import Config
from nianbao.corrections import apply_corrections
from nianbao.forked import fork_imap
from nianbao.load import load_source
from nianbao.model import Problem, Report, SourceDoc
from nianbao.outliers import outlier_inputs, outliers
from nianbao.parse import parse_report
from nianbao.render.memo import Kind, Memo
from nianbao.search import Pairs, text_pairs

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


def parsed(doc: SourceDoc) -> Report:
    """A document parsed, its sidecar's corrections applied, with the flags it raises on its own (a pure function
    of its content and sidecar, whose hash is the document's: the cache keeps it, a changed sidecar is new)."""
    report, wrong = apply_corrections(parse_report(doc), doc.meta.get("corrections"))
    return report.with_flags(check_report(report) + wrong)


PARSE_SECONDS = 60.0  # one file's parse, at most (a 10 KB report takes milliseconds)


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow in this code if it runs longer than ``seconds``: by SIGALRM, so only in a main thread (every
    forked worker's, the command line's; not the preview server's builder thread), and between Python bytecodes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    before = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def _parse_one(doc: SourceDoc) -> bytes | Problem:
    """``parsed(doc)`` pickled (once: as the cache keeps it, and to cross from a worker), or the Problem that stopped it."""
    try:
        with _time_limit(PARSE_SECONDS):
            report = parsed(doc)
        return pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    except _TooSlow:
        return Problem(doc.source, "parse", f"解析超过 {PARSE_SECONDS:g} 秒，已停止并跳过；请把该文件报告给维护者")
    except Exception as exc:  # one bad file must not stop the build
        log.debug("parse failed", exc_info=True)
        return Problem(doc.source, "parse", f"解析失败（{type(exc).__name__}: {exc}）；请把该文件报告给维护者")


def _parse_and_pairs(doc: SourceDoc) -> tuple[bytes | Problem, np.ndarray | None]:
    """``_parse_one(doc)``, and the search index's pairs of its text: found in the worker while the text is at hand,
    they spare the build a later pass over every report in workers of their own."""
    result = _parse_one(doc)
    return result, None if isinstance(result, Problem) else text_pairs(doc.text)


@contextlib.contextmanager
def _paused() -> Iterator[None]:
    """The collector paused while ``fork_imap``'s results are taken: the reports read back live as long as the
    build, and its passes over the growing heap of them (about a second of a 10,000-report build) find nothing.
    They are set aside from it afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class _Taken:
    """Parsed reports as they come back from workers: read, kept in the cache (by this process: one appends to one
    pack), and their search pairs learnt."""

    def __init__(self, cache: ParseCache, pairs: Pairs | None):
        self.cache, self.pairs = cache, pairs
        self.reports: dict[str, Report] = {}
        self.problems: list[Problem] = []

    def take(self, result: bytes | Problem, found: np.ndarray | None = None) -> None:
        if isinstance(result, Problem):
            self.problems.append(result)
            return
        report = pickle.loads(result)
        self.reports[report.source] = report
        self.cache.put(report, result)
        if self.pairs is not None and found is not None:
            self.pairs.learn(report.source, report.sha256, found)


Read = tuple[SourceDoc | None, list[Problem]]


def read_all(
    paths: list[Path], content: Path, cache: ParseCache, workers: int, pairs: Pairs | None = None
) -> tuple[list[Read], list[Report], list[Problem]]:
    """``load_source`` of each path. When there are many, forked workers read them and also parse each document the
    cache does not hold (``pairs`` learns its search pairs): its text then crosses to this process once, inside its
    report, not three times (read back, sent to a parse worker, back in the report). The documents (those parsed
    here without their text: their reports stand for them), the reports parsed, and the problems parsing met."""

    def job(index: int) -> tuple[Read, bytes | Problem | None, np.ndarray | None]:
        doc, problems = load_source(paths[index], content)
        if doc is None or cache.holds(doc.sha256, doc.source):
            return (doc, problems), None, None
        result, found = _parse_and_pairs(doc)
        if isinstance(result, Problem):  # keeps its text: a later build (the preview's) tries it again
            return (doc, problems), result, None
        return (replace(doc, text=""), problems), result, found

    results = fork_imap(job, len(paths), workers)
    if results is None:
        return [load_source(path, content) for path in paths], [], []
    taken, read = _Taken(cache, pairs), []
    with _paused():
        for loaded, result, found in results:
            read.append(loaded)
            if result is not None:
                taken.take(result, found)  # as they come: this process reads them back while the workers work
    cache.save()
    return read, list(taken.reports.values()), taken.problems


def parse_all(
    docs: list[SourceDoc], cache: ParseCache, workers: int, pairs: Pairs | None = None
) -> tuple[list[Report], list[Problem]]:
    """Parse every document, from the cache where its content was seen before; ``pairs`` learns the search
    index's pairs of those parsed in workers."""
    taken = _Taken(cache, pairs)
    misses = []
    for doc in docs:
        hit = cache.get(doc.sha256, doc.source)
        if hit is not None:
            taken.reports[doc.source] = hit
        else:
            misses.append(doc)
    with _paused():
        results = fork_imap(lambda i: _parse_and_pairs(misses[i]), len(misses), workers)
        for result, found in results if results is not None else ((_parse_one(doc), None) for doc in misses):
            taken.take(result, found)
    cache.save()
    return [taken.reports[d.source] for d in docs if d.source in taken.reports], taken.problems


def whole(config: Config, sha256: str, source: str) -> Report:
    """A report of the last build as parsed: from the cache, or (if that went away) from its file again."""
    report = ParseCache.of(config.cache).get(sha256, source)
    if report is None:
        doc, problems = load_source(config.content / source, config.content)
        if doc is None:
            raise RuntimeError(f"{source}: {problems[0].message if problems else '读取失败'}（构建期间被改动？请重新构建）")
        report = parsed(doc)
    return report


def text(config: Config, source: str, sha256: str) -> str | None:
    """The text of a file's content as parsed, if the parse cache has it."""
    report = ParseCache.of(config.cache).get(sha256, source)
    return report.text if report is not None else None


def checked(reports: list[Report], memo: Memo) -> list[Report]:
    """Every report with the flags across its agency's consecutive years added (its own come with parsing),
    and its outliers among all; an agency's are found again only when one of its reports changed, the
    outliers only when what they are found from did."""
    out = list(reports)
    for agency, indexes in by_agency(reports).items():
        group = [reports[i] for i in indexes]
        flags = memo.get((Kind.CROSS, agency), tuple(r.fingerprint for r in group), functools.partial(cross_year, group))
        for i, extra in zip(indexes, flags, strict=True):
            out[i] = out[i].with_flags(list(extra))
    found = memo.get((Kind.OUTLIERS,), digest(list(map(outlier_inputs, reports))), functools.partial(outliers, reports))
    return [r.with_flags(list(flags)) if flags else r for r, flags in zip(out, found, strict=True)]

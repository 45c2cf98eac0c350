"""Reports as a build reads them: parsed (in workers, from the cache where the content was seen
before), or as the last build knew them (whole when asked, their texts); and flags across years."""

from __future__ import annotations

import functools
import gc
import logging
import pickle
from typing import TYPE_CHECKING

from nianbao.cache import ParseCache
from nianbao.check import by_agency, check_report, cross_year
from nianbao.config import Config
from nianbao.load import load_source
from nianbao.model import Problem, Report, SourceDoc
from nianbao.parse import parse_report
from nianbao.render.memo import Memo, fingerprint
from nianbao.search import Pairs, text_pairs

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


def parsed(doc: SourceDoc) -> Report:
    """A document parsed, with the flags it raises on its own (a pure function of its content)."""
    report = parse_report(doc)
    return report.with_flags(check_report(report))


def _parse_one(doc: SourceDoc) -> bytes | Problem:
    """``parsed(doc)`` pickled (once: as the cache keeps it, and to cross from a worker), or the Problem that stopped it."""
    try:
        return pickle.dumps(parsed(doc), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # one bad file must not stop the build
        log.debug("parse failed", exc_info=True)
        return Problem(doc.source, "parse", f"解析失败（{type(exc).__name__}: {exc}）；请把该文件报告给维护者")


_DOCS: list[SourceDoc] = []  # what forked parse workers read: set just before they start, so not sent to them


def _parse_in_worker(index: int) -> tuple[bytes | Problem, np.ndarray | None]:
    """``_parse_one`` of the ``index``-th of ``_DOCS``, and the search index's pairs of its text: found here while
    the text is at hand, they spare the build a later pass over every report in workers of their own."""
    doc = _DOCS[index]
    result = _parse_one(doc)
    return result, None if isinstance(result, Problem) else text_pairs(doc.text)


def parse_all(
    docs: list[SourceDoc], cache: ParseCache, workers: int, pairs: Pairs | None = None
) -> tuple[list[Report], list[Problem]]:
    """Parse every document, from the cache where its content was seen before; ``pairs`` learns the search
    index's pairs of those parsed in workers."""
    reports: dict[str, Report] = {}
    misses = []
    for doc in docs:
        hit = cache.get(doc.sha256, doc.source)
        if hit is not None:
            reports[doc.source] = hit
        else:
            misses.append(doc)
    problems = []

    def take(result: bytes | Problem) -> None:
        if isinstance(result, Problem):
            problems.append(result)
        else:
            report = pickle.loads(result)
            reports[report.source] = report
            cache.put(report, result)  # here, not in the workers: one process appends to one pack

    forking = workers > 1 and len(misses) >= 16
    if forking:
        import multiprocessing  # here: a rebuild of a few reports need not import it

        forking = "fork" in multiprocessing.get_all_start_methods()
    enabled = gc.isenabled()
    try:
        if forking:
            from concurrent.futures import ProcessPoolExecutor

            # the reports read back live as long as the build: the collector's passes over the growing heap of
            # them (about a second of a 10,000-report build) find nothing, so it waits while the workers parse
            gc.disable()
            global _DOCS
            _DOCS = misses  # forked workers find the texts in their memory: 100 MB not pickled through pipes
            try:
                with ProcessPoolExecutor(workers, multiprocessing.get_context("fork"), initializer=gc.enable) as pool:
                    chunk = max(1, len(misses) // (workers * 8))  # the collector is not paused in the workers
                    done = pool.map(_parse_in_worker, range(len(misses)), chunksize=chunk)
                    for doc, (result, found) in zip(misses, done, strict=True):
                        take(result)  # as they come: this process reads them back while the workers parse
                        if pairs is not None and found is not None:
                            pairs.learn(doc.source, doc.sha256, found)
            finally:
                _DOCS = []
        else:
            for doc in misses:
                take(_parse_one(doc))
    finally:
        gc.freeze()  # and is not asked to look at them again
        if enabled:
            gc.enable()
    cache.save()
    return [reports[d.source] for d in docs if d.source in reports], problems


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
    """Every report with the flags across its agency's consecutive years added (its own come with parsing);
    an agency's are found again only when one of its reports changed."""
    out = list(reports)
    for agency, indexes in by_agency(reports).items():
        group = [reports[i] for i in indexes]
        flags = memo.get(("cross", agency), tuple(fingerprint(r) for r in group), functools.partial(cross_year, group))
        for i, extra in zip(indexes, flags, strict=True):
            out[i] = out[i].with_flags(list(extra))
    return out

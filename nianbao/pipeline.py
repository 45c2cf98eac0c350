"""build(config) -> BuildResult: load -> parse -> check -> render -> write, each stage timed."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from nianbao.cache import ParseCache
from nianbao.check import check_reports
from nianbao.config import Config
from nianbao.load import find_sources, load_source
from nianbao.model import Problem, Report, SourceDoc
from nianbao.parse import parse_report
from nianbao.render import render_site
from nianbao.write import Writer, check_output

log = logging.getLogger(__name__)
PROJECT = Path(__file__).resolve().parent.parent


@dataclass
class BuildResult:
    reports: list[Report] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _parse_one(doc: SourceDoc) -> Report | Problem:
    try:
        return parse_report(doc)
    except Exception as exc:  # one bad file must not stop the build
        log.debug("parse failed", exc_info=True)
        return Problem(doc.source, "parse", f"解析失败（{type(exc).__name__}: {exc}）；请把该文件报告给维护者")


def parse_all(docs: list[SourceDoc], cache: ParseCache, jobs: int) -> tuple[list[Report], list[Problem]]:
    """Parse every document, from the cache where its content was seen before."""
    reports: dict[str, Report] = {}
    misses = []
    for doc in docs:
        hit = cache.get(doc.sha256, doc.source)
        if hit is not None:
            reports[doc.source] = hit
        else:
            misses.append(doc)
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(misses) >= 16:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_parse_one, misses, chunksize=max(1, len(misses) // (workers * 8))))
    else:
        results = [_parse_one(doc) for doc in misses]
    problems = []
    for result in results:
        if isinstance(result, Problem):
            problems.append(result)
        else:
            cache.put(result)
            reports[result.source] = result
    return [reports[d.source] for d in docs if d.source in reports], problems


def slug(source: str) -> str:
    """A stable, URL-safe id for a source path; non-ASCII names get a short hash."""
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    ascii_part = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-")
    if ascii_part and stem.isascii():
        return ascii_part
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_part}-{digest}" if ascii_part else f"r-{digest}"


def assign_ids(reports: list[Report]) -> list[Report]:
    seen: set[str] = set()
    out = []
    for report in sorted(reports, key=lambda r: r.source):
        base = slug(report.source)
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base}-{n}", n + 1
        seen.add(candidate)
        out.append(replace(report, id=candidate))
    return out


def build(config: Config) -> BuildResult:
    """Build the whole site from config.content into config.output."""
    result = BuildResult()
    check_output(config.output, config.content, PROJECT)
    t = time.perf_counter()
    files, result.problems = find_sources(config.content)
    docs = []
    for path in files:
        doc, problems = load_source(path, config.content)
        result.problems += problems
        if doc is not None:
            docs.append(doc)
    result.timings["load"] = time.perf_counter() - t

    t = time.perf_counter()
    reports, problems = parse_all(docs, ParseCache(config.cache), config.jobs)
    result.problems += problems
    result.timings["parse"] = time.perf_counter() - t

    t = time.perf_counter()
    result.reports = check_reports(assign_ids(reports))
    result.timings["check"] = time.perf_counter() - t

    t = time.perf_counter()
    config.output.mkdir(parents=True, exist_ok=True)
    writer = Writer(config.output)
    result.problems += render_site(result.reports, result.problems, writer, config.base_url)
    writer.finish()
    result.written, result.unchanged, result.removed = writer.written, writer.unchanged, writer.removed
    result.timings["render"] = time.perf_counter() - t
    return result

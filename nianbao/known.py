"""What the last build knew, read back: its reports whole, their texts, and flags across years."""

from __future__ import annotations

import functools

from nianbao.cache import ParseCache
from nianbao.check import by_agency, check_report, cross_year
from nianbao.config import Config
from nianbao.load import load_source
from nianbao.model import Report
from nianbao.parse import parse_report
from nianbao.render.memo import Memo, fingerprint


def whole(config: Config, sha256: str, source: str) -> Report:
    """A report of the last build as parsed: from the cache, or (if that went away) from its file again."""
    report = ParseCache(config.cache).get(sha256, source)
    if report is None:
        doc, problems = load_source(config.content / source, config.content)
        if doc is None:
            raise RuntimeError(f"{source}: {problems[0].message if problems else '读取失败'}（构建期间被改动？请重新构建）")
        report = parse_report(doc)
        report = report.with_flags(check_report(report))
    return report


def text(config: Config, source: str, sha256: str) -> str | None:
    """The text of a file's content as parsed, if the parse cache has it."""
    report = ParseCache(config.cache).get(sha256, source)
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

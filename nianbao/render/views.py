"""Reports grouped the ways the site shows them: by agency, year, region and metric.

Everything here is plain data for the templates; URLs are paths relative to the
site root, and each page adds its own way back up (``root``).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from nianbao.model import Report
from nianbao.render.labels import METRICS

UNNAMED = "（未载明机关）"


def short_slug(text: str, prefix: str) -> str:
    """A URL-safe name for a Chinese name: its ASCII part if any, and a short hash."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{ascii_part}-{digest}" if ascii_part else f"{prefix}-{digest}"


def metric_slug(key: str) -> str:
    return key.replace(".", "-").replace("_", "-")


def region_name(report: Report) -> str | None:
    parts = [p for p in (report.region.province, report.region.city, report.region.county) if p]
    return "".join(parts) or None


def agency_name(agency: str | None, source: str) -> str:
    """The agency as a report (of file ``source``) names it; one it does not name is told apart by its file."""
    return agency or f"（未载明机关：{source}）"


def label(report: Report) -> str:
    """How a chart or a list names one report: agency and year."""
    return f"{agency_name(report.agency, report.source)} {report.year or '年度未载明'}"


_SHORT_TAIL = re.compile(r"(?<=[街镇乡])(?:道)?办事处$|(?<=[乡镇])人民政府$")


def short_name(report: Report) -> str:
    """An agency's name without the region it is in (the name's core: 朱村街道 for
    广州市增城区人民政府朱村街道办事处), for chart axes; the full name goes in tooltips and tables."""
    name = report.agency or UNNAMED
    core = name
    for part in (report.region.province, report.region.city, report.region.county):
        if part and core.startswith(part):
            core = core[len(part) :]
    if core.startswith("人民政府") and len(core) > 4:
        core = core[4:]
    core = _SHORT_TAIL.sub("", core)
    if core.endswith("街") and name.endswith("街道办事处"):
        core += "道"
    return core if len(core) >= 2 and core not in ("人民政府", "政府") else name


@dataclass
class Agency:
    name: str
    slug: str
    reports: list[Report] = field(default_factory=list)  # newest first

    @property
    def latest(self) -> Report:
        return self.reports[0]

    @property
    def years(self) -> list[int]:
        return sorted({r.year for r in self.reports if r.year})


@dataclass
class Group:
    """The reports of one year or one region (a region also knows the levels above and below it)."""

    name: str
    slug: str
    reports: list[Report]
    parents: list[Group] = field(default_factory=list)
    children: list[Group] = field(default_factory=list)
    level: str = ""  # a region's: 省级, 市级 or 县级


def newest_first(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (-(r.year or 0), r.published or "", r.source))


def agency_group(report: Report) -> str:
    """The key that puts one office's reports on one page, and counts offices: its ``agency_id`` (one office under
    its name forms). A report that names no agency is an office of its own: two such are never taken for one."""
    return report.agency_id or report.agency or f"{UNNAMED}{report.source}"


def agencies(reports: list[Report]) -> list[Agency]:
    """One page per office; it is named as its newest report names it."""
    by_key: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_key[agency_group(report)].append(report)
    groups = [(key, newest_first(rs)) for key, rs in by_key.items()]
    named = [(next((r.agency for r in rs if r.agency), agency_name(None, rs[0].source)), key, rs) for key, rs in groups]
    return [Agency(name, short_slug(key, "a"), rs) for name, key, rs in sorted(named)]


def years(reports: list[Report]) -> list[Group]:
    by_year: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        if report.year:
            by_year[report.year].append(report)
    return [Group(f"{y}年", str(y), sorted(rs, key=lambda r: r.agency or "")) for y, rs in sorted(by_year.items(), reverse=True)]


LEVELS = ("省级", "市级", "县级")


def regions(reports: list[Report]) -> list[Group]:
    """Every level a report's region names (province, then city, then county), each with its reports."""
    by_path: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    level: dict[tuple[str, ...], str] = {}
    for report in reports:
        places = (report.region.province, report.region.city, report.region.county)
        named = [(p, lv) for p, lv in zip(places, LEVELS, strict=True) if p]
        parts = tuple(p for p, _ in named)
        for depth in range(1, len(parts) + 1):
            by_path[parts[:depth]].append(report)
            level[parts[:depth]] = named[depth - 1][1]
    groups = {
        path: Group("".join(path), short_slug("".join(path), "r"), newest_first(rs), level=level[path])
        for path, rs in sorted(by_path.items())
    }
    for path, group in groups.items():
        group.parents = [groups[path[:d]] for d in range(1, len(path))]
        group.children = [g for p, g in groups.items() if len(p) == len(path) + 1 and p[: len(path)] == path]
    return list(groups.values())


def ranking(reports: list[Report], key: str) -> list[Report]:
    """Reports that state the metric, largest first."""
    stated = [r for r in reports if isinstance(r.get(key), int | float)]
    return sorted(stated, key=lambda r: (-r.get(key), label(r)))  # type: ignore[operator]


def ranks(ranked: list[Report], key: str) -> list[int]:
    """The rank of each of ``ranked`` (largest first): equal values share a rank, the next rank
    skips as many places (1, 2, 2, 4)."""
    out: list[int] = []
    for i, report in enumerate(ranked):
        out.append(out[-1] if i and report.get(key) == ranked[i - 1].get(key) else i + 1)
    return out


def by_year(reports: list[Report]) -> list[tuple[int | None, list[Report]]]:
    """``reports`` by year, latest first; the reports that state no year last (under None)."""
    groups: dict[int | None, list[Report]] = defaultdict(list)
    for report in reports:
        groups[report.year or None].append(report)
    return sorted(groups.items(), key=lambda item: -(item[0] or 0))


def year_path(stem: str, year: int | None, latest: int | None) -> str:
    """The page of ``stem`` for one year: the latest year's is ``stem.html`` itself, every other
    year's ``stem-y2016.html``, and that of the reports with no year ``stem-undated.html``."""
    if year == latest:
        return f"{stem}.html"
    return f"{stem}-y{year}.html" if year else f"{stem}-undated.html"


def year_name(year: int | None) -> str:
    return f"{year}年" if year else "年度未载明"


def agency_count(reports: list[Report]) -> int:
    return len({agency_group(r) for r in reports})


def region_levels(groups: list[Group]) -> list[tuple[str, int]]:
    """How many regions each level (省级, 市级, 县级) has, for the levels that have any."""
    counts = {lv: sum(1 for g in groups if g.level == lv) for lv in LEVELS}
    return [(lv, n) for lv, n in counts.items() if n]


def metrics() -> list[tuple[str, str, str, str]]:
    """(key, slug, label, unit) of each headline metric."""
    return [(key, metric_slug(key), name, unit) for key, (name, unit) in METRICS.items()]

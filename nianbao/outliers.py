"""The OUTLIER flag (severity info): a figure far from the same agency's other years, or far above its peers
(reports of the same year from agencies of the same level). Found across all reports, after parsing.

A figure is far from its agency's history when it is at least RATIO times every other year's within NEAR years
(or at most a RATIO-th of every one), by at least GAP: a spike or a drop that no year near it comes near. A
report in free prose is held against the agency's other prose reports, one in the national tables against its
other table reports. With
only two years, only the later one is flagged (which one is wrong cannot be told; the change is the later's).
Among peers, only a figure far above all of them is flagged: a body that received few requests is common.
Small counts are smoothed (SMOOTH is added to both sides) so that 0 against 3 is not a jump.
"""

from __future__ import annotations

import heapq
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from nianbao.model import Flag, Report

FIGURES = {"requests.received": ("本年新收政府信息公开申请", "件"), "proactive.total": ("主动公开政府信息", "条")}
NEAR = 2  # years apart, at most: the agency's history a figure is held against
RATIO = 20  # times every near year's figure
GAP = 50  # and by at least this many
SMOOTH = 5
PEER_RATIO = 30  # times the peers' median
PEER_ABOVE = 3  # and times the highest of the peers
PEERS = 8  # peers needed, at least
_TOWNSHIP = re.compile(r"(街道|[镇乡])(办事处|人民政府)?$")


def level(report: Report) -> str | None:
    """The level of government of a report's agency, as a reader says it; None when not known."""
    if report.agency and _TOWNSHIP.search(report.agency):
        return "乡镇（街道）级"
    region = report.region
    return "县级" if region.county else "市级" if region.city else "省级" if region.province else None


def outlier_inputs(report: Report) -> tuple[object, ...]:
    """What ``outliers`` reads of a report."""
    region = report.region
    return (report.id, report.agency_id, report.agency, report.year, report.template, region.province, region.city,
            region.county, *map(report.get, FIGURES))  # fmt: skip


def outliers(reports: Sequence[Report]) -> list[tuple[Flag, ...]]:
    """For each of ``reports``, its OUTLIER flags (none for most)."""
    found: list[list[Flag]] = [[] for _ in reports]
    history: dict[str, list[int]] = defaultdict(list)
    peers: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, report in enumerate(reports):
        agency = report.agency_id or report.agency
        if report.year is None:
            continue
        if agency:
            history[agency].append(i)
        place = level(report)
        if place is not None:
            peers[(report.year, place)].append(i)
    kinds = {agency: _by_year_and_kind(reports, group) for agency, group in history.items()}
    for key, (name, unit) in FIGURES.items():
        values = {i: v for i, r in enumerate(reports) if type(v := r.get(key)) is int}
        for agency, group in history.items():
            buckets = {at: _Bucket.of([(values[j], j) for j in members if j in values]) for at, members in kinds[agency].items()}
            for i in (i for i in group if i in values):
                message = _against_history(reports[i], i, _Others.near(reports[i], i, buckets), values, name, unit)
                if message:
                    found[i].append(Flag("OUTLIER", "info", message))
        for (year, place), group in peers.items():
            stated = [i for i in group if i in values]
            if len(stated) > PEERS:  # only the highest can be far above all the others
                top = max(stated, key=values.__getitem__)
                message = _against_peers(values[top], [values[j] for j in stated if j != top], year, place, name, unit)
                if message:
                    found[top].append(Flag("OUTLIER", "info", message))
    return [tuple(flags) for flags in found]


def _by_year_and_kind(reports: Sequence[Report], group: list[int]) -> dict[tuple[int, bool], list[int]]:
    """An agency's reports by (year, in free prose): what ``_near`` looks up, so an agency of thousands of
    reports costs as many lookups, not their square."""
    out: dict[tuple[int, bool], list[int]] = defaultdict(list)
    for i in group:
        out[(reports[i].year or 0, reports[i].template == "narrative")].append(i)
    return out


class _Bucket(NamedTuple):
    """One year's (and kind's) reports of an agency that state a figure: how many, the two highest and the
    two lowest (value, index), so the others of any one of them are known without going through them all."""

    stated: int
    top: list[tuple[int, int]]
    bottom: list[tuple[int, int]]

    @staticmethod
    def of(stated: list[tuple[int, int]]) -> _Bucket:
        return _Bucket(len(stated), heapq.nlargest(2, stated), heapq.nsmallest(2, stated))


class _Others(NamedTuple):
    """What a report's figure is held against: the agency's other reports of near years and the same kind."""

    reports: int
    highest: int
    lowest: int
    years: list[int]

    @staticmethod
    def near(report: Report, i: int, buckets: dict[tuple[int, bool], _Bucket]) -> _Others | None:
        year, prose = report.year or 0, report.template == "narrative"
        count, tops, bottoms, years = 0, [], [], []
        for y in range(year - NEAR, year + NEAR + 1):
            bucket = buckets.get((y, prose))
            if bucket is None:
                continue
            n = bucket.stated - (1 if y == year else 0)  # a report that states the figure is in its own year's bucket
            if n <= 0:
                continue
            count += n
            years.append(y)
            tops += [v for v, j in bucket.top if j != i][:1]
            bottoms += [v for v, j in bucket.bottom if j != i][:1]
        return _Others(count, max(tops), min(bottoms), years) if count and tops and bottoms else None



def _far(value: int, other: int) -> bool:
    return value + SMOOTH >= RATIO * (other + SMOOTH) and value - other >= GAP


def _against_history(
    report: Report, i: int, others: _Others | None, values: dict[int, int], name: str, unit: str
) -> str | None:
    if i not in values or others is None:
        return None
    year = report.year or 0
    if others.reports == 1 and others.years[0] > year:
        return None  # two years: the later one is flagged
    value, highest, lowest = values[i], others.highest, others.lowest
    if not _far(value, highest) and not _far(lowest, value):
        return None
    years = "、".join(f"{y}年" for y in others.years)
    what = f"{year}年{name}{value:,}{unit}"
    if _far(value, highest):
        if highest == 0:
            return f"{what}，而该机关其他年度（{years}）均为0{unit}"
        some = "最多" if others.reports > 1 else ""
        return f"{what}，是该机关其他年度（{years}）{some}{highest:,}{unit}的{value / highest:.0f}倍"
    some = "最少也有" if others.reports > 1 else "为"
    return f"{what}，而该机关其他年度（{years}）{some}{lowest:,}{unit}"


def _against_peers(value: int, others: list[int], year: int, place: str, name: str, unit: str) -> str | None:
    median, highest = statistics.median(others), max(others)
    if value + SMOOTH < PEER_RATIO * (median + SMOOTH) or value < PEER_ABOVE * highest or value - highest < GAP:
        return None
    middle = f"是其中位数{median:,.0f}{unit}的{value / median:.0f}倍" if median else f"其中位数为0{unit}"
    peers = f"同年其他{len(others)}份{place}机关报告"
    return f"{year}年{name}{value:,}{unit}，远高于{peers}：{middle}，其中最多的也只有{highest:,}{unit}"

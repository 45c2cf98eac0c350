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

import re
import statistics
from collections import defaultdict
from collections.abc import Sequence

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
    for key, (name, unit) in FIGURES.items():
        values = {i: v for i, r in enumerate(reports) if type(v := r.get(key)) is int}
        for group in history.values():
            for i in group:
                near = [j for j in group if j != i and j in values and _comparable(reports[i], reports[j])]
                message = _against_history(reports, i, near, values, name, unit)
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


def _comparable(one: Report, other: Report) -> bool:
    """Years near each other, both in free prose or both in the national tables (which count what prose often left out)."""
    near = abs((one.year or 0) - (other.year or 0)) <= NEAR
    return near and (one.template == "narrative") == (other.template == "narrative")


def _far(value: int, other: int) -> bool:
    return value + SMOOTH >= RATIO * (other + SMOOTH) and value - other >= GAP


def _against_history(
    reports: Sequence[Report], i: int, others: list[int], values: dict[int, int], name: str, unit: str
) -> str | None:
    if i not in values or not others:
        return None
    year = reports[i].year or 0
    if len(others) == 1 and (reports[others[0]].year or 0) > year:
        return None  # two years: the later one is flagged
    value = values[i]
    highest, lowest = max(values[j] for j in others), min(values[j] for j in others)
    if not _far(value, highest) and not _far(lowest, value):
        return None
    years = "、".join(f"{reports[j].year}年" for j in sorted(others, key=lambda j: reports[j].year or 0))
    what = f"{year}年{name}{value:,}{unit}"
    if _far(value, highest):
        if highest == 0:
            return f"{what}，而该机关其他年度（{years}）均为0{unit}"
        some = "最多" if len(others) > 1 else ""
        return f"{what}，是该机关其他年度（{years}）{some}{highest:,}{unit}的{value / highest:.0f}倍"
    some = "最少也有" if len(others) > 1 else "为"
    return f"{what}，而该机关其他年度（{years}）{some}{lowest:,}{unit}"


def _against_peers(value: int, others: list[int], year: int, place: str, name: str, unit: str) -> str | None:
    median, highest = statistics.median(others), max(others)
    if value + SMOOTH < PEER_RATIO * (median + SMOOTH) or value < PEER_ABOVE * highest or value - highest < GAP:
        return None
    middle = f"是其中位数{median:,.0f}{unit}的{value / median:.0f}倍" if median else f"其中位数为0{unit}"
    peers = f"同年其他{len(others)}份{place}机关报告"
    return f"{year}年{name}{value:,}{unit}，远高于{peers}：{middle}，其中最多的也只有{highest:,}{unit}"

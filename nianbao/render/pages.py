"""What each kind of page shows: its context for the template, made only when the page is rendered,
and the charts it draws. A page of many reports shows one year's (see views.by_year)."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from nianbao.model import Problem, Report
from nianbao.render import labels, views
from nianbao.render.figures import figure_rows, matrix_rows
from nianbao.render.outcomes import by_category
from nianbao.render.reporttext import render_report_text
from nianbao.render.yearseries import year_series

if TYPE_CHECKING:
    from nianbao.render import charts


@dataclass(frozen=True)
class InlineScript:
    script: str

    @property
    def digest(self) -> str:
        """What the page's Content-Security-Policy allows it by (the only inline script of the site)."""
        return base64.b64encode(hashlib.sha256(self.script.encode()).digest()).decode()


# The 404 page is served for a missing URL at any depth, so its relative links cannot know the way to
# the site's root (without --base-url). This finds it: the nearest folder above the URL that holds
# the stylesheet is the root; then the page's links and stylesheet are made relative to it.
ROOT_FINDER = InlineScript(
    "(function(){var dirs=location.pathname.split('/');dirs.pop();"
    "function use(root){document.querySelectorAll('a[href],link[href]').forEach(function(el){"
    "var h=el.getAttribute('href');if(!/^([a-z]+:|\\/|#)/i.test(h))el.setAttribute('href',root+h);});}"
    "function next(i){if(i<1)return;var root=dirs.slice(0,i).join('/')+'/';"
    "fetch(root+'assets/style.css',{method:'HEAD'}).then(function(r){if(r.ok)use(root);else next(i-1);},function(){next(i-1);});}"
    "next(dirs.length);})();"
)


def summary(report: Report) -> tuple[object, ...]:
    """What the tables and charts across reports show of one report."""
    metrics = tuple(report.get(key) for key in labels.METRICS)
    parts = by_category(report).parts
    outcomes = tuple(parts.get(o) for o in labels.OUTCOMES)
    return (
        report.id,
        report.agency,
        report.agency_id,  # the agency it is listed under, and linked to
        report.year,
        views.region_name(report),
        report.template,
        metrics,
        len(report.flags),
        outcomes,
    )


def home_context(
    reports: list[Report],
    agencies: list[views.Agency],
    years: list[views.Group],
    regions: list[views.Group],
    problems: list[Problem],
) -> dict[str, Any]:
    """The home page: what the site holds, and the latest year's figures and charts (one year's only)."""
    dated = views.by_year(reports)
    year, latest = dated[0] if dated else (None, [])
    return {
        "reports": reports,
        "agencies": agencies,
        "years": years,
        "undated": [r for r in reports if not r.year],
        "regions": regions,
        "levels": views.region_levels(regions),
        "kinds": Counter(r.template for r in reports),
        "flag_count": sum(len(r.flags) for r in reports),
        "flagged": [r for r in reports if r.flags],
        "problems": problems,
        "year": year,
        "year_reports": latest,
        "year_agencies": views.agency_count(latest),
        "charts": group_charts(views.Group("", "", latest), year),
        "totals": totals(latest),
    }


def report_context(report: Report, agency: views.Agency) -> dict[str, Any]:
    text_html, marked = render_report_text(report)
    return {
        "report": report,
        "agency": agency,
        "text_html": Markup(text_html),
        "marked": marked,
        "charts": _report_charts(report),
        "figures": figure_rows(report, marked),
        "matrix": matrix_rows(report, marked),
    }


YearNav = tuple[tuple[int | None, str, int], ...]  # (year, href, reports) of each year a list has pages for


def year_nav(stem: str, dated: Sequence[tuple[int | None, list[Report]]]) -> YearNav:
    """The pages of a list, one a year: ``stem``'s (see views.year_path), or the year pages' (stem "",
    which the reports that state no year have none of)."""
    latest = dated[0][0] if dated else None
    if not stem:
        return tuple((y, f"{y}.html", len(rs)) for y, rs in dated if y)
    return tuple((y, views.year_path(stem, y, latest), len(rs)) for y, rs in dated)


def latest_year(reports: list[Report]) -> int | None:
    return max((r.year for r in reports if r.year), default=None)


def totals(reports: list[Report]) -> dict[str, tuple[int | float, int]]:
    """Each headline figure's sum over ``reports`` (of one year), and how many of them state it."""
    return {key: totals_of(reports, key) for key, _, _, _ in views.metrics()}


def compare_context(year: int | None, reports: list[Report], nav: YearNav, agencies: int) -> dict[str, Any]:
    return {
        "reports": reports,
        "year": year,
        "nav": nav,
        "agencies": agencies,
        "year_agencies": views.agency_count(reports),
        "title": f"机关对比：{views.year_name(year)}",
        "filters": filter_options(reports),
    }


def metric_context(
    ranking: Callable[[], list[Report]],
    missing: Callable[[], list[Report]],
    key: str,
    name: str,
    unit: str,
    year: int | None,
    nav: YearNav,
) -> dict[str, Any]:
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    ranked = ranking()
    return {
        "key": key,
        "name": name,
        "unit": unit,
        "year": year,
        "nav": nav,
        "ranked": ranked,
        "ranks": views.ranks(ranked, key),
        "missing": missing(),
        "ranking_chart": functools.partial(charts.ranking, "c-rank", name, ranked, key, unit),  # for the first page only
    }


def year_context(group: views.Group, agencies: int, dated: list[tuple[int | None, list[Report]]]) -> dict[str, Any]:
    """A year's page: the figures of that year's reports, and its charts (made for the first page only)."""
    return {
        "group": group,
        "kind": "年度",
        "year": int(group.slug),
        "nav": year_nav("", dated),
        "agencies": agencies,
        "year_agencies": views.agency_count(group.reports),
        "year_reports": group.reports,
        "children": [],
        "totals": totals(group.reports),
        "charts": functools.partial(group_charts, group, int(group.slug)),
        "trends": list,  # a year's page: one year, no trend
    }


def region_context(group: views.Group, year: int | None, reports: list[Report], nav: YearNav) -> dict[str, Any]:
    """A region's page for one year: its sub-regions' figures of that year, its reports', and its charts."""
    children = []
    for child in group.children:
        mine = [r for r in child.reports if (r.year or None) == year]
        href = views.year_path(child.slug, year, latest_year(child.reports)) if mine else f"{child.slug}.html"
        sums = {key: stated_sum(mine, key) for key, _, _, _ in views.metrics()}
        children.append((child, href, len(mine), views.agency_count(mine) if mine else 0, sums))
    part = views.Group(group.name, group.slug, reports)
    return {
        "group": group,
        "kind": "地区",
        "year": year,
        "nav": nav,
        "agencies": views.agency_count(group.reports),
        "year_agencies": views.agency_count(reports),
        "year_reports": reports,
        "children": children,
        "totals": totals(reports),
        "charts": functools.partial(group_charts, part, year),
        "trends": functools.partial(_region_trends, group),  # for the first page only
    }


def missing(reports: list[Report], key: str) -> list[Report]:
    return [r for r in reports if r.get(key) is None]


def filter_options(reports: Sequence[Report]) -> tuple[list[int], list[str]]:
    """The years (latest first) and regions the filters of a table of ``reports`` offer."""
    years = sorted({r.year for r in reports if r.year is not None}, reverse=True)
    regions = sorted({name for r in reports if (name := views.region_name(r))})
    return years, regions


def stated_sum(reports: list[Report], key: str) -> int | float | None:
    """The sum over the reports that state ``key``; None when none does."""
    total, stated = totals_of(reports, key)
    return total if stated else None


def totals_of(reports: list[Report], key: str) -> tuple[int | float, int]:
    """(sum over the reports that state it, how many state it)."""
    values = [value for r in reports if isinstance(value := r.get(key), int | float)]
    return sum(values), len(values)


def agency_context(agency: views.Agency) -> dict[str, Any]:
    return {
        "agency": agency,
        "trends": functools.partial(_agency_charts, agency),  # for the first page only
        "charts": functools.partial(_report_charts, agency.latest, prefix="c-latest"),
    }


def _agency_charts(agency: views.Agency) -> list[charts.Chart]:
    """A small chart of each headline figure over the agency's years, each on its own axis."""
    return _trends(agency.reports, summed=False)


def _region_trends(group: views.Group) -> list[charts.Chart]:
    """A small chart of each headline figure's yearly sum over the region's agencies, each saying
    what it adds up (which agencies reported differs from year to year)."""
    return _trends(group.reports, summed=True)


def _trends(reports: list[Report], summed: bool) -> list[charts.Chart]:
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    dated = [(y, rs) for y, rs in views.by_year(reports) if y]
    reported = {y for y, _ in dated}
    out = []
    for i, (key, (name, unit)) in enumerate(labels.METRICS.items()):
        added = None
        if summed:
            added = {y: _summed(rs, key) for y, rs in dated}
            series = {y: stated_sum(rs, key) for y, rs in dated}
        else:
            series = {r.year: r.get(key) for r in reversed(reports) if r.year}  # type: ignore[misc]
        chart = charts.trend(f"c-trend{i}", f"{name}（{unit}）", series, unit, reported, added)
        if chart:
            out.append(chart)
    return out


def _summed(reports: list[Report], key: str) -> charts.Summed:
    """Which of one year's ``reports`` a sum of ``key`` adds up."""
    from nianbao.render import charts

    stating = [r for r in reports if isinstance(r.get(key), int | float)]
    names = {views.agency_group(r) for r in stating}  # agencies counted as views.agency_count does
    silent = {views.agency_group(r) for r in reports} - names
    return charts.Summed(len(names), len(stating), len(silent))


def _report_charts(report: Report, prefix: str = "c") -> list[charts.Chart]:
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    out: list[charts.Chart | None] = []
    channels = report.get("proactive.channels")
    if isinstance(channels, dict):
        out.append(charts.breakdown(f"{prefix}-channels", "主动公开渠道（条）", channels, "条"))
    categories = report.get("proactive.categories")
    if isinstance(categories, dict):
        out.append(charts.breakdown(f"{prefix}-categories", "主动公开类别（条）", categories, "条"))
    out.append(charts.outcome_chart(f"{prefix}-outcomes", by_category(report)))
    for i, series in enumerate(year_series(report.text)):
        out.append(charts.year_bars(f"{prefix}-years{i}", series.title, dict(zip(series.years, series.values, strict=True))))
    return [c for c in out if c]


def group_charts(group: views.Group, year: int | None) -> list[charts.Chart]:
    """The charts of one year's reports (a page's): each titled with that year, so it is true quoted alone."""
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    out = [
        charts.ranking("c-proactive", "主动公开政府信息", group.reports, "proactive.total", "条"),
        charts.outcomes("c-outcomes", group.reports),
        charts.review("c-review", group.reports),
    ]
    when = f"{year}年" if year else "年度未载明的报告："
    return [replace(c, title=when + c.title) for c in out if c]


def flags_by_code(reports: list[Report]) -> list[tuple[str, list[tuple[Report, Any]]]]:
    by_code: dict[str, list[tuple[Report, Any]]] = {}
    for report in reports:
        for flag in report.flags:
            by_code.setdefault(flag.code, []).append((report, flag))
    order = list(labels.FLAGS)
    return sorted(by_code.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))

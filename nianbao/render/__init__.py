"""Reports -> the files of the site: pages rendered from templates/, assets from
site_src/, and the data downloads. Every link is relative to the page it is on."""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2
from markupsafe import Markup

from nianbao.config import ECHARTS, Config
from nianbao.forked import write_shares
from nianbao.model import Problem, Report
from nianbao.render import labels, views
from nianbao.render.datafiles import data_files
from nianbao.render.figures import figure_rows, matrix_rows, number, source_link
from nianbao.render.memo import Memo, fingerprint
from nianbao.render.provenance import plan_review, provenance_html
from nianbao.render.reporttext import render_report_text
from nianbao.render.yearseries import year_series
from nianbao.write import Writer

if TYPE_CHECKING:
    from nianbao.render import charts

T = TypeVar("T")
ASSETS = ("style.css", "site.js", "review.js")


def original_path(report: Report) -> str:
    """Where the site keeps a copy of the file a report was read from. A saved web page is kept
    as text (.html.txt): served from the site, its own scripts would run on the site's origin."""
    suffix = os.path.splitext(report.source)[1].lower()  # a source always has one (the kind of file)
    return f"files/{report.id}{suffix}{'.txt' if suffix in ('.html', '.htm') else ''}"


def sort_key(value: object) -> str:
    return "" if value is None else str(value)


@functools.cache  # one per templates folder: Jinja recompiles a template only when its file changes
def environment(templates: Path, cache: Path | None = None) -> jinja2.Environment:
    """The templates' environment; compiled templates are kept under ``cache`` for the next run."""
    if cache is not None:
        (cache / "jinja").mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache / "jinja")) if cache is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["sortkey"] = sort_key
    env.globals.update(
        labels=labels,
        source_link=source_link,
        original_path=original_path,
        stated_sum=stated_sum,
        region_name=views.region_name,
        report_label=views.label,
        metrics=views.metrics(),
        provenance=lambda report, key: Markup(provenance_html(report, key, {})),
    )
    return env


def _depth_root(path: str) -> str:
    return "../" * path.count("/")


def digest(folder: Path) -> str:
    """A digest of every file under ``folder`` (the templates)."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def summary(report: Report) -> tuple[object, ...]:
    """What the tables and charts across reports show of one report."""
    metrics = tuple(report.get(key) for key in labels.METRICS)
    outcomes = tuple(report.get(f"requests.{o}") for o in labels.OUTCOMES)
    return (
        report.id,
        report.agency,
        report.year,
        views.region_name(report),
        report.template,
        metrics,
        len(report.flags),
        outcomes,
    )


# stands in for a page's path to the site root: no text from a report can print as this tag, as it is all escaped
_ROOT = Markup("<root/>")
PAGE_ROWS = 500  # rows a page of a long list holds: 10,000 reports' rows would weigh megabytes


@dataclass(frozen=True)
class Pager:
    """Where one page sits in a list cut into pages: its number (from 1), the hrefs of all pages
    (relative to each other: they share a folder), and the index of its first row in the list."""

    number: int
    hrefs: tuple[str, ...]
    offset: int
    size: int  # rows a page holds


class Site:
    """Renders pages into a Writer, remembering them for the sitemap.

    Every page names the inputs it is made from; a page whose inputs and templates
    are those of the last build (and which is still on disk) is kept, not rendered.
    """

    def __init__(self, reports: list[Report], problems: list[Problem], writer: Writer, config: Config, memo: Memo):
        self.env = environment(config.templates, config.cache)
        self.env.globals["report_row"] = self._report_row
        self.templates = digest(config.templates)
        self.memo = memo
        self.writer = writer
        base_url = config.base_url
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.pages: list[str] = []
        self.used: set[str] = set()  # the templates of the pages to render
        self.workers = config.workers
        self.content = config.content
        self.jobs: list[tuple[str, object, Callable[[], str | bytes | None]]] = []  # files to make: path, stamp, maker
        self.reports = reports
        self.problems = problems
        self.agencies = views.agencies(reports)
        self.agency_of = {r.id: a for a in self.agencies for r in a.reports}
        self.years = views.years(reports)
        self.regions = views.regions(reports)

    def page(self, path: str, template: str, inputs: object, context: Callable[[], dict[str, Any]]) -> None:
        """Have ``template`` rendered to ``path`` unless its ``inputs`` are unchanged; ``context`` is only made when needed."""
        self.pages.append(path)
        if self.file(path, (self.templates, inputs), functools.partial(self._render, path, template, context)):
            self.used.add(template)

    def file(self, path: str, stamp: object, make: Callable[[], str | bytes | None]) -> bool:
        """Have ``make()`` written to ``path`` unless it was made from ``stamp`` by the last build
        (nothing is, if it makes None); True if it will be made."""
        if self.memo.kept(self.writer, path, stamp):
            return False
        self.jobs.append((path, stamp, make))
        return True

    def paged(
        self,
        path: str,
        template: str,
        rows: Sequence[T] | Callable[[], Sequence[T]],
        inputs: object,
        context: Callable[[], dict[str, Any]],
        count: int | None = None,
    ) -> None:
        """``path`` with the first PAGE_ROWS ``rows``, then ``<path>-2.html`` and on with the rest;
        each page's context has its ``rows`` and its ``pager``. ``rows`` may be made only when a page
        is rendered (a function), if ``count`` says how many there are."""
        stem = path.removesuffix(".html")
        count = max(1, -(-(len(rows) if count is None else count) // PAGE_ROWS))  # type: ignore[arg-type]
        paths = [path] + [f"{stem}-{n}.html" for n in range(2, count + 1)]
        hrefs = tuple(p.rsplit("/", 1)[-1] for p in paths)
        for n, page_path in enumerate(paths):
            pager = Pager(n + 1, hrefs, n * PAGE_ROWS, PAGE_ROWS)
            part = slice(n * PAGE_ROWS, (n + 1) * PAGE_ROWS)
            self.page(page_path, template, (inputs, n), functools.partial(_with_rows, context, rows, part, pager))

    def _render(self, path: str, template: str, context: Callable[[], dict[str, Any]]) -> str:
        return self.env.get_template(template).render(root=_depth_root(path), path=path, agency_of=self.agency_of, **context())

    def render_jobs(self, share: int, shares: int, writer: Writer) -> dict[object, tuple[object, object]]:
        """Make every ``shares``-th file waiting, from the ``share``-th, into ``writer``; what the memo learnt."""
        known = set(self.memo.now)
        for index in range(share, len(self.jobs), shares):
            try:
                data = self.jobs[index][2]()
                if data is not None:
                    writer.write(self.jobs[index][0], data)
            except Exception as exc:
                raise PageFailed(index) from exc
        return {k: v for k, v in self.memo.now.items() if k not in known}

    def flush(self, workers: int, meanwhile: Callable[[], object] | None = None) -> None:
        """Make the files waiting: in forked workers when there are many, else here; ``meanwhile()`` here
        while the workers make them."""
        if self.used:  # compiled and imported here once: the workers inherit them, and so does a later rebuild
            importlib.import_module("nianbao.render.charts")
        for name in sorted(self.used | ({"_macros.html", "_report_row.html"} if self.used else set())):
            self.env.get_template(name)
        try:
            for learnt in write_shares(self.render_jobs, len(self.jobs), workers, self.writer, meanwhile):
                self.memo.now.update(learnt)
        except PageFailed as failed:
            self.jobs[failed.index][2]()  # again here: the error is raised with its template's traceback
            raise
        for path, stamp, _ in self.jobs:
            if path in self.writer.produced:  # not a file whose maker made nothing
                self.memo.made(path, stamp)
        self.jobs.clear()

    def _report_row(self, report: Report, root: str) -> Markup:
        """One report's row of the comparison tables, rendered once while it is unchanged (with a
        stand-in for the path to the site's root, which differs between the pages it is on)."""
        row = self.memo.get(*self.row_key(report), functools.partial(self._row, report))
        return Markup(row.replace(_ROOT, root))

    def row_key(self, report: Report) -> tuple[object, object]:
        """(key, stamp) of a report's row in the memo."""
        return ("row", report.id), (self.templates, fingerprint(report))

    def row_entry(self, report: Report) -> tuple[object, tuple[object, object]]:
        """The memo's entry for a report's row, made now: as ``_report_row`` would find it."""
        key, stamp = self.row_key(report)
        return key, (stamp, self._row(report))

    def _row(self, report: Report) -> str:
        return self.env.get_template("_report_row.html").render(r=report, root=_ROOT)  # (the template looked up only then)

    def plan(self) -> None:
        """List every page to make, and the copy of each report's original file (``make`` makes them)."""
        reports, agencies = self.reports, self.agencies
        for report in reports:
            self.original(report)
        flagged = [r for r in reports if r.flags]
        summaries = tuple(self.memo.get(("summary", r.id), fingerprint(r), functools.partial(summary, r)) for r in reports)
        self.page(
            "index.html",
            "home.html",
            (summaries, tuple(self.problems)),
            lambda: {
                "reports": reports,
                "agencies": agencies,
                "years": self.years,
                "regions": self.regions,
                "kinds": Counter(r.template for r in reports),
                "flag_count": sum(len(r.flags) for r in reports),
                "flagged": flagged,
                "charts": _group_charts(views.Group("", "", reports)),
                "problems": self.problems,
                "totals": {key: _total(reports, key) for key, _, _, _ in views.metrics()},
            },
        )
        self.paged("agencies.html", "agencies.html", agencies, summaries, lambda: {"agencies": agencies})
        for agency in agencies:
            self.agency_page(agency)
        for report in reports:
            self.report_page(report)
        options = functools.cache(functools.partial(filter_options, reports))  # once, for all the pages
        self.paged(
            "compare.html",
            "compare.html",
            reports,
            summaries,
            lambda: {
                "reports": reports,
                "years": self.years,
                "regions": self.regions,
                "title": "全部报告对比",
                "filters": options(),
            },
        )
        for kind, folder, groups in (("年度", "year", self.years), ("地区", "region", self.regions)):
            for group in groups:
                totals = functools.cache(functools.partial(_child_totals, group))  # once, for all the group's pages
                self.paged(
                    f"{folder}/{group.slug}.html",
                    "group.html",
                    group.reports,
                    tuple(self.memo.now[("summary", r.id)][1] for r in group.reports),
                    functools.partial(_group_context, group, kind, totals),
                )
        for i, (key, slug, name, unit) in enumerate(views.metrics()):
            values = tuple((s[0], s[1], s[2], s[5][i]) for s in summaries)  # type: ignore[index]
            ranked = functools.cache(functools.partial(views.ranking, reports, key))  # only if a page is rendered, once
            missing = functools.cache(functools.partial(_missing, reports, key))
            self.paged(
                f"metric/{slug}.html",
                "metric.html",
                ranked,
                (key, values),
                functools.partial(_metric_context, ranked, missing, key, name, unit),
                count=sum(1 for v in values if isinstance(v[3], int | float)),
            )
        by_code = _flags_by_code(reports)
        fixed = plan_review(self, reports)  # the review pages; the corrections the flags page lists
        self.page(
            "flags.html",
            "flags.html",
            (tuple((r.id, r.agency, r.year, r.flags) for r in flagged), tuple(self.problems[:PAGE_ROWS]), len(self.problems),
             tuple((r.id, c) for r, c in fixed)),
            lambda: {"reports": flagged, "problems": self.problems, "by_code": by_code, "shown_problems": PAGE_ROWS,
                     "corrections": fixed},
        )  # fmt: skip
        for code, items in by_code:
            self.paged(
                f"flags/{code.lower()}.html",
                "flag_list.html",
                items,
                (code, tuple((r.id, r.agency, r.year, f) for r, f in items)),
                functools.partial(lambda c, n: {"code": c, "count": n}, code, len(items)),
            )
        self.page("data.html", "data.html", len(reports), lambda: {"reports": reports})
        self.page("search.html", "search.html", len(reports), dict)

    def make(self, meanwhile: Callable[[], object] | None = None) -> None:
        """Make the pages ``plan`` listed, then the sitemap and the rest; ``meanwhile()`` while the workers make them."""
        self.flush(self.workers, meanwhile)
        self.writer.write("404.html", self.env.get_template("404.html").render(root=self.base_url or "", path="404.html"))
        self.writer.write("sitemap.xml", self._sitemap())
        self.writer.write(
            "robots.txt", "User-agent: *\nAllow: /\n" + (f"Sitemap: {self.base_url}sitemap.xml\n" if self.base_url else "")
        )

    def report_files(self, report: Report, data: Callable[[], bytes]) -> None:
        """A report's JSON file (``data`` makes it) and the copy of its original."""
        self.file(f"data/reports/{report.id}.json", fingerprint(report), data)
        self.original(report)

    def original(self, report: Report) -> None:
        """The copy of a report's original file."""
        self.file(original_path(report), fingerprint(report), functools.partial(_original, self.content, report))

    def agency_page(self, agency: views.Agency) -> None:
        self.page(
            f"agency/{agency.slug}.html",
            "agency.html",
            tuple(fingerprint(r) for r in agency.reports),
            functools.partial(lambda a: {"agency": a, "charts": _agency_charts(a)}, agency),
        )

    def report_page(self, report: Report) -> None:
        agency = self.agency_of[report.id]
        self.page(
            f"report/{report.id}.html",
            "report.html",
            (fingerprint(report), agency.slug, agency.name),
            functools.partial(_report_context, report, agency),
        )

    def _sitemap(self) -> str:
        prefix = self.base_url or ""
        urls = "".join(f"  <url><loc>{escape(prefix + p, quote=False)}</loc></url>\n" for p in self.pages)
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'


class PageFailed(Exception):
    """Rendering the page waiting at ``index`` failed (in a worker, whose traceback does not come back)."""

    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


def _original(content: Path, report: Report) -> bytes | None:
    try:
        return (content / report.source).read_bytes()
    except OSError:  # moved away since it was read: the next build drops its pages too
        return None


def _with_rows(
    context: Callable[[], dict[str, Any]], rows: Sequence[Any] | Callable[[], Sequence[Any]], part: slice, pager: Pager
) -> dict[str, Any]:
    return context() | {"rows": (rows() if callable(rows) else rows)[part], "pager": pager}


def _report_context(report: Report, agency: views.Agency) -> dict[str, Any]:
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


def _metric_context(
    ranking: Callable[[], list[Report]], missing: Callable[[], list[Report]], key: str, name: str, unit: str
) -> dict[str, Any]:
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    ranked = ranking()
    return {
        "key": key,
        "name": name,
        "unit": unit,
        "ranked": ranked,
        "missing": missing(),
        "ranking_chart": functools.partial(charts.ranking, "c-rank", name, ranked, key, unit),  # for the first page only
    }


def _group_context(group: views.Group, kind: str, totals: Callable[[], dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """A year's or region's page; its charts are made only for the first page, which shows them."""
    return {"group": group, "kind": kind, "charts": functools.partial(_group_charts, group), "totals": totals}


def _child_totals(group: views.Group) -> dict[str, dict[str, int | float | None]]:
    """Each sub-region's total of every metric, by its slug: every page of a region shows them."""
    return {c.slug: {key: stated_sum(c.reports, key) for key, _, _, _ in views.metrics()} for c in group.children}


def _missing(reports: list[Report], key: str) -> list[Report]:
    return [r for r in reports if r.get(key) is None]


def filter_options(reports: Sequence[Report]) -> tuple[list[int], list[str]]:
    """The years (latest first) and regions the filters of a table of ``reports`` offer."""
    years = sorted({r.year for r in reports if r.year is not None}, reverse=True)
    regions = sorted({name for r in reports if (name := views.region_name(r))})
    return years, regions


def stated_sum(reports: list[Report], key: str) -> int | float | None:
    """The sum over the reports that state ``key``; None when none does."""
    total, stated = _total(reports, key)
    return total if stated else None


def _total(reports: list[Report], key: str) -> tuple[int | float, int]:
    """(sum over the reports that state it, how many state it)."""
    values = [value for r in reports if isinstance(value := r.get(key), int | float)]
    return sum(values), len(values)  # type: ignore[arg-type]


def _agency_charts(agency: views.Agency) -> list[charts.Chart]:
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    dated = sorted((r for r in agency.reports if r.year), key=lambda r: r.year or 0)
    years = [r.year for r in dated if r.year]
    series = {
        name: [r.get(key) for r in dated]  # type: ignore[misc]
        for key, (name, _) in labels.METRICS.items()
        if any(isinstance(r.get(key), int | float) for r in dated)
    }
    out = [c for c in (charts.trend("c-trend", "历年主要数字", years, series),) if c]  # type: ignore[arg-type]
    latest = agency.latest
    out += _report_charts(latest, prefix="c-latest")
    return out


def _report_charts(report: Report, prefix: str = "c") -> list[charts.Chart]:
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    out: list[charts.Chart | None] = []
    channels = report.get("proactive.channels")
    if isinstance(channels, dict):
        out.append(charts.breakdown(f"{prefix}-channels", "主动公开渠道（条）", channels, "条"))
    categories = report.get("proactive.categories")
    if isinstance(categories, dict):
        out.append(charts.breakdown(f"{prefix}-categories", "主动公开类别（条）", categories, "条"))
    outcomes = {labels.ROWS[o]: report.get(f"requests.{o}") for o in labels.OUTCOMES}
    if any(isinstance(v, int | float) for v in outcomes.values()):
        out.append(charts.breakdown(f"{prefix}-outcomes", "依申请公开办理结果（件）", outcomes, "件"))  # type: ignore[arg-type]
    elif isinstance(report.get("requests.outcomes"), dict):
        out.append(charts.breakdown(f"{prefix}-outcomes", "依申请公开办理结果（件）", report.get("requests.outcomes"), "件"))  # type: ignore[arg-type]
    for i, series in enumerate(year_series(report.text)):
        out.append(charts.trend(f"{prefix}-years{i}", series.title, series.years, {series.label: series.values}))  # type: ignore[dict-item]
    return [c for c in out if c]


def _group_charts(group: views.Group) -> list[charts.Chart]:
    from nianbao.render import charts  # here: pyecharts is imported only by a build that draws charts

    out = [
        charts.ranking("c-proactive", "主动公开政府信息", group.reports, "proactive.total", "条"),
        charts.outcomes("c-outcomes", group.reports),
        charts.review("c-review", group.reports),
    ]
    return [c for c in out if c]


def _flags_by_code(reports: list[Report]) -> list[tuple[str, list[tuple[Report, Any]]]]:
    by_code: dict[str, list[tuple[Report, Any]]] = {}
    for report in reports:
        for flag in report.flags:
            by_code.setdefault(flag.code, []).append((report, flag))
    order = list(labels.FLAGS)
    return sorted(by_code.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))


def render_site(
    reports: list[Report],
    problems: list[Problem],
    writer: Writer,
    config: Config,
    memo: Memo | None = None,
    meanwhile: Callable[[], object] | None = None,
    early: Callable[[], object] | None = None,
) -> list[Problem]:
    """Write the whole site; returns problems of the site itself (a missing asset). ``meanwhile()`` is
    called while forked workers make the pages, ``early()`` while they make the data files (this process
    has nothing else to do then)."""
    memo = memo or Memo({})
    out: list[Problem] = []
    ordered = sorted(reports, key=lambda r: (r.agency or "", -(r.year or 0), r.source))
    site = Site(ordered, problems, writer, config, memo)

    def listing() -> None:  # while the data files' workers work (they make the lists' rows, once)
        site.plan()
        if early is not None:
            early()

    data_files(ordered, writer, memo, config.workers, site.row_entry, listing)
    site.make(meanwhile)
    site_src = config.site_src
    for name in ASSETS:
        writer.write(f"assets/{name}", (site_src / name).read_bytes())
    writer.write("favicon.svg", (site_src / "favicon.svg").read_bytes())
    if (site_src / ECHARTS).is_file():
        writer.write("assets/echarts.min.js", (site_src / ECHARTS).read_bytes())
    else:
        hint = "未安装 ECharts：请运行 npm ci --prefix site_src；图表暂只显示数据表"
        out.append(Problem("site_src/package.json", "assets", hint))
    writer.write(".nojekyll", "")
    return out

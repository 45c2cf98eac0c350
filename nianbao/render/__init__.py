"""Reports -> the files of the site: pages rendered from templates/, assets from
site_src/, and the data downloads. Every link is relative to the page it is on."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from nianbao.config import ECHARTS, Config
from nianbao.forked import write_shares
from nianbao.model import Problem, Report
from nianbao.render import pages, views
from nianbao.render.datafiles import data_files
from nianbao.render.env import digest, environment, original_path
from nianbao.render.memo import Entries, Key, Kind, Memo
from nianbao.render.provenance import plan_review
from nianbao.write import Writer

T = TypeVar("T")
ASSETS = ("style.css", "site.js", "review.js")


def _depth_root(path: str) -> str:
    return "../" * path.count("/")


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
        self.pages: list[str] | None = []  # for the sitemap
        self.used: set[str] = set()  # the templates of the pages to render
        self.workers = config.workers
        self.content = config.content
        self.jobs: list[tuple[str, object, Callable[[], str | bytes | None]]] = []  # files to make: path, stamp, maker
        self.reports = reports
        self.problems = problems
        self.agencies = views.agencies(reports)
        self.agency_of = {r.id: a for a in self.agencies for r in a.reports}

    @functools.cached_property
    def years(self) -> list[views.Group]:
        return views.years(self.reports)

    @functools.cached_property
    def regions(self) -> list[views.Group]:
        return views.regions(self.reports)

    def page(self, path: str, template: str, inputs: object, context: Callable[[], dict[str, Any]]) -> None:
        """Have ``template`` rendered to ``path`` unless its ``inputs`` are unchanged; ``context`` is only made when needed."""
        if self.pages is not None:
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
        per_page: int | None = None,
    ) -> None:
        """``path`` with the first ``per_page`` (PAGE_ROWS) ``rows``, then ``<path>-2.html`` and on with the rest;
        each page's context has its ``rows`` and its ``pager``. ``rows`` may be made only when a page
        is rendered (a function), if ``count`` says how many there are."""
        per_page = per_page or PAGE_ROWS  # read when called: a test may set PAGE_ROWS
        stem = path.removesuffix(".html")
        count = max(1, -(-(len(rows) if count is None else count) // per_page))  # type: ignore[arg-type]
        paths = [path] + [f"{stem}-{n}.html" for n in range(2, count + 1)]
        hrefs = tuple(p.rsplit("/", 1)[-1] for p in paths)
        inputs = self._as_last(path, inputs)
        for n, page_path in enumerate(paths):
            pager = Pager(n + 1, hrefs, n * per_page, per_page)
            part = slice(n * per_page, (n + 1) * per_page)
            self.page(page_path, template, (inputs, n), functools.partial(_with_rows, context, rows, part, pager))

    def _as_last(self, path: str, inputs: object) -> object:
        """``inputs`` of a list, or the equal object the last build's first page of it was stamped with: every
        page's stamp then holds that object, and comparing it with itself is immediate, where comparing equal
        copies is a pass over both for each page (seconds for the review pages at 10,000 reports)."""
        last = self.memo.last.get((Kind.FILE, path))
        stamp = last[0] if last is not None else None  # (templates, (inputs, page number))
        if isinstance(stamp, tuple) and len(stamp) == 2 and isinstance(stamp[1], tuple) and len(stamp[1]) == 2:
            return stamp[1][0] if stamp[1][0] == inputs else inputs
        return inputs

    def _render(self, path: str, template: str, context: Callable[[], dict[str, Any]]) -> str:
        return self.env.get_template(template).render(root=_depth_root(path), path=path, agency_of=self.agency_of, **context())

    def render_jobs(self, share: int, shares: int, writer: Writer) -> Entries:
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

    def row_key(self, report: Report) -> tuple[Key, object]:
        """(key, stamp) of a report's row in the memo."""
        return (Kind.ROW, report.id), (self.templates, report.fingerprint)

    def row_entry(self, report: Report) -> tuple[Key, tuple[object, object]]:
        """The memo's entry for a report's row, made now: as ``_report_row`` would find it."""
        key, stamp = self.row_key(report)
        return key, (stamp, self._row(report))

    def _row(self, report: Report) -> str:
        return self.env.get_template("_report_row.html").render(r=report, root=_ROOT)  # (the template looked up only then)

    def plan(self, changed: frozenset[str] | None = None) -> None:
        """List every page to make, and the copy of each report's original file (``make`` makes them); only the
        pages of the ``changed`` reports and their agencies', if it is given (nothing else shows what changed)."""
        reports, agencies = self.reports, self.agencies
        if changed is not None:
            self.pages = None  # not every page: the sitemap stays as the last build wrote it
            for report in reports:
                if report.id in changed:
                    self.original(report)
                    self.report_page(report)
            for agency in agencies:
                if any(r.id in changed for r in agency.reports):
                    self.agency_page(agency)
            return
        for report in reports:
            self.original(report)
        flagged = [r for r in reports if r.flags]
        summaries = tuple(
            self.memo.get((Kind.SUMMARY, r.id), r.fingerprint, functools.partial(pages.summary, r))
            for r in reports
        )
        dated = views.by_year(reports)
        self.page(
            "index.html",
            "home.html",
            (summaries, tuple(self.problems)),
            functools.partial(pages.home_context, reports, agencies, self.years, self.regions, self.problems),
        )
        self.paged("agencies.html", "agencies.html", agencies, summaries, lambda: {"agencies": agencies})
        for agency in agencies:
            self.agency_page(agency)
        for report in reports:
            self.report_page(report)
        self.yearly_pages(dated, {str(s[0]): s for s in summaries})
        by_code = pages.flags_by_code(reports)
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
        if self.pages is None:  # only some reports' pages were planned: the rest stand, these with them
            return
        finder = None if self.base_url else pages.ROOT_FINDER
        page = self.env.get_template("404.html").render(root=self.base_url or "", path="404.html", finder=finder)
        self.writer.write("404.html", page)
        if self.base_url:  # a sitemap's addresses are whole URLs: without the site's address there is none to write
            self.writer.write("sitemap.xml", self._sitemap())
        self.writer.write(
            "robots.txt", "User-agent: *\nAllow: /\n" + (f"Sitemap: {self.base_url}sitemap.xml\n" if self.base_url else "")
        )

    def original(self, report: Report) -> None:
        """The copy of a report's original file."""
        self.file(original_path(report), report.fingerprint, functools.partial(_original, self.content, report))

    def yearly_pages(self, dated: list[tuple[int | None, list[Report]]], summary_of: dict[str, tuple[object, ...]]) -> None:
        """The lists that show one year a page: compare, each year's, each region's, each metric's ranking."""
        latest_year, agencies = (dated[0][0] if dated else None), len(self.agencies)
        nav = pages.year_nav("compare", dated)
        for year, rs in dated or [(None, [])]:
            self.paged(
                views.year_path("compare", year, latest_year),
                "compare.html",
                rs,
                (year, nav, agencies, tuple(summary_of[r.id] for r in rs)),
                functools.partial(pages.compare_context, year, rs, nav, agencies),
            )
        for group in self.years:
            self.paged(
                f"year/{group.slug}.html",
                "group.html",
                group.reports,
                (agencies, tuple(summary_of[r.id] for r in group.reports), pages.year_nav("", dated)),
                functools.partial(pages.year_context, group, agencies, dated),
            )
        for group in self.regions:
            self.region_pages(group, summary_of)
        for key, slug, name, unit in views.metrics():
            # a ranking for each year some report states the figure in (reports of no stated year are not ranked:
            # their years may differ); the latest such year's is the metric's own page
            ranked_years: list[tuple[int | None, list[Report]]] = [
                (y, rs) for y, rs in dated if y and any(isinstance(r.get(key), int | float) for r in rs)
            ]
            nav = pages.year_nav(slug, ranked_years)
            latest_ranked = ranked_years[0][0] if ranked_years else None
            for year, rs in ranked_years or [(None, [])]:
                values = tuple((r.id, r.agency, r.year, r.get(key)) for r in rs)
                ranked = functools.cache(functools.partial(views.ranking, rs, key))  # only if a page is rendered, once
                missing = functools.cache(functools.partial(pages.missing, rs, key))
                self.paged(
                    f"metric/{views.year_path(slug, year, latest_ranked)}",
                    "metric.html",
                    ranked,
                    (key, year, nav, values),
                    functools.partial(pages.metric_context, ranked, missing, key, name, unit, year, nav),
                    count=sum(1 for v in values if isinstance(v[3], int | float)),
                )

    def region_pages(self, group: views.Group, summary_of: dict[str, tuple[object, ...]]) -> None:
        """A region's page for each year it has reports of: its latest year's at ``region/<slug>.html``."""
        dated = views.by_year(group.reports)
        nav = pages.year_nav(group.slug, dated)
        children = tuple((c.slug, pages.latest_year(c.reports)) for c in group.children)
        for year, rs in dated:
            self.paged(
                f"region/{views.year_path(group.slug, year, dated[0][0])}",
                "group.html",
                rs,
                (year, nav, children, tuple(summary_of[r.id] for r in group.reports)),
                functools.partial(pages.region_context, group, year, rs, nav),
            )

    def agency_page(self, agency: views.Agency) -> None:
        """An agency's page (its list of reports cut into pages when long; the charts on the first)."""
        self.paged(
            f"agency/{agency.slug}.html",
            "agency.html",
            agency.reports,
            tuple(r.fingerprint for r in agency.reports),
            functools.partial(pages.agency_context, agency),
        )

    def report_page(self, report: Report) -> None:
        agency = self.agency_of[report.id]
        self.page(
            f"report/{report.id}.html",
            "report.html",
            (report.fingerprint, agency.slug, agency.name),
            functools.partial(pages.report_context, report, agency),
        )

    def _sitemap(self) -> str:
        assert self.pages is not None
        urls = "".join(f"  <url><loc>{escape(f'{self.base_url}{p}', quote=False)}</loc></url>\n" for p in self.pages)
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


def render_site(
    reports: list[Report],
    problems: list[Problem],
    writer: Writer,
    config: Config,
    memo: Memo | None = None,
    changed: frozenset[str] | None = None,
    meanwhile: Callable[[], object] | None = None,
    early: Callable[[], object] | None = None,
) -> list[Problem]:
    """Write the site (of its pages, only those of the ``changed`` reports if given: see ``Site.plan``); returns
    problems of the site itself (a missing asset). ``meanwhile()`` is called while forked workers make the pages,
    ``early()`` while they make the data files (this process has nothing else to do then)."""
    memo = memo or Memo({})
    out: list[Problem] = []
    ordered = sorted(reports, key=lambda r: (r.agency or "", -(r.year or 0), r.source))
    site = Site(ordered, problems, writer, config, memo)

    def listing() -> None:  # while the data files' workers work (they make the lists' rows, once)
        site.plan(changed)
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

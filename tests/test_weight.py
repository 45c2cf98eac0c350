"""Page weight at scale (issue 20, items 13-14). A corpus of 2,500 generated reports where one agency has
2,000 of them (the shape that gave a 6.6 MB agency page), a smaller copy of the 10,000-report case that
proves the mechanism: every list is cut into pages, no page is over 500 KB, and a report page costs at
most 150 KB to fetch (HTML + CSS + JS, gzipped), a long one included. ``python build.py bench`` prints
the same line (nianbao.weight.summary) for its 10,000 reports."""

import random
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from nianbao.build.pipeline import build
from nianbao.config import Config
from nianbao.render import PAGE_ROWS
from nianbao.render.provenance import REVIEW_ROWS
from nianbao.weight import PAGE_BUDGET, REPORT_BUDGET, summary, transfer
from tools.corpus import generate

BIG = "宁波市北仑区人民政府梅山街道办事处"
PROSE = (
    "本年度，我街道坚持以公开为常态、不公开为例外，围绕重点领域信息公开、政策解读和回应关切，"
    "进一步健全政府信息公开工作机制，规范依申请公开办理流程，加强政府网站和政务新媒体建设。\n"
)


@pytest.fixture(scope="module")
def heavy(tmp_path_factory):
    """(output folder, build result): 2,000 reports of one agency among 2,500, three of them long."""
    base = tmp_path_factory.mktemp("weight")
    content = base / "content"
    for seed in range(2500):
        g = generate(5000 + seed)
        text, folder = g.text, content / "others"
        if seed < 2000:
            text, folder = text.replace(g.expected["agency"], BIG), content / "big"  # one agency, its many years
        if seed in (7, 1500, 2400):
            text += PROSE * 400  # a long report (about 100 KB of text): its page is the heaviest
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{seed:04d}-{g.name}.txt").write_text(text, encoding="utf-8")
    result = build(Config(content, base / "out", cache=None, jobs=2))
    return base / "out", result


def test_one_agency_has_two_thousand_reports(heavy):
    _, result = heavy
    assert len(result.reports) == 2500
    assert sum(r.agency == BIG for r in result.reports) >= 2000


def test_every_list_is_paged_and_no_page_is_over_500_kb(heavy):
    output, _ = heavy
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 2500
    over = [(p.relative_to(output).as_posix(), p.stat().st_size) for p in pages if p.stat().st_size > PAGE_BUDGET]
    assert over == [], over
    longest = {}
    for page in pages:
        if page.parent.name == "report":
            continue  # one report's page: no list on it
        tree = lxml_html.fromstring(page.read_bytes())
        rows = max((len(body.xpath("./tr")) for body in tree.xpath("//tbody")), default=0)
        longest[page.relative_to(output).as_posix()] = rows
    assert max(longest.values()) <= PAGE_ROWS, sorted(longest.items(), key=lambda kv: -kv[1])[:5]
    agency = [p for p in longest if p.startswith("agency/") and re.search(r"-\d+\.html$", p)]
    assert len(agency) >= 2000 // PAGE_ROWS - 1  # the big agency's list goes on over pages …
    first = output / re.sub(r"-\d+\.html$", ".html", agency[0])
    assert first.is_file() and "-2.html" in first.read_text(encoding="utf-8")  # … linked from its first
    for listing in ("compare.html", "agencies.html"):
        assert (output / listing).stat().st_size <= PAGE_BUDGET


def _full_page(page: bytes, items: list[bytes], per_page: int = PAGE_ROWS) -> int:
    """Bytes ``page`` would weigh holding ``per_page`` items as heavy as its heaviest: what bounds a list's pages
    however many reports there are (at 10,000 a region's year has more than a page of them)."""
    return len(page) - sum(map(len, items)) + per_page * max(map(len, items))


def test_a_full_page_of_reports_stays_under_500_kb_at_any_scale(heavy):
    """The report lists (year, region, compare, agency pages): a page of PAGE_ROWS rows stays under the budget
    (their rows repeat nothing the cells show; at 10,000 reports, 1.2 KB rows made 620 KB pages)."""
    output, _ = heavy
    bounds = {}
    for page in output.rglob("*.html"):
        data = page.read_bytes()
        rows = re.findall(rb"<tr data-year=.*?</tr>", data, re.S)
        if rows:
            bounds[page.relative_to(output).as_posix()] = _full_page(data, rows)
    assert len(bounds) > 20 and any(p.startswith("year/") for p in bounds) and any(p.startswith("region/") for p in bounds)
    worst = max(bounds, key=bounds.__getitem__)
    assert bounds[worst] <= PAGE_BUDGET * 0.9, (worst, bounds[worst])  # a margin for longer real names


def test_a_full_review_page_stays_under_500_kb_at_any_scale(heavy):
    output, _ = heavy
    bounds = {}
    for page in output.glob("review*.html"):
        data = page.read_bytes()
        items = re.findall(rb'<li class="review-item.*?</li>', data, re.S)
        if items:
            bounds[page.name] = _full_page(data, items, REVIEW_ROWS)
    assert bounds
    worst = max(bounds, key=bounds.__getitem__)
    assert bounds[worst] <= PAGE_BUDGET, (worst, bounds[worst])


def test_a_cards_labels_are_its_columns_headers(site):
    """On phones a report list's rows are cards; their labels come from style.css by column, and must be the headers."""
    output, _ = site
    tree = lxml_html.fromstring((output / "compare.html").read_bytes())
    headers = [" ".join(th.text_content().split()) for th in tree.xpath("//table[@id='report-table']/thead//th")]
    css = (Path(__file__).resolve().parent.parent / "site_src" / "style.css").read_text(encoding="utf-8")
    labels = dict(re.findall(r'table\.cards-sm tbody td:nth-child\((\d+)\)::before \{ content: "([^"]+)"; \}', css))
    assert [labels.get(str(i)) for i in range(2, len(headers) + 1)] == headers[1:]
    row = tree.xpath("//table[@id='report-table']/tbody/tr")[0]
    assert len(row.xpath("./th|./td")) == len(headers) and not row.xpath(".//@data-label")


def test_a_report_page_costs_at_most_150_kb_gzipped(heavy):
    output, result = heavy
    long_ones = [r.id for r in result.reports if r.source.split("/")[-1].startswith(("0007-", "1500-", "2400-"))]
    assert len(long_ones) == 3
    costs = {}
    for page in sorted((output / "report").glob("*.html")):
        total, parts = transfer(output, page.relative_to(output).as_posix())
        costs[page.stem] = (total, parts)
        assert any(p.endswith(".css") for p in parts), parts  # the stylesheet is counted
    heaviest = max(costs, key=lambda k: costs[k][0])
    assert costs[heaviest][0] <= REPORT_BUDGET, (heaviest, costs[heaviest])
    assert all(costs[i][0] > 2 * costs[heaviest][0] / 3 for i in long_ones)  # the long pages are among the heaviest
    line = summary(output)
    assert "target ≤ 150 KB" in line and "target ≤ 500 KB" in line
    print(line)


def test_transfer_counts_what_a_page_loads(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/style.css").write_text("body{}" * 100)
    (tmp_path / "assets/echarts.min.js").write_bytes(random.Random(0).randbytes(20_000))  # does not compress
    (tmp_path / "report").mkdir()
    page = (
        '<link rel="stylesheet" href="../assets/style.css"><script src="../assets/echarts.min.js" defer></script>'
        '<script src="https://elsewhere.invalid/x.js"></script>'
    )
    (tmp_path / "report/a.html").write_text(page)
    total, parts = transfer(tmp_path, "report/a.html")
    assert set(parts) == {"report/a.html", "assets/style.css", "assets/echarts.min.js"}
    assert parts["assets/echarts.min.js"] > 10_000 and total == sum(parts.values())


def test_the_sites_own_pages_load_only_what_they_draw_with(site):
    """A report page draws its bars itself: it does not load the chart script (what keeps it light)."""
    output, _ = site
    report = next(Path(output, "report").glob("*.html")).relative_to(output).as_posix()
    _, parts = transfer(output, report)
    assert not [p for p in parts if "echarts" in p], parts
    _, home = transfer(output, "index.html")
    assert any("echarts" in p for p in home)  # the home page draws charts: it loads it

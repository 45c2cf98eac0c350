"""The built site as files: every page there, every link and asset resolving,
nothing loaded from another host, and HTML that parses without error."""

import base64
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from lxml import html as lxml_html

from nianbao.render.figures import number


def _pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def _tree(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def test_every_report_and_agency_has_its_page(site):
    output, result = site
    assert not [p for p in result.problems if p.stage == "assets"], "ECharts missing: run npm ci --prefix site_src"
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))
    assert len(data["reports"]) == 10
    for report in data["reports"]:
        page = output / "report" / f"{report['id']}.html"
        assert page.is_file()
        heading = _tree(page).findtext(".//h1")
        assert (report["agency"] or "未载明机关") in heading
    agencies = {r["agency"] or f"（未载明机关：{r['source']}）" for r in data["reports"]}  # each its own, never one
    listed = _tree(output / "agencies.html").xpath("//table//th[@scope='row']/a")
    assert sorted(a.text for a in listed) == sorted(agencies)
    for link in listed:
        assert (output / link.get("href")).is_file()
    for name in ("index.html", "compare.html", "flags.html", "data.html", "404.html", "favicon.svg", ".nojekyll"):
        assert (output / name).is_file(), name


def test_internal_links_assets_and_fragments_resolve(site):
    output, _ = site
    ids: dict[Path, set[str]] = {}
    for page in _pages(output):
        if page.name == "404.html":
            continue  # links to the published root, checked separately
        tree = _tree(page)
        for _, _, link, _ in tree.iterlinks():
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{page}: absolute link {link}"
            assert not parts.path.startswith("/"), f"{page}: root-relative link {link} breaks under a sub-path"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(output)}: {link} does not resolve"
            assert output.resolve() in target.parents, f"{page}: {link} leaves the site"
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(_tree(target).xpath("//@id"))
                assert unquote(parts.fragment) in ids[target], f"{page.relative_to(output)}: #{parts.fragment} missing"


def test_nothing_is_loaded_from_another_host(site):
    output, _ = site
    for page in _pages(output):
        tree = _tree(page)
        for src in tree.xpath("//script/@src | //img/@src | //link/@href | //iframe/@src | //source/@src"):
            assert not re.match(r"^(?:[a-z]+:)?//", src), f"{page}: {src}"
        inline = tree.xpath("//script[not(@src) and not(@type='application/json')]")
        if page.name == "404.html" and page.parent == output:  # finds the root at any depth, allowed by its hash
            csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
            digest = base64.b64encode(hashlib.sha256(inline[0].text.encode()).digest()).decode()
            assert len(inline) == 1 and f"'sha256-{digest}'" in csp
        else:
            assert not inline, f"{page}: inline script"
    css = (output / "assets/style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    js = (output / "assets/site.js").read_text(encoding="utf-8")
    assert "http" not in js and "//" not in "".join(re.findall(r"fetch\(([^)]*)\)", js))
    assert set(re.findall(r"fetch\((\w+|\"[^\"]*\")", js)) == {"base", '"report/"', "href"}  # all relative


def test_html_parses_cleanly(site):
    output, _ = site
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in _pages(output):
        try:
            parser.parse(page.read_bytes())
        except html5lib.html5parser.ParseError as exc:
            pytest.fail(f"{page.relative_to(output)}: {exc}")
        tree = _tree(page)
        assert tree.get("lang") == "zh-CN"
        assert tree.findtext(".//title").strip()
        assert tree.xpath("//meta[@name='description']/@content")[0].strip()


def test_report_page_links_each_figure_to_its_line(site):
    output, _ = site
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))
    report = next(r for r in data["reports"] if r["source"] == "001_8fa4d51aba8f0a18.txt")
    tree = _tree(output / "report" / f"{report['id']}.html")
    link = tree.xpath("//table[contains(@class,'figures')]//a[@href='#f-proactive-total']")[0]
    assert link.text == "88"
    mark = tree.get_element_by_id("f-proactive-total")
    assert mark.tag == "mark" and mark.text == "88"
    line = report["evidence"]["proactive.total"]["line"]
    assert mark.getparent().get("id") == f"L{line}"
    # every figure the data table shows links to an element of the page
    ids = set(tree.xpath("//@id"))
    for href in tree.xpath("//table[contains(@class,'figures') or contains(@class,'matrix')]//a/@href"):
        assert href[1:] in ids


def test_null_is_shown_apart_from_zero():
    assert "未载明" in number(None) and number(0) == "0" and number(12345) == "12,345" and number(1.5) == "1.5"


def test_comparison_table_has_a_row_per_report_with_sort_values(site):
    output, _ = site
    rows = []
    for page in output.glob("compare*.html"):  # one page a year
        mine = _tree(page).xpath("//table[@id='report-table']/tbody/tr")
        assert len({r.get("data-year") for r in mine}) == 1, f"{page.name} mixes years"
        rows += mine
    assert len(rows) == 10
    tree = _tree(output / "compare-y2017.html")
    headers = [b.text for b in tree.xpath("//table[@id='report-table']/thead//button")]
    column = headers.index("主动公开政府信息（条）")
    seed1 = next(r for r in rows if "兴隆街道" in r.text_content())
    cell = seed1.xpath("./th|./td")[column]
    assert cell.get("data-value") == "88" and cell.text_content() == "88"
    assert "未载明" in seed1.xpath("./th|./td")[headers.index("予以公开（件）")].text_content()


def test_region_and_year_pages(site):
    output, _ = site
    regions = list((output / "region").glob("*.html"))
    names = [_tree(p).findtext(".//h1") for p in regions]
    assert any(n.startswith("浙江省宁波市") for n in names)
    years = sorted(p.stem for p in (output / "year").glob("*.html"))
    assert "2017" in years and len(years) >= 3


def test_sitemap_lists_pages_with_the_base_url_and_is_not_written_without_it(tmp_path, site):
    output, _ = site
    assert not (output / "sitemap.xml").exists()  # a sitemap's <loc> must be a whole URL
    assert "Sitemap" not in (output / "robots.txt").read_text(encoding="utf-8")
    from nianbao.build.pipeline import build
    from nianbao.config import Config

    content = tmp_path / "c"
    content.mkdir()
    (content / "a.txt").write_bytes((Path(__file__).parent.parent / "content/001_8fa4d51aba8f0a18.txt").read_bytes())
    build(Config(content, tmp_path / "o", cache=None, jobs=1, base_url="https://example.org/repo"))
    sitemap = (tmp_path / "o/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/repo/index.html</loc>" in sitemap
    assert sitemap.count("<url>") == len(_pages(tmp_path / "o")) - 1  # every page but 404.html
    assert 'href="https://example.org/repo/assets/style.css"' in (tmp_path / "o/404.html").read_text(encoding="utf-8")


def test_report_text_shows_markup_as_text_and_marks_figures():
    from nianbao.model import Evidence, Region, Report
    from nianbao.render.reporttext import render_report_text

    text = (
        "一、总体情况\n"
        "<script>alert(1)</script> {{ 7*7 }} {% raw %} <img src=x onerror=alert(2)> [链接](javascript:alert(3))\n"
        "（一）主动公开\n"
        "本年主动公开政府信息１，２３４条，其中网站公开1000条。\n"
        "项目\t自然人\t总计\n"
        "本年新收\t3\t3\n"
    )
    figures = {"proactive.total": 1234, "requests.matrix.received.total": 3}
    evidence = {
        "proactive.total": Evidence(4, text.splitlines()[3]),
        "requests.matrix.received.total": Evidence(6, "本年新收\t3\t3"),
    }
    report = Report("r", "r.txt", "", "txt", "某局", Region(), 2020, None, "gb2021", figures, evidence, (), text)
    html, marked = render_report_text(report)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "<a " not in html and "{{ 7*7 }}" in html
    assert '<h2 id="L1" data-line="1">一、总体情况</h2>' in html
    assert '<h3 id="L3"' in html and "<table>" in html and '<tr id="L6"' in html
    assert '<mark id="f-proactive-total" class="fig" title="主动公开政府信息（proactive.total）">１，２３４</mark>' in html
    assert marked == {"proactive.total", "requests.matrix.received.total"}


def test_regions_nest_province_city_county(site):
    output, _ = site
    pages: dict[str, list] = {}
    for p in (output / "region").glob("*.html"):
        pages.setdefault(_tree(p).findtext(".//h1").split(" ")[0], []).append(_tree(p))
    for province in pages["浙江省"]:
        assert "浙江省宁波市" in [a.text for a in province.xpath("//table//th/a")]
        assert "省级地区" in province.findtext(".//p[@class='lead']")
    for city in pages["浙江省宁波市"]:
        assert [a.text for a in city.xpath("//nav[@class='crumbs']/a")][-1] == "浙江省"
    # each year's page counts that year's reports of each sub-region: two reports in all
    counts = [int(r.xpath("./td")[0].text) for p in pages["浙江省"] for r in p.xpath("(//table)[1]/tbody/tr")]
    assert sum(counts) == 3  # the two filed in 浙江省/宁波市, and seed 000, whose text puts 郭巨街道 in 北仑区


@pytest.mark.parametrize(
    ("line", "value", "marked"),
    [
        ("共受理申请1,234件，办结1234件", 1234, "1,234"),  # the first occurrence, separators as printed
        ("其中3，4月份受理34件", 34, "34"),  # "3，4" is two numbers in a list, not 34
        ("其中3，4月份受理34件", 4, "4"),
        ("增长12.5%，共12件", 12, "12"),  # not the 12 of 12.5
        ("增长12.5%，共12件", 12.5, "12.5"),
        ("收费0.5万元", 0.5, "0.5"),
        ("第2023号文件公开15条", 15, "15"),
    ],
)
def test_a_figure_is_marked_where_its_number_stands_alone(line, value, marked):
    from nianbao.model import Evidence, Region, Report
    from nianbao.render.reporttext import render_report_text

    report = Report(
        "r", "r.txt", "", "txt", "某局", Region(), 2020, None, "narrative", {"k": value}, {"k": Evidence(1, line)}, (), line
    )
    html, keys = render_report_text(report)
    assert keys == {"k"}
    assert f'title="k（k）">{marked}</mark>' in html


def test_report_data_table_follows_the_template_order(site):
    output, _ = site
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))
    report = next(r for r in data["reports"] if r["template"] == "gb2021")
    tree = _tree(output / "report" / f"{report['id']}.html")
    shown = [th.text_content() for th in tree.xpath("//table[contains(@class,'figures')]/tbody/tr/th")]
    order = ["主动公开政府信息", "本年新收申请", "上年结转申请", "予以公开", "部分公开", "不予公开", "无法提供"]
    order += ["不予处理", "其他处理"]
    order += ["办理结果总计", "结转下年度继续办理", "行政复议：结果维持", "行政复议：总计", "行政诉讼：总计"]
    places = [shown.index(name) for name in order if name in shown]
    assert len(places) >= 8 and places == sorted(places), shown


def test_a_table_report_whose_request_table_was_not_read_shows_no_table_of_blanks():
    """A 2021-format report whose request table is missing (an excerpt cut before it) but whose prose says
    未收到申请: the page shows 本年新收 0 from the prose, and no table of 未载明 beside it."""
    from dataclasses import replace

    from nianbao.config import PROJECT
    from nianbao.load import load_source
    from nianbao.parse import parse_report
    from nianbao.render.figures import matrix_rows

    path = PROJECT / "content" / "003_f928e1f66e0e8c3b.txt"
    report = parse_report(load_source(path, path.parent)[0])  # type: ignore[arg-type]
    assert report.template != "narrative" and matrix_rows(report, set())
    without = replace(report, figures={k: v for k, v in report.figures.items() if not k.startswith("requests.matrix.")})
    assert matrix_rows(without, set()) is None

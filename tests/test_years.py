"""A site of two agencies over three years, one year missing for one of them (and the seeds beside
them), in headless Chromium: no page adds different years together, the pages that show one year
say which, an agency's trend has a gap where a year is missing, and a report's outcome chart adds up
to what the report states. Screenshots at 1280 and 375 px go to tests/artifacts/ for a person to look at."""

import functools
import http.server
import itertools
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from lxml import html as lxml_html
from playwright.sync_api import expect

from nianbao.build.pipeline import build
from nianbao.config import Config
from nianbao.render.outcomes import by_category, category

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTIFACTS = Path(__file__).parent / "artifacts"
SEED = ROOT / "content/000_ec54cc23732cb7e6.txt"  # 郭巨街道 2017: 主动公开共计356条
# (agency, year) -> 主动公开 total: four-digit numbers no sum of which across years is one of them, nor
# one year's sum over a region. 北仑区 has two agencies each year; 镇海区 one in 2014, none in 2015, two in 2016.
PROACTIVE = {("春晓", 2016): 2371, ("春晓", 2018): 4123, ("梅山", 2016): 1310, ("梅山", 2017): 1705, ("梅山", 2018): 2952,
             ("蛟川", 2014): 1187, ("蛟川", 2016): 2644, ("庄市", 2016): 1523}  # fmt: skip
COUNTY = {"春晓": "北仑区", "梅山": "北仑区", "蛟川": "镇海区", "庄市": "镇海区"}


def _variant(agency: str, year: int, total: int) -> str:
    text = SEED.read_text(encoding="utf-8")
    return text.replace("2017年", f"{year}年").replace("共计356条", f"共计{total}条").replace("郭巨", agency)


@pytest.fixture(scope="module")
def years_site(tmp_path_factory):
    """(base URL of the site served under a sub-path, its output folder)."""
    base = tmp_path_factory.mktemp("years")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    for (agency, year), total in PROACTIVE.items():
        folder = content / "浙江省" / "宁波市" / COUNTY[agency]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{agency}_{year}.txt").write_text(_variant(agency, year, total), encoding="utf-8")
    www = base / "www"
    build(Config(content, www / "site", cache=None, jobs=1))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Pages, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site/", www / "site"
    server.shutdown()


class _Pages(http.server.SimpleHTTPRequestHandler):
    """Serves as GitHub Pages does: a missing file gets the site's own 404.html, with status 404."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "site/404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _cross_year_sums() -> set[int]:
    """Every sum of two or more of the totals that takes in more than one year."""
    out = set()
    items = list(PROACTIVE.items())
    for n in range(2, len(items) + 1):
        for combo in itertools.combinations(items, n):
            if len({year for (_, year), _ in combo}) > 1:
                out.add(sum(v for _, v in combo))
    return out


def test_no_page_adds_years_together(years_site):
    _, output = years_site
    sums = _cross_year_sums()
    assert not sums & set(PROACTIVE.values())
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))["reports"]
    read = {(r["agency"][:2], r["year"]): r["proactive"]["total"] for r in data if r["source"].startswith("浙江省")}
    assert read == PROACTIVE
    for page in output.rglob("*.html"):
        text = lxml_html.fromstring(page.read_bytes()).text_content()
        numbers = {
            int(n.replace(",", "")) for n in re.findall(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d,.])\d+(?![\d,])", text)
        }
        assert not numbers & sums, f"{page.relative_to(output)} shows a sum across years: {numbers & sums}"


def test_home_and_region_pages_name_their_year(years_site):
    _, output = years_site
    home = lxml_html.fromstring((output / "index.html").read_bytes())
    assert home.findtext(".//h2[@id='headline']") == "2018年主要数字"
    note = home.xpath("//section[@aria-labelledby='headline']/p[@class='note']")[0].text_content()
    assert "只含2018年" in note and "9 个机关中有 2 个报告了这一年" in note  # five seeds and the four
    cards = {
        c.findtext("span[@class='card-label']"): c.findtext("span[@class='card-value']")
        for c in home.xpath("//div[@class='card']")
    }
    assert cards["主动公开政府信息"] == f"{4123 + 2952:,}"  # 2018's two reports, and said so
    assert "2018年，2 份报告之和" in home.xpath("//div[@class='card']/span[@class='card-note']")[0].text
    regions = {lxml_html.fromstring(p.read_bytes()).findtext(".//h1"): p for p in (output / "region").glob("*.html")}
    county = lxml_html.fromstring(regions["浙江省宁波市北仑区 2018年"].read_bytes())
    # 春晓 and 梅山, filed in 北仑区, and seed 000's 郭巨街道 (2017), whose text places it in 北仑区
    assert "2018年：本地区 3 个机关中有 2 个报告了这一年" in county.findtext(".//p[@class='lead']")
    older = lxml_html.fromstring(regions["浙江省宁波市北仑区 2017年"].read_bytes())
    assert "2017年：本地区 3 个机关中有 2 个报告了这一年" in older.findtext(".//p[@class='lead']")
    years = [a.text for a in county.xpath("//nav[@class='years']/a")]
    assert years == ["2017年", "2016年"]  # every other year a link away, without script
    city = lxml_html.fromstring(regions["浙江省宁波市 2018年"].read_bytes())
    row = city.xpath("(//table)[1]/tbody/tr")[0]
    assert [c.text_content() for c in row.xpath("th|td")][:3] == ["浙江省宁波市北仑区", "2", f"{4123 + 2952:,}"]


def test_an_agency_trend_has_a_gap_for_its_missing_year(years_site, browser):
    base, _ = years_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "agencies.html")
    page.get_by_role("link", name="春晓街道", exact=True).click()
    page.wait_for_function(
        "() => document.querySelectorAll('.chart.drawn').length === document.querySelectorAll('.chart').length"
    )
    option = page.evaluate("() => { const o = echarts.getInstanceByDom(document.getElementById('c-trend0')).getOption();"
                           " return {x: o.xAxis[0].data, y: o.series[0].data, connect: o.series[0].connectNulls}; }")  # fmt: skip
    assert option["x"] == ["2016", "2017", "2018"]
    assert [v[1] if isinstance(v, list) else v for v in option["y"]] == [2371, None, 4123]
    assert not option["connect"]
    table = page.locator("#c-trend0-figure table tbody tr")
    assert table.nth(1).locator("th, td").all_text_contents() == ["2017", "无该年报告"]
    page.close()


def _region_page(output: Path, name: str) -> Path:
    return next(p for p in (output / "region").glob("*.html") if lxml_html.fromstring(p.read_bytes()).findtext(".//h1") == name)


# 宁波市's yearly sums of 主动公开: 2014 蛟川 alone, no report in 2015, four agencies in 2016, two after
# (2017: 梅山 and seed 000's 郭巨街道, which reports 356)
CITY_TREND = [
    ["2014", "1,187", "1 个机关合计 1,187 条"],
    ["2015", "无该年报告", ""],
    ["2016", "7,848", "4 个机关合计 7,848 条"],
    ["2017", "2,061", "2 个机关合计 2,061 条"],
    ["2018", "7,075", "2 个机关合计 7,075 条"],
]


def test_a_region_trend_says_what_each_year_adds_up(years_site):
    """Without script: the trend's table gives each year's sum and the agencies it adds up, a missing year as such."""
    _, output = years_site
    assert 1187 + 2371 + 1310 + 2644 + 1523 == 9035 and 2371 + 1310 + 2644 + 1523 == 7848 and 1705 + 356 == 2061
    for year in ("2018年", "2016年", "2014年"):  # on each year's page of the region
        city = lxml_html.fromstring(_region_page(output, f"浙江省宁波市 {year}").read_bytes())
        assert city.findtext(".//h2[@id='trend']") == "历年合计"
        figure = city.xpath("//figure[@id='c-trend0-figure']")[0]
        assert figure.findtext("figcaption") == "主动公开政府信息（条）"
        rows = [[c.text_content() for c in tr.xpath("th|td")] for tr in figure.xpath(".//tbody/tr")]
        assert rows == CITY_TREND
    county = lxml_html.fromstring(_region_page(output, "浙江省宁波市北仑区 2018年").read_bytes())
    rows = [[c.text_content() for c in tr.xpath("th|td")] for tr in county.xpath("//figure[@id='c-trend0-figure']//tbody/tr")]
    assert rows == [["2016", "3,681", "2 个机关合计 3,681 条"], CITY_TREND[3], CITY_TREND[4]]
    assert "除“历年合计”一节外都只属于2018年" in county.findtext(".//p[@class='lead']")
    year_page = lxml_html.fromstring((output / "year/2016.html").read_bytes())
    assert not year_page.xpath("//h2[@id='trend']")  # a year's page stays one year's


def test_a_region_trend_draws_its_agencies_under_the_line(years_site, browser):
    base, output = years_site
    ARTIFACTS.mkdir(exist_ok=True)
    path = _region_page(output, "浙江省宁波市 2018年").relative_to(output).as_posix()
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(base + path)
        page.wait_for_function("() => document.querySelectorAll('#trend ~ .charts .chart.drawn').length >= 4")
        option = page.evaluate("""() => { const o = echarts.getInstanceByDom(document.getElementById('c-trend0')).getOption();
            return {x: o.xAxis.map(a => a.data), line: o.series[0].data.map(p => p && p[1]), bars: o.series[1].data}; }""")
        assert option["x"] == [["2014", "2015", "2016", "2017", "2018"]] * 2
        assert option["line"] == [1187, None, 7848, 2061, 7075] and option["bars"] == [1, None, 4, 2, 2]
        chart = page.locator("#c-trend0")
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(1200)  # the line's animation: the screenshot shows it whole
        page.screenshot(path=str(ARTIFACTS / f"region-trend-{width}.png"), full_page=True)
        at = "(where) => echarts.getInstanceByDom(document.getElementById('c-trend0')).convertToPixel(...where)"
        x, y = page.evaluate(at, [{"seriesIndex": 0}, ["2016", 7848]])
        box = chart.bounding_box()
        page.mouse.move(box["x"] + x, box["y"] + y + 4)
        tip = page.locator(".chart-tip").first
        expect(tip).to_contain_text("2016年：4 个机关合计 7,848 条")
        page.mouse.move(box["x"] + page.evaluate(at, [{"xAxisIndex": 0}, "2015"]), box["y"] + y)
        expect(tip).to_contain_text("2015年：无该年报告")
        expect(tip).not_to_contain_text("未载明")
        assert errors == [], errors
        page.close()


def _reports(folder: Path) -> list:
    from nianbao.load import load_source
    from nianbao.parse import parse_report

    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".txt", ".md", ".html", ".pdf", ".docx", ".doc"):
            doc, _ = load_source(path, folder)
            if doc is not None:
                out.append(parse_report(doc))
    return out


@pytest.mark.parametrize("folder", [SHARED / "seeds", SHARED / "corpus/real"], ids=["seeds", "real"])
def test_outcome_parts_add_up_to_the_stated_total_or_say_why_not(folder):
    if not folder.is_dir():
        pytest.skip("../shared (seeds, real corpus) not here")
    reports = _reports(folder)
    assert len(reports) >= 5
    for report in reports:
        result = by_category(report)
        if not result.parts:
            continue
        note = result.note()
        assert f"各项合计 {result.sum:,} 件" in note
        if result.total is None:
            assert "无从核对" in note, report.source
        elif result.sum == result.total:
            assert f"等于报告所述{result.total_name} {result.total:,} 件" in note, report.source
        else:
            assert f"{result.total_name} {result.total:,} 件" in note and ("没有读出" in note or "不符" in note), report.source
        stated = report.get("requests.outcomes")
        for label, value in stated.items() if isinstance(stated, dict) else ():  # each charted, or said to be left out
            key = category(label)
            assert (key is None and f"{label} {value:,} 件" in result.left_out) or key in result.parts, (report.source, label)


def test_prose_outcomes_are_charted_in_their_category(years_site, browser):
    base, output = years_site
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))["reports"]
    seed = next(r for r in data if r["source"] == SEED.name)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + f"report/{seed['id']}.html")
    labels = page.locator("#c-outcomes .bar-label").all_inner_texts()
    values = [int(v) for v in page.locator("#c-outcomes .bar-value").all_inner_texts()]
    assert dict(zip(labels, values, strict=True)) == {"予以公开": 5, "无法提供": 10}
    assert sum(values) == seed["requests"]["received"] == 15
    widths = page.locator("#c-outcomes rect").evaluate_all("rs => rs.map(r => r.getBoundingClientRect().width)")
    assert widths[1] > 1.9 * widths[0]  # drawn to scale
    note = page.locator("#c-outcomes-figure .chart-note").inner_text()
    assert note == "各项合计 15 件，等于报告所述本年新收申请 15 件。"
    row = page.locator("#c-outcomes-figure table tbody tr").nth(1)
    assert row.locator("td").nth(1).text_content() == "非本机关政府信息 7、政府信息不存在 3"
    page.close()


def test_search_lands_on_the_first_hit(years_site, browser):
    base, _ = years_site
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(base + "search.html?q=兴隆街道")
        page.locator("#search-results li a").first.click()
        hit = page.locator("mark.hit").first
        expect(hit).to_have_text("兴隆街道")
        box = hit.bounding_box()
        assert box and 0 <= box["y"] <= 800, box  # in view
        page.screenshot(path=str(ARTIFACTS / f"search-landing-{width}.png"))
        page.close()


def test_pages_at_1280_and_375_px_fit_or_scroll_visibly(years_site, browser):
    base, output = years_site
    ARTIFACTS.mkdir(exist_ok=True)
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))["reports"]
    report = next(r for r in data if r["source"] == "002_7bf06d37f0720d52.txt")
    agency = next(r for r in data if r["agency"] and r["agency"] == "梅山街道")
    agency_href = lxml_html.fromstring((output / f"report/{agency['id']}.html").read_bytes()).xpath(
        "//nav[@class='crumbs']/a/@href"
    )[1]
    pages = {
        "home": "index.html",
        "compare": "compare.html",
        "agency": agency_href.removeprefix("../"),
        "report": f"report/{report['id']}.html",
        "404": "no/such/nested/page.html",
    }
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        for name, path in pages.items():
            page.goto(base + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), (
                f"{name} scrolls sideways at {width}px"
            )
            cut = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')].filter(w => {
                const style = getComputedStyle(w);
                const wide = w.scrollWidth > w.clientWidth + 1;
                const hint = w.previousElementSibling && w.previousElementSibling.classList.contains('scroll-hint')
                             && !w.previousElementSibling.hidden;
                return wide && !(style.overflowX === 'auto' && hint);
            }).length""")
            assert cut == 0, f"{name} at {width}px: a table is cut off without a visible way to scroll"
            if name == "404":  # styled, and its links lead into the site from any depth
                expect(page.locator("header.site")).to_have_css("border-bottom-style", "solid")
                home = page.get_by_role("link", name="返回首页")
                assert home.get_attribute("href") == "/site/index.html"
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert errors == [], errors
        context.close()


def test_a_long_agency_page_is_cut_into_pages(tmp_path):
    from unittest import mock

    import nianbao.render

    content = tmp_path / "content"
    content.mkdir()
    for (agency, year), total in PROACTIVE.items():
        if agency == "梅山":
            (content / f"{year}.txt").write_text(_variant(agency, year, total), encoding="utf-8")
    with mock.patch.object(nianbao.render, "PAGE_ROWS", 2):
        build(Config(content, tmp_path / "out", cache=None, jobs=1))
    pages = sorted((tmp_path / "out/agency").glob("*.html"), key=lambda p: len(p.name))
    assert len(pages) == 2 and pages[1].name == pages[0].name.replace(".html", "-2.html")
    one, two = (lxml_html.fromstring(p.read_bytes()) for p in pages)
    assert len(one.xpath("(//table)[1]/tbody/tr")) == 2 and len(two.xpath("(//table)[1]/tbody/tr")) == 1
    assert one.xpath("//h2[@id='trend']") and not two.xpath("//h2[@id='trend']")  # the charts on the first page


def test_a_metrics_own_page_is_the_latest_year_that_states_it(tmp_path):
    """The seeds' 2017 reports state 主动公开; one more report, of 2019, states only requests. 指标排名's page for
    主动公开 ranks 2017 (2019 has nothing to rank, and no empty ranking page), 本年新收's ranks 2019."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "003_f928e1f66e0e8c3b.txt.yaml").write_text("year: 2019\nagency: 某县统计局\n", encoding="utf-8")
    build(Config(content, tmp_path / "out", cache=None, jobs=1))
    metric = tmp_path / "out" / "metric"
    heading = {p.name: lxml_html.fromstring(p.read_bytes()).findtext(".//h1") for p in metric.glob("*.html")}
    assert "2017" in heading["proactive-total.html"] and "proactive-total-y2019.html" not in heading
    assert "2019" in heading["requests-received.html"] and "2017" in heading["requests-received-y2017.html"]

"""The built site in headless Chromium (Debian's chromium, driven by Playwright),
served from 127.0.0.1 under a GitHub Pages-like sub-path. (The screenshots of the main pages are
taken by tests/test_years.py.)"""

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

ARTIFACTS = Path(__file__).parent / "artifacts"
ROOT = Path(__file__).resolve().parent.parent
SUB_PATH = "nianbao-site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    """(base URL ending in /nianbao-site/, the site's reports.json)."""
    output, _ = site
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(output, www / SUB_PATH)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/", data
    server.shutdown()


@pytest.fixture
def page(browser):
    """A page that records console errors and any request that leaves 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.outside = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1:", "data:")):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    assert page.errors == [], page.errors
    assert page.outside == [], page.outside
    context.close()


def _chart_series(page, chart_id):
    """The series a drawn chart holds: {name, data}, line points reduced to their values."""
    series = page.evaluate(
        """id => { const c = echarts.getInstanceByDom(document.getElementById(id));
                   return c ? c.getOption().series.map(s => ({name: s.name, data: s.data})) : null; }""",
        chart_id,
    )
    for s in series:
        s["data"] = [d[1] if isinstance(d, list) else d for d in s["data"]]
    return series


def _record_error(errors, message):
    if message.type == "error":
        errors.append(message.text)


def _label(r):
    return f"{r['agency'] or '（未载明机关）'} {r['year'] or '年度未载明'}"


@pytest.mark.parametrize("path", ["index.html", "year/2017.html"])
def test_year_charts_hold_that_years_numbers(served, page, path):
    base, data = served
    latest = max(r["year"] for r in data["reports"] if r["year"])
    year = latest if path == "index.html" else 2017  # the home page shows the latest year
    reports = [r for r in data["reports"] if r["year"] == year]
    page.goto(base + path)
    page.wait_for_function(
        "() => document.querySelectorAll('.chart.drawn').length === document.querySelectorAll('.chart').length"
    )
    proactive = sorted((r["proactive"]["total"] for r in reports if r["proactive"]["total"] is not None), reverse=True)
    assert page.locator("#c-proactive").count() == (1 if proactive else 0)  # no chart of another year's
    if not proactive:
        return
    assert [d for d in _chart_series(page, "c-proactive")[0]["data"]] == proactive
    if year == 2017:
        assert page.locator(".chart").count() == 3
        outcomes = {s["name"]: s["data"] for s in _chart_series(page, "c-outcomes")}
        shown = sorted(
            (r for r in reports if r["requests"]["granted"] is not None), key=lambda r: -(r["requests"]["received"] or 0)
        )
        assert outcomes["予以公开"][: len(shown)] == [r["requests"]["granted"] for r in shown]
        review = {s["name"]: s["data"] for s in _chart_series(page, "c-review")}
        assert sum(v or 0 for v in review["行政诉讼"]) == sum(r["litigation"]["total"] or 0 for r in reports)
    # the canvas really has ink on it
    drawn = page.evaluate("""() => { const c = document.querySelector('#c-proactive canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++; return ink; }""")
    assert drawn > 1000


def test_comparison_table_sorts_and_filters(served, page):
    base, data = served
    page.goto(base + "compare-y2017.html")  # one year's reports
    column = page.get_by_role("button", name="主动公开政府信息（条）")
    cells = "#report-table tbody tr td:nth-child(5)"
    column.click()
    values = page.eval_on_selector_all(cells, "tds => tds.map(td => td.dataset.value)")
    stated = [int(v) for v in values if v]
    assert stated == sorted(stated) and values[len(stated) :] == [""] * (len(values) - len(stated))  # 未载明 last
    column.click()
    values = page.eval_on_selector_all(cells, "tds => tds.map(td => td.dataset.value)")
    stated = [int(v) for v in values if v]
    assert stated == sorted(stated, reverse=True) and values[0] == str(max(stated))
    page.select_option("select[name=template]", "gb2019")
    visible = page.locator("#report-table tbody tr:visible")
    of_2017 = [r for r in data["reports"] if r["year"] == 2017]
    assert visible.count() == sum(r["template"] == "gb2019" for r in of_2017)
    page.select_option("select[name=template]", "")
    page.select_option("select[name=flagged]", "yes")
    assert page.locator("#report-table tbody tr:visible").count() == sum(bool(r["flags"]) for r in of_2017)


def test_clicking_a_figure_reaches_its_source_sentence(served, page):
    base, data = served
    report = next(r for r in data["reports"] if r["source"] == "001_8fa4d51aba8f0a18.txt")
    page.goto(base + f"report/{report['id']}.html")
    assert page.locator("script[src$='echarts.min.js']").count() == 0  # its charts are bars the page draws itself
    page.locator("table.figures a[href='#f-proactive-total']").click()
    assert page.evaluate("location.hash") == "#f-proactive-total"
    target = page.locator("mark#f-proactive-total")
    assert target.text_content() == "88"
    box = target.bounding_box()
    assert target.is_visible() and box and box["y"] >= 0 and box["y"] + box["height"] <= 900  # in view
    sentence = page.locator(f"#L{report['evidence']['proactive.total']['line']}").text_content()
    assert "主动公开政府信息总数88条" in sentence
    # the multi-year table the report prints is drawn as a trend line
    assert page.locator("#c-years0 .bar-value").all_inner_texts() == ["40", "6", "64", "45", "88"]
    assert page.locator("#c-years0 .bar-label").all_inner_texts() == ["2013年", "2014年", "2015年", "2016年", "2017年"]


def test_agency_page_draws_a_trend_over_its_years(served, page):
    base, data = served
    agency = next(a for a in {r["agency"] for r in data["reports"]} if a and sum(r["agency"] == a for r in data["reports"]) == 3)
    page.goto(base + "agencies.html")
    page.get_by_role("link", name=agency).click()
    page.wait_for_function("() => document.querySelectorAll('.chart.drawn').length > 0")
    trend = {s["name"]: s["data"] for s in _chart_series(page, "c-trend1")}  # one chart a figure
    mine = sorted((r for r in data["reports"] if r["agency"] == agency), key=lambda r: r["year"])
    assert trend["本年新收公开申请（件）"] == [r["requests"]["received"] for r in mine]


def test_every_page_kind_loads_without_errors(served, browser):
    base, data = served
    ARTIFACTS.mkdir(exist_ok=True)
    report = next(r for r in data["reports"] if r["template"] == "gb2019")
    pages = {"home": "index.html", "agency": None, "report": f"report/{report['id']}.html", "compare": "compare.html"}
    for width in (1280, 375, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", functools.partial(_record_error, errors))
        page.goto(base + "agencies.html")
        pages["agency"] = page.locator("table th a").first.get_attribute("href")
        for name, path in pages.items():
            page.goto(base + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), (
                f"{name} scrolls sideways at {width}px"
            )
        for path in ("flags.html", "data.html", "metric/requests-received.html", "agencies.html", "does-not-exist.html"):
            page.goto(base + path)
        assert errors == [] or all("404" in e for e in errors), errors
        context.close()


def test_keyboard_reaches_the_sort_buttons(served, page):
    base, _ = served
    page.goto(base + "compare.html")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.sort") is not None:
            break
    page.keyboard.press("Enter")
    assert page.locator("#report-table thead button[aria-sort]").count() == 1


def test_full_text_search_finds_a_phrase_in_one_report(served, page):
    base, data = served
    page.goto(base + "search.html")
    results = page.locator("#search-results li")
    page.locator("#q").fill("兴隆街道")  # only seed 001 is by this street office
    results.first.wait_for(timeout=10000)
    expect(page.locator("#search-status")).to_have_text(re.compile("^找到"))
    assert results.count() == 1
    assert "临江市兴隆街道办事处" in results.first.inner_text()
    assert page.locator("#search-results mark").first.inner_text() == "兴隆街道"
    report = next(r for r in data["reports"] if r["source"] == "001_8fa4d51aba8f0a18.txt")
    assert results.first.locator("a").get_attribute("href") == f"report/{report['id']}.html?q={quote('兴隆街道')}"
    page.screenshot(path=str(ARTIFACTS / "search-1280.png"), full_page=True)
    results.first.locator("a").click()
    page.wait_for_url(re.compile(rf"/report/{report['id']}\.html\?q="))
    expect(page.locator("mark.hit").first).to_have_text("兴隆街道")  # the first hit, marked


def test_search_finds_a_phrase_inside_a_word_and_reports_none(served, page):
    base, _ = served
    page.goto(base + "search.html?q=夹心路")  # part of a place name no word list holds
    expect(page.locator("#search-status")).to_have_text(re.compile("^找到"))
    assert "夹心路" in page.locator("#search-results").inner_text()
    page.locator("#q").fill("没有这个短语吧")
    expect(page.locator("#search-status")).to_have_text(re.compile("^没有找到"))
    assert page.locator("#search-results li").count() == 0
    page.locator("#q").fill("兴")
    expect(page.locator("#search-status")).to_have_text("请至少输入两个字")


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory):
    """The seeds' site with lists cut into pages of two rows, served under the sub-path."""
    from unittest import mock

    import nianbao.render
    from nianbao.build.pipeline import build
    from nianbao.config import Config

    www = tmp_path_factory.mktemp("paged")
    with mock.patch.object(nianbao.render, "PAGE_ROWS", 2):
        build(Config(ROOT / "content", www / SUB_PATH, cache=None, jobs=1))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/", www / SUB_PATH
    server.shutdown()


def test_long_lists_are_paged_and_sorting_brings_in_every_page(paged_site, page):
    base, output = paged_site
    names = ["compare-2.html", "compare-undated.html", "compare.html"]  # the four of 2017 on two pages, one of no year
    assert sorted(p.name for p in output.glob("compare*.html")) == names
    page.goto(base + "compare-2.html")
    rows = page.locator("#report-table tbody tr")
    assert rows.count() == 2 and page.locator("nav.pager [aria-current=page]").first.inner_text() == "2"
    with page.expect_navigation():  # waits for the load event: the page's script is set up
        page.locator("nav.pager a", has_text="1").first.click()
    assert rows.count() == 2 and page.url.endswith("/compare.html")
    page.locator("#report-table thead button", has_text="主动公开").click()
    expect(page.locator("[data-all-note]")).to_have_text(re.compile("已载入全部"))
    expect(rows).to_have_count(4)  # both pages' rows, sorted together
    values = rows.locator("td:nth-child(5)").evaluate_all("tds => tds.map(td => td.dataset.value)")
    stated = [int(v) for v in values if v]
    assert stated == sorted(stated) and values[len(stated) :] == [""] * (len(values) - len(stated))
    expect(page.locator("nav.pager").first).to_be_hidden()
    page.goto(base + "compare.html")
    page.locator("select[name=flagged]").select_option("yes")
    expect(page.locator("form.filters output")).to_have_text(re.compile(r"/ 4 份"))
    flagged = page.locator("#report-table tbody tr:not([hidden])")
    reports = json.loads((output / "data/reports.json").read_text())["reports"]
    assert flagged.count() == sum(1 for r in reports if r["flags"] and r["year"] == 2017)
    page.goto(base + "metric/proactive-total-2.html")
    totals = sorted((r["proactive"]["total"] for r in reports if r["year"] == 2017), reverse=True)
    third = 1 + sum(v > totals[2] for v in totals)  # ranks go on from page 1; equal values share one
    assert page.locator("#report-table tbody tr td").first.inner_text() == str(third)


def _hover_every_chart(page) -> dict[str, str]:
    """Move the mouse across every chart of the page (drawn ones and the page's own bars): each drawn
    chart's tooltip text, by chart id (empty where no tooltip showed)."""
    page.wait_for_function(
        "() => document.querySelectorAll('.chart.drawn').length === document.querySelectorAll('.chart[data-option]').length"
    )
    shown = {}
    for box in page.locator(".chart-box").all():
        box.scroll_into_view_if_needed()
        drawn = box.locator(".chart.drawn")
        target = drawn if drawn.count() else box
        rect = target.bounding_box()
        texts = []
        for fx, fy in ((0.5, 0.5), (0.3, 0.4), (0.7, 0.6), (0.6, 0.3), (0.4, 0.75)):
            page.mouse.move(rect["x"] + rect["width"] * fx, rect["y"] + rect["height"] * fy)
            page.wait_for_timeout(120)
            if drawn.count():
                tip = box.locator(".chart-tip")
                if tip.count() and tip.first.is_visible():
                    texts.append(tip.first.inner_text())
        if drawn.count():
            shown[drawn.get_attribute("id")] = " | ".join(texts)
        page.mouse.move(0, 0)
    return shown


def test_chart_tooltips_show_under_the_sites_csp(served, browser):
    """Issue 22 item 11: hovering a chart logged "Applying inline style violates … style-src 'self'" (ECharts'
    tooltip markup carries style attributes). Every chart of the home page, an agency page with a trend and a
    report page is hovered: tooltips show, with the report's full name, and nothing is logged; the CSP still
    forbids inline scripts and inline styles."""
    base, data = served
    agency = next(a for a in {r["agency"] for r in data["reports"]} if a and sum(r["agency"] == a for r in data["reports"]) == 3)
    report = max(data["reports"], key=lambda r: len(r["requests"]["outcomes"] or {}) + (r["requests"]["received"] or 0))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    logged: list[str] = []
    page.on("console", lambda m: logged.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: logged.append(str(e)))
    page.goto(base + "agencies.html")
    agency_path = page.get_by_role("link", name=agency).first.get_attribute("href")
    tips: dict[str, dict[str, str]] = {}
    for path in ("index.html", agency_path, f"report/{report['id']}.html"):
        page.goto(base + path)
        csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        directives = dict((d.split(" ", 1) + [""])[:2] for d in (part.strip() for part in csp.split(";")) if d)
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, csp
        assert directives["style-src"] == "'self'" and directives["script-src"].startswith("'self'"), csp
        tips[path] = _hover_every_chart(page)
        assert page.locator(".chart-box").count() > 0, f"{path} has no chart to hover"
    context.close()
    assert logged == [], logged
    assert len(tips["index.html"]) >= 2 and len(tips[agency_path]) >= 2, tips
    for path, shown in tips.items():
        for chart_id, text in shown.items():
            assert text, f"no tooltip showed on {path} #{chart_id}"
    home = " ".join(tips["index.html"].values())
    assert any(r["agency"] and r["agency"] in home for r in data["reports"]), home  # the full name, not the axis's short one
    trend = " ".join(tips[agency_path].values())
    assert re.search(r"20\d\d", trend), trend


def test_a_tooltip_stays_on_a_phones_screen(served, browser):
    """At 375 px a tooltip placed beside the pointer was cut by the screen's left edge: it is kept in its chart."""
    base, data = served
    agency = next(a for a in {r["agency"] for r in data["reports"]} if a and sum(r["agency"] == a for r in data["reports"]) == 3)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(base + "agencies.html")
    page.goto(base + page.get_by_role("link", name=agency).first.get_attribute("href"))
    page.wait_for_function("() => document.querySelectorAll('.chart.drawn').length > 0")
    chart = page.locator(".chart.drawn").first
    chart.scroll_into_view_if_needed()
    for fx in (0.2, 0.5, 0.9):
        rect = chart.bounding_box()
        page.mouse.move(rect["x"] + rect["width"] * fx, rect["y"] + rect["height"] * 0.6)
        page.wait_for_timeout(200)
        tip = page.locator(".chart-tip").first
        assert tip.is_visible()
        box = tip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (fx, box)
    page.screenshot(path=str(ARTIFACTS / "agency-tooltip-375.png"))
    context.close()


def test_a_table_longer_than_its_box_says_so(served, browser):
    """A list taller than its scrolling box (85% of the window) showed its first rows with the footer right below,
    as if complete: a hint above it says it scrolls, and how many rows it has; a short one has no hint."""
    base, _ = served
    context = browser.new_context(viewport={"width": 1280, "height": 320})
    page = context.new_page()
    page.goto(base + "agencies.html")
    hint = page.locator(".table-wrap").first.locator("xpath=preceding-sibling::p[1]")
    rows = page.locator(".table-wrap table tbody tr").count()
    expect(hint).to_have_text(f"表格较长：在框内上下滚动查看全部 {rows} 行 ↓")
    page.set_viewport_size({"width": 1280, "height": 2000})
    page.goto(base + "agencies.html")
    assert not page.locator("p.scroll-hint:visible").count()
    context.close()

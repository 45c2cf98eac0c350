"""The review page in headless Chromium (Debian's, driven by Playwright): it lists the seeds' flagged figures,
a click lands on the figure's evidence, and the YAML copied from it, saved beside the report with the right
value, takes the entry off the page after a rebuild. Screenshots go to tests/artifacts/."""

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from nianbao.build.pipeline import build
from nianbao.config import Config

ARTIFACTS = Path(__file__).parent / "artifacts"
ROOT = Path(__file__).resolve().parent.parent


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """(content folder, a function that builds it, the served site's URL)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output = tmp_path / "out"
    rebuild = functools.partial(build, Config(content, output, cache=tmp_path / "cache", jobs=1))
    rebuild()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield content, rebuild, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert errors == []
    context.close()


def test_the_review_page_lists_the_seeds_flags_lands_on_the_evidence_and_its_yaml_takes_the_entry_off(site, page):
    content, rebuild, url = site
    page.goto(url + "review.html")
    items = page.locator("li.review-item")
    expect(items).to_have_count(8)
    assert [items.nth(i).get_attribute("data-key") for i in range(4)] == ["agency", "year", "published", "proactive.total"]
    entry = page.locator('li.review-item[data-report="001-8fa4d51aba8f0a18"][data-key="proactive.total"]')
    expect(entry.locator(".review-reason")).to_have_text(
        "各公开渠道条数之和110与主动公开总数88不符（同一信息可能经多个渠道发布）"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-1280.png"), full_page=True)

    entry.locator("a.review-evidence").click()  # lands on the line that states the figure
    page.wait_for_url("**/report/001-8fa4d51aba8f0a18.html#L11")
    target = page.locator(":target")
    expect(target).to_have_attribute("id", "L11")
    expect(target).to_contain_text("88")
    expect(target).to_be_in_viewport()
    expect(page.locator("table.figures tr", has_text="主动公开政府信息").locator(".prov")).to_have_text("正文")

    page.go_back()
    page.bring_to_front()  # the clipboard is read and written only by the focused page (a busy machine may have moved focus)
    entry.locator("button.copy").click()
    expect(entry.locator("button.copy")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == entry.locator("code").text_content()
    assert "  proactive.total: {value: 88, reason: 核对原文}" in copied
    fixed = copied.replace("value: 88, reason: 核对原文", "value: 110, reason: 原文总数少计了政务微信")  # as a person would
    (content / "001_8fa4d51aba8f0a18.txt.yaml").write_text(fixed, encoding="utf-8")
    rebuild()

    page.goto(url + "review.html")
    expect(page.locator("li.review-item")).to_have_count(7)
    expect(page.locator('li.review-item[data-report="001-8fa4d51aba8f0a18"]')).to_have_count(0)
    page.goto(url + "report/001-8fa4d51aba8f0a18.html")
    corrected = page.locator("table.figures tr", has_text="主动公开政府信息").first
    expect(corrected.locator("td.n")).to_have_text("110")
    expect(corrected.locator(".prov")).to_have_text("人工校正：原文总数少计了政务微信（网站原读作 88）")
    page.screenshot(path=str(ARTIFACTS / "review-report-corrected-1280.png"), full_page=False)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(url + "review.html")
    page.screenshot(path=str(ARTIFACTS / "review-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the YAML scrolls in its box, not the page

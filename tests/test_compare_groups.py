"""The compare table's grouped views (issue 20 item 6): 主动公开 / 依申请与办理结果 / 复议诉讼 / 收费, each a link that
works without script (CSS :target) and shows the agency, the year, its group's columns and the flags, at 1280 px as a
table and at 375 px as cards; the rows carry nothing for it. Screenshots go to tests/artifacts/."""

from pathlib import Path

import pytest
from lxml import html as lxml_html

from nianbao.render.labels import COLUMN_GROUPS, METRICS

ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWS = {"all": ["机关", "年度", "地区", "类型"] + [f"{n}（{u}）" for n, u in METRICS.values()] + ["提示"]} | {
    slug: ["机关", "年度"] + [f"{METRICS[k][0]}（{METRICS[k][1]}）" for k in keys] + ["提示"]
    for slug, (_, keys) in COLUMN_GROUPS.items()
}
_SHOWN = "(sel) => [...document.querySelectorAll(sel)].filter(c => c.getClientRects().length).map(c => c.innerText.trim())"


def test_the_views_are_links_to_anchors_before_the_table(site):
    output, _ = site
    tree = lxml_html.fromstring((output / "compare.html").read_bytes())
    nav = tree.xpath("//nav[@class='col-groups']")[0]
    assert [(a.text, a.get("href")) for a in nav.xpath("a")] == [("全部列", "#cols-all")] + [
        (name, f"#cols-{slug}") for slug, (name, _) in COLUMN_GROUPS.items()
    ]
    wrap = tree.xpath("//div[@class='table-wrap'][table[@id='report-table']]")[0]
    before = [e.get("id") for e in wrap.itersiblings(preceding=True) if e.get("class") == "col-view"]
    assert sorted(before) == sorted(a.get("href")[1:] for a in nav.xpath("a"))  # style.css: #cols-…:target ~ .table-wrap
    headers = [th.text_content().strip() for th in tree.xpath("//table[@id='report-table']/thead//th")]
    assert headers == VIEWS["all"]
    row = tree.xpath("//table[@id='report-table']/tbody/tr")[0]
    assert not row.xpath(".//@class[contains(., 'col')]")  # the rows are as light as before: no per-cell marks
    region = next((output / "region").glob("*.html")).read_text(encoding="utf-8")
    assert "col-groups" not in region  # the other lists of reports have no views


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_each_view_shows_its_groups_columns(site, browser, script):
    output, _ = site
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=script)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto((output / "compare.html").as_uri())
        for slug, expected in VIEWS.items():
            if slug != "all":
                page.get_by_role("link", name=COLUMN_GROUPS[slug][0], exact=True).click()
            assert page.evaluate(_SHOWN, "#report-table thead th") == expected, (slug, width)
            cells = page.evaluate(_SHOWN, "#report-table tbody tr:first-child > *")
            assert len(cells) == len(expected), (slug, width, cells)
            if width == 375:  # a card: its labels are its shown columns' headers
                labels = page.evaluate("""() => [...document.querySelectorAll('#report-table tbody tr:first-child td')]
                    .filter(c => c.getClientRects().length).map(c => getComputedStyle(c, '::before').content)""")
                assert labels == [f'"{h}"' for h in expected[1:]], (slug, labels)
            current = page.locator(".col-groups a", has_text=COLUMN_GROUPS[slug][0] if slug != "all" else "全部列")
            assert current.evaluate("a => getComputedStyle(a).fontWeight") == "700"
            if script:
                assert current.get_attribute("aria-current") == "true"
                years = page.locator("nav.years a").first.get_attribute("href")
                assert years.endswith("" if slug == "all" else f"#cols-{slug}")  # another year keeps the view
            page.get_by_role("link", name="全部列").click()
        if script:  # the year of the seeds (five reports), in a view chosen on another year's page
            page.get_by_role("link", name="依申请与办理结果").click()
            page.get_by_role("link", name="2017年").click()
            page.wait_for_load_state("load")
            assert page.url.endswith("#cols-requests") and page.locator("#report-table tbody tr").count() == 5
            assert page.evaluate(_SHOWN, "#report-table thead th") == VIEWS["requests"]
            page.screenshot(path=str(ARTIFACTS / f"compare-groups-{width}.png"), full_page=True)
        assert errors == [], errors
        context.close()

"""A build of 300 generated reports of every kind and layout, in a province's folders, gives back the
generator's known values and the regions of their folders."""

from helpers import lookup
from nianbao.build.pipeline import build
from nianbao.config import Config
from nianbao.export import report_dict
from tools.corpus import LAYOUTS, generate


def test_three_hundred_generated_reports_come_back_with_their_values(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    expected = {}
    kinds = ("gb2021", "gb2019", "narrative")
    for seed in range(300):
        g = generate(1000 + seed, kinds[seed % 3], LAYOUTS[seed % len(LAYOUTS)])
        name = f"{g.folder}/{seed:03d}-{g.name}.txt"
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(g.text, encoding="utf-8")
        province, city, county = g.folder.split("/")
        expected[name] = g.expected | {"region.province": province, "region.city": city, "region.county": county}
    result = build(Config(content, tmp_path / "out", cache=None, jobs=2))
    assert len(result.reports) == 300 and not [p for p in result.problems if p.stage != "assets"]
    wrong = {}
    for report in result.reports:
        data = report_dict(report)
        misses = {k: (v, lookup(data, k)) for k, v in expected[report.source].items() if lookup(data, k) != v}
        if misses:
            wrong[report.source] = misses
    assert not wrong, wrong
    assert len(list((tmp_path / "out" / "report").glob("*.html"))) == 300
    titles = {  # "浙江省 2010年": a region's page is one year's
        p.read_text(encoding="utf-8").split("<h1>", 1)[1].split(" ", 1)[0] for p in (tmp_path / "out/region").glob("*.html")
    }
    assert {"浙江省", "江苏省", "广东省", "江苏省南京市鼓楼区", "江苏省徐州市鼓楼区"} <= titles  # one name, two places

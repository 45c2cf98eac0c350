"""One office, one key: its name forms and years meet on one agency page, by the parser's agency_id or by
the user's agencies.yaml; names that only look alike are never merged silently."""

import json
from pathlib import Path

import pytest

from nianbao.build.pipeline import build
from nianbao.config import PROJECT, Config

SEED = PROJECT / "content" / "000_ec54cc23732cb7e6.txt"


def _build(content: Path, out: Path):
    return build(Config(content, out, cache=None, jobs=1))


def _reports(out: Path) -> dict[str, dict]:
    data = json.loads((out / "data" / "reports.json").read_text(encoding="utf-8"))
    return {r["source"]: r for r in data["reports"]}


def _guoju_2018() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text.replace("2017年度郭巨街道", "2018年度北仑区人民政府郭巨街道办事处", 1).replace("2017年", "2018年")


def test_two_name_forms_of_one_office_share_its_key_region_and_page(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "guoju-2017.txt").write_bytes(SEED.read_bytes())
    (content / "guoju-2018.txt").write_text(_guoju_2018(), encoding="utf-8")
    _build(content, tmp_path / "out")
    a, b = _reports(tmp_path / "out")["guoju-2017.txt"], _reports(tmp_path / "out")["guoju-2018.txt"]
    assert (a["agency"], b["agency"]) == ("郭巨街道", "北仑区人民政府郭巨街道办事处")
    assert a["agency_id"] == b["agency_id"] == "330206/郭巨街道"
    assert b["region"] == {"province": "浙江省", "city": "宁波市", "county": "北仑区", "code": "330206"}
    pages = list((tmp_path / "out" / "agency").glob("*.html"))
    assert len([p for p in pages if "郭巨" in p.read_text(encoding="utf-8")]) == 1


def test_names_that_only_look_alike_stay_apart(tmp_path):
    content = tmp_path / "content"
    for county in ("北仑区", "鄞州区"):
        folder = content / "浙江省" / "宁波市" / county
        folder.mkdir(parents=True)
        (folder / "dongfang.txt").write_text(SEED.read_text(encoding="utf-8").replace("郭巨街道", "东方街道"), encoding="utf-8")
    _build(content, tmp_path / "out")
    ids = {r["agency_id"] for r in _reports(tmp_path / "out").values()}
    assert len(ids) == 2


def test_agencies_yaml_merges_what_the_user_lists(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (content / "a.txt").write_text(text.replace("郭巨街道", "石门街道").replace("北仑区", "某区"), encoding="utf-8")
    other = text.replace("郭巨街道", "石门镇").replace("北仑区", "某区").replace("2017年", "2018年")  # renamed since
    (content / "b.txt").write_text(other, encoding="utf-8")
    result = _build(content, tmp_path / "out")
    assert len({r["agency_id"] for r in _reports(tmp_path / "out").values()}) == 2  # not merged by guess
    (content / "agencies.yaml").write_text("- [石门街道, 石门镇]\n", encoding="utf-8")
    result = _build(content, tmp_path / "out2")
    assert not [p for p in result.problems if p.source == "agencies.yaml"]
    reports = _reports(tmp_path / "out2")
    assert {r["agency_id"] for r in reports.values()} == {"石门街道"}


def test_a_bad_agencies_yaml_is_named_and_the_build_goes_on(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_bytes(SEED.read_bytes())
    (content / "agencies.yaml").write_text("- [只有一个名字]\n- : [\n", encoding="utf-8")
    result = _build(content, tmp_path / "out")
    assert any(p.source == "agencies.yaml" for p in result.problems)
    assert len(_reports(tmp_path / "out")) == 1


def test_keys_keep_what_the_code_does_not_say():
    from nianbao.model import Region
    from nianbao.parse.region import agency_key

    # 高平市's code is not certain (renumbered once): the key names it, so two offices of 山西 stay apart
    assert agency_key("高平市人民政府办公室", Region("山西省", None, "高平市", "140000"), "a.txt") == "140000-高平市/办公室"
    assert agency_key("阳城县人民政府办公室", Region("山西省", None, "阳城县", "140000"), "b.txt") == "140000-阳城县/办公室"
    # a name with no place in a report placed nowhere: of which district? keyed to its own report
    assert agency_key("区统计局", Region(), "x/2023.txt") != agency_key("区统计局", Region(), "y/2023.txt")


def test_a_folders_readme_is_not_a_report(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_bytes(SEED.read_bytes())
    (content / "README.md").write_text("# 这些报告从哪里来\n\n2017年政府信息公开工作年度报告，共 1 份。\n", encoding="utf-8")
    result = _build(content, tmp_path / "out")
    assert [r.source for r in result.reports] == ["a.txt"] and result.problems == []


def test_reports_that_name_no_agency_are_never_one_agency(tmp_path: Path) -> None:
    """Two reports that name no agency (seed 003 and a copy of it for another year) get a page each, named by their
    files, and count as two agencies: nothing says they are one office."""
    content = tmp_path / "content"
    content.mkdir()
    seed = (PROJECT / "content" / "003_f928e1f66e0e8c3b.txt").read_text(encoding="utf-8")
    (content / "a.txt").write_text(seed, encoding="utf-8")
    (content / "b.txt").write_text(seed.replace("2022", "2021"), encoding="utf-8")
    result = build(Config(content, tmp_path / "out", cache=None, jobs=1))
    assert [r.agency for r in result.reports] == [None, None]
    pages = sorted((tmp_path / "out" / "agency").glob("*.html"))
    assert len(pages) == 2
    names = sorted(p.read_text(encoding="utf-8").split("<h1>", 1)[1].split("</h1>", 1)[0] for p in pages)
    assert names == ["（未载明机关：a.txt）", "（未载明机关：b.txt）"]


def test_a_county_level_city_folder_is_the_county(tmp_path: Path) -> None:
    """湖南省/衡阳市/耒阳市/: 耒阳市 ends as a city's name does but is a county-level city; the folders the user filed
    the report under say where it is, down to the county and its code."""
    shared = PROJECT.parent / "shared" / "corpus" / "real" / "r20_mashui_zhen_2019.txt"
    if not shared.exists():
        pytest.skip("../shared not here")
    folder = tmp_path / "content" / "湖南省" / "衡阳市" / "耒阳市"
    folder.mkdir(parents=True)
    (folder / shared.name).write_bytes(shared.read_bytes())
    result = build(Config(tmp_path / "content", tmp_path / "out", cache=None, jobs=1))
    region = result.reports[0].region
    assert (region.province, region.city, region.county, region.code) == ("湖南省", "衡阳市", "耒阳市", "430481")

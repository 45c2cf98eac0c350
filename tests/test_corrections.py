"""Corrections in a report's sidecar file (<report>.yaml): applied after parsing and before the checks, the
parsed value kept, surviving every kind of rebuild; each kind of bad correction named."""

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from helpers import site_files
from nianbao.build.pipeline import build
from nianbao.cli import main
from nianbao.config import Config
from nianbao.corrections import apply_corrections
from nianbao.model import SourceDoc
from nianbao.parse import parse_report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "content"
CHANNELS = "001_8fa4d51aba8f0a18.txt"  # channels sum to 110, its stated total is 88: a SUBTOTAL (info) flag
CATEGORIES = "000_ec54cc23732cb7e6.txt"  # categories sum to its total, 356
FIX = "corrections:\n  proactive.total: {value: 110, reason: 各渠道之和，原文总数有误}\n"


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    for name in (CHANNELS, CATEGORIES):
        shutil.copy(SEEDS / name, content / name)
    return content


def _reports(output: Path) -> dict[str, dict]:
    data = json.loads((output / "data/reports.json").read_text(encoding="utf-8"))
    return {r["source"]: r for r in data["reports"]}


def _csv(output: Path) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO((output / "data/reports.csv").read_text(encoding="utf-8-sig")))
    return {row["source"]: row for row in rows}


def _assert_corrected(output: Path) -> None:
    report = _reports(output)[CHANNELS]
    assert report["proactive"]["total"] == 110
    assert report["provenance"]["proactive.total"] == "corrected"
    assert report["corrections"] == [{"key": "proactive.total", "parsed": 88, "value": 110, "reason": "各渠道之和，原文总数有误"}]
    assert [f["code"] for f in report["flags"]] == []  # the channels now add up to the total
    row = _csv(output)[CHANNELS]
    assert row["proactive.total"] == "110"
    assert row["corrections"] == "proactive.total 88→110（各渠道之和，原文总数有误）"
    page = (output / f"report/{report['id']}.html").read_text(encoding="utf-8")
    assert "人工校正：各渠道之和，原文总数有误（网站原读作 88）" in page
    assert '<span class="card-value"><a class="src" href="#L11" title="跳到原文第11行">110</a>' in page
    flags_page = (output / "flags.html").read_text(encoding="utf-8")
    assert "由 88 改为 <strong>110</strong>，原因：各渠道之和，原文总数有误" in flags_page


def test_a_correction_changes_the_figure_its_page_the_data_and_the_flags(tmp_path):
    content = _content(tmp_path)
    before = build(Config(content, tmp_path / "before", cache=None, jobs=1))
    parsed = next(r for r in before.reports if r.source == CHANNELS)
    assert parsed.get("proactive.total") == 88 and [f.code for f in parsed.flags] == ["SUBTOTAL"]
    assert parsed.provenance["proactive.total"] == "prose"

    (content / f"{CHANNELS}.yaml").write_text(FIX, encoding="utf-8")
    build(Config(content, tmp_path / "after", cache=None, jobs=1))
    _assert_corrected(tmp_path / "after")
    other = _reports(tmp_path / "after")[CATEGORIES]
    assert other["corrections"] == [] and other["proactive"]["total"] == 356  # a sidecar is its own report's only


def test_a_correction_that_breaks_a_sum_raises_the_flag(tmp_path):
    content = _content(tmp_path)
    (content / f"{CATEGORIES}.yaml").write_text("corrections:\n  proactive.total: {value: 360, reason: 测试}\n", "utf-8")
    build(Config(content, tmp_path / "out", cache=None, jobs=1))
    flags = _reports(tmp_path / "out")[CATEGORIES]["flags"]
    assert {"code": "SUBTOTAL", "severity": "warning", "message": "主动公开分类数之和356与所述总数360不符"} in flags


def test_a_request_summary_and_its_table_total_are_corrected_together():
    text = (SEEDS / "003_f928e1f66e0e8c3b.txt").read_text(encoding="utf-8")
    report = parse_report(SourceDoc("003.txt", "0" * 64, "txt", text))
    assert report.get("requests.received") == 0 and report.get("requests.matrix.received.total") == 0
    fixed, flags = apply_corrections(report, {"requests.received": {"value": 4, "reason": "原表漏印"}})
    assert flags == []
    assert fixed.get("requests.received") == 4 and fixed.get("requests.matrix.received.total") == 4
    assert [(c.key, c.parsed, c.value) for c in fixed.corrections] == [
        ("requests.received", 0, 4),
        ("requests.matrix.received.total", 0, 4),
    ]
    assert fixed.provenance["requests.matrix.received.total"] == "corrected"
    assert report.get("requests.received") == 0  # the parsed report is not changed


def test_a_correction_survives_incremental_rebuilds_and_a_no_cache_build(tmp_path, monkeypatch):
    content = _content(tmp_path)
    output, cache = tmp_path / "out", tmp_path / "cache"
    config = Config(content, output, cache=cache, jobs=1)
    build(config)  # the parse cache holds both reports as parsed
    sidecar = content / f"{CHANNELS}.yaml"
    sidecar.write_text(FIX, encoding="utf-8")
    build(config)  # only the sidecar is new
    _assert_corrected(output)

    assert build(config).up_to_date  # nothing changed: nothing is parsed or written
    other = content / CATEGORIES
    other.write_text(other.read_text(encoding="utf-8") + "\n附：本报告另有电子版。\n", encoding="utf-8")
    result = build(config)  # the other report edited: the corrected one comes from the last build's record
    assert not result.up_to_date
    _assert_corrected(output)
    os.utime(content / CHANNELS)  # its time changed, its content not: read again, parsed from the cache
    build(config)
    _assert_corrected(output)

    monkeypatch.chdir(tmp_path)  # the command line's .cache/ is beside where it runs
    assert main(["--content", str(content), "--output", str(tmp_path / "nocache"), "--no-cache", "-q"]) == 0
    _assert_corrected(tmp_path / "nocache")
    fresh = site_files(tmp_path / "nocache")
    assert {k: v for k, v in site_files(output).items() if k != ".nianbao-manifest.json"} == {
        k: v for k, v in fresh.items() if k != ".nianbao-manifest.json"
    }


def test_changing_or_removing_the_correction_applies_again(tmp_path):
    content = _content(tmp_path)
    config = Config(content, tmp_path / "out", cache=tmp_path / "cache", jobs=1)
    sidecar = content / f"{CHANNELS}.yaml"
    sidecar.write_text(FIX, encoding="utf-8")
    build(config)
    sidecar.write_text(FIX.replace("110", "111"), encoding="utf-8")
    build(config)
    report = _reports(tmp_path / "out")[CHANNELS]
    assert report["proactive"]["total"] == 111 and report["corrections"][0]["parsed"] == 88
    sidecar.unlink()
    build(config)
    report = _reports(tmp_path / "out")[CHANNELS]
    assert report["proactive"]["total"] == 88 and report["corrections"] == []
    assert report["provenance"]["proactive.total"] == "prose"


SIDE = "旁注文件 001_8fa4d51aba8f0a18.txt.yaml 中的校正项 "
BAD = {
    "unknown key": (
        "proactive.totl: {value: 1, reason: 笔误}",
        f"{SIDE}proactive.totl：不是数据格式（SCHEMA.md）中的数字键，已忽略；键的写法如 requests.received、proactive.total",
    ),
    "metadata under corrections": (
        "agency: {value: 某局, reason: 笔误}",
        f"{SIDE}agency：agency 是元数据，不是数字：请写在旁注文件顶层（agency: …），不放在 corrections 下；已忽略",
    ),
    "wrong type": (
        "requests.received: {value: 十二, reason: 原表}",
        f"{SIDE}requests.received：值 '十二' 类型不对：应为不小于 0 的整数（件数、条数），已忽略",
    ),
    "negative count": (
        "requests.received: {value: -3, reason: 原表}",
        f"{SIDE}requests.received：值 -3 类型不对：应为不小于 0 的整数（件数、条数），已忽略",
    ),
    "channels not a mapping": (
        "proactive.channels: {value: 5, reason: 原表}",
        f"{SIDE}proactive.channels：值 5 类型不对：应为“名称: 条数”的键值对，已忽略",
    ),
    "no reason": (
        "proactive.total: {value: 90}",
        f"{SIDE}proactive.total：缺少校正原因（reason），已忽略；请写明为什么改",
    ),
    "bare value": (
        "proactive.total: 90",
        f"{SIDE}proactive.total：应写成 {{value: 数值, reason: 原因}}，已忽略",
    ),
    "parsed value equals the correction": (
        "proactive.total: {value: 88, reason: 原表}",
        f"{SIDE}proactive.total：报告现在读出的值已是 88，与校正值相同，这条校正可以删除",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_kind_of_bad_correction_is_named_and_the_build_goes_on(tmp_path, caplog, case):
    line, message = BAD[case]
    content = _content(tmp_path)
    good = "  fees.collected_yuan: {value: 5, reason: 另有收费}\n"
    (content / f"{CHANNELS}.yaml").write_text(f"corrections:\n  {line}\n{good}", encoding="utf-8")
    result = build(Config(content, tmp_path / "out", cache=None, jobs=1))
    report = _reports(tmp_path / "out")[CHANNELS]
    assert {"code": "CORRECTION", "severity": "warning", "message": message} in report["flags"]
    assert message in caplog.messages  # said on stderr too
    assert [c["key"] for c in report["corrections"]] == ["fees.collected_yuan"]  # the good one still applies
    assert report["proactive"]["total"] == 88 and result.problems == []
    assert len(result.reports) == 2


def test_bad_yaml_in_a_sidecar_is_a_named_problem_and_the_report_is_still_read(tmp_path):
    content = _content(tmp_path)
    (content / f"{CHANNELS}.yaml").write_text("corrections:\n  proactive.total: {value: 1, reason: [\n", encoding="utf-8")
    result = build(Config(content, tmp_path / "out", cache=None, jobs=1))
    assert [(p.source, p.message.split("：")[0]) for p in result.problems] == [
        ("001_8fa4d51aba8f0a18.txt.yaml", "旁注文件（YAML）第3行有误")
    ]
    assert _reports(tmp_path / "out")[CHANNELS]["proactive"]["total"] == 88


def test_a_sidecar_with_a_date_that_is_not_one_is_a_named_problem(tmp_path):
    content = _content(tmp_path)
    (content / f"{CHANNELS}.yaml").write_text(f"published: 2019-13-45\n{FIX}", encoding="utf-8")
    result = build(Config(content, tmp_path / "out", cache=None, jobs=1))
    assert [(p.source, p.message) for p in result.problems] == [
        ("001_8fa4d51aba8f0a18.txt.yaml", "旁注文件（YAML）：published 的值 2019-13-45 不是有效的日期，已忽略该项")
    ]
    assert len(result.reports) == 2


def test_corrections_that_are_not_a_mapping_are_named():
    report = parse_report(SourceDoc("a.txt", "0" * 64, "txt", (SEEDS / CHANNELS).read_text(encoding="utf-8")))
    fixed, flags = apply_corrections(report, ["proactive.total", 1])
    assert fixed is report
    assert [f.message for f in flags] == [
        "旁注文件 a.txt.yaml：corrections 应为“点分键: {value: 数值, reason: 原因}”的键值对，整段已忽略"
    ]


def test_a_sidecar_added_to_a_table_report_rebuilds_as_a_clean_build_would(tmp_path):
    content = _content(tmp_path)
    shutil.copy(SEEDS / "003_f928e1f66e0e8c3b.txt", content / "003.txt")
    config = Config(content, tmp_path / "inc", cache=tmp_path / "cache", jobs=1)
    build(config)
    (content / "003.txt.yaml").write_text(
        "corrections:\n  requests.matrix.granted.natural_person: {value: 2, reason: 原表该格模糊}\n", encoding="utf-8"
    )
    build(config)  # a cell only its own page shows: the flags page lists the correction, so all is made again
    build(Config(content, tmp_path / "clean", cache=None, jobs=1))
    inc, clean = site_files(tmp_path / "inc"), site_files(tmp_path / "clean")
    assert [name for name in inc.keys() | clean.keys() if inc.get(name) != clean.get(name)] == []
    report = _reports(tmp_path / "inc")["003.txt"]
    assert report["requests"]["matrix"]["granted"]["natural_person"] == 2
    assert report["corrections"][0]["parsed"] == 0
    assert "SUBTOTAL" in [f["code"] for f in report["flags"]]  # the row's total no longer adds up
    page = (tmp_path / "inc" / f"report/{report['id']}.html").read_text(encoding="utf-8")
    assert '<sup class="prov prov-corrected" title="人工校正：原表该格模糊">人工校正</sup>' in page

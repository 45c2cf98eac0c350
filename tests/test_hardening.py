"""Issue 22: hostile content, metadata, caches, output folders, concurrent and killed builds, the preview server.
Each test reproduces one finding; README's 坏输入与安全 section promises what these check."""

import csv
import http.client
import io
import json
import os
import pickle
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import generated_content, site_files
from nianbao.build.pipeline import Builder, build
from nianbao.config import COMPILED, PROJECT, Config
from nianbao.export import inert
from nianbao.load import load_source
from nianbao.write import MANIFEST, STAGED, UnsafeOutput, check_output
from tools.corpus import generate

SEEDS = PROJECT / "content"
GOOD = "000_ec54cc23732cb7e6.txt"
OUTSIDE = "链接指向内容目录之外，已跳过"


def _config(content: Path, out: Path, **kw: object) -> Config:
    return Config(content, out, **{"cache": None, "jobs": 1} | kw)  # type: ignore[arg-type]


def _one_good(content: Path) -> Path:
    content.mkdir(parents=True, exist_ok=True)
    (content / GOOD).write_bytes((SEEDS / GOOD).read_bytes())
    return content


def _messages(result) -> dict[str, str]:
    return {p.source: p.message for p in result.problems if p.stage != "assets"}


# 1. links


def test_a_link_out_of_the_content_folder_is_named_and_never_read(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.txt").write_text("2019年度泄密局政府信息公开工作年度报告\nTOP-SECRET root:x:0:0\n", encoding="utf-8")
    content = _one_good(tmp_path / "content")
    (content / "passwd.txt").symlink_to(secret / "passwd.txt")
    (content / "etc").symlink_to(secret)
    (content / "x.txt.yaml").symlink_to(secret / "passwd.txt")  # a sidecar's link out is not read either
    (content / "x.txt").write_text(generate(3, "narrative").text, encoding="utf-8")
    result = build(_config(content, tmp_path / "out"))
    assert sorted(r.source for r in result.reports) == [GOOD, "x.txt"]
    assert len([p for p in result.problems if p.stage != "assets"]) == 3  # each named once
    messages = _messages(result)
    assert OUTSIDE in messages["passwd.txt"] and OUTSIDE in messages["etc"] and OUTSIDE in messages["x.txt.yaml"]
    assert not any(b"TOP-SECRET" in data for data in site_files(tmp_path / "out").values())


def test_links_inside_the_content_folder_are_followed_once(tmp_path):
    content = _one_good(tmp_path / "content")
    (content / "sub").mkdir()
    (content / "sub" / "a.txt").write_text(generate(4, "narrative").text, encoding="utf-8")
    (content / "same.txt").symlink_to(content / GOOD)  # the same file twice: read once, under its own name
    (content / "again").symlink_to(content / "sub")  # the same folder twice
    (content / "sub" / "loop").symlink_to(content)  # a loop
    (content / ".hidden").mkdir()
    (content / ".hidden" / "b.txt").write_text(generate(5, "narrative").text, encoding="utf-8")
    (content / "b.txt").symlink_to(content / ".hidden" / "b.txt")  # a file only a link shows: read through it
    result = build(_config(content, tmp_path / "out"))
    assert sorted(r.source for r in result.reports) == [GOOD, "b.txt", "sub/a.txt"]
    assert _messages(result) == {}


def test_a_file_name_that_is_not_utf8_is_named_and_the_rest_builds(tmp_path):
    content = _one_good(tmp_path / "content")
    with open(os.path.join(os.fsencode(content), b"bad\xffname.txt"), "wb") as f:
        f.write((SEEDS / GOOD).read_bytes())
    result = build(_config(content, tmp_path / "out"))
    assert [r.source for r in result.reports] == [GOOD]
    assert "文件名不是有效的 UTF-8 编码" in _messages(result)["bad\ufffdname.txt"]


# 2. front matter and the sidecar


def _md(front: str) -> str:
    return f"---\n{front}\n---\n2018年度测试局政府信息公开工作年度报告\n2018年主动公开政府信息共计12条。\n"


BAD_FRONT = {
    "published: 2019-13-45": "published 的值 2019-13-45 不是有效的日期",
    "published: 2019-02-30": "published 的值 2019-02-30 不是有效的日期",
    "published: [2019]": "published 的值 [2019] 应为日期",
    "region: {province: null, city: 42}": "region 的值 {'province': None, 'city': 42} 中 city 应为地名（文字），却是数字",
    "region: {state: 浙江}": "含有未知的键 state",
    "region: 42": "region 的值 42 应为地区名称",
    "agency: true": "agency 的值 True 应为机关名称（文字），却是真假值",
    "agency: [a, b]": "应为机关名称（文字），却是列表",
    "agency: ''": 'agency 的值 "" 为空',
    "year: 二〇一九": "year 的值 二〇一九 应为四位数的年度",
    "year: 1850": "year 的值 1850 不在 2008–2099 年之间",
    "year: 2019.5": "year 的值 2019.5 应为四位数的年度（如 2019），却是数字",
    "year: true": "却是真假值",
    "title: 报告": "未知的键 title，已忽略",
    "- a\n- b": "应为键值对",
    "agency: [unclosed": "前置元数据（YAML）第",
    "published: !!timestamp 2019-13-45": "前置元数据（YAML）有误",
    "a: &x [1]\nb: *x": "不支持 YAML 别名",
}


@pytest.mark.parametrize("front", list(BAD_FRONT))
def test_bad_front_matter_is_a_named_problem_and_the_build_goes_on(tmp_path, front):
    content = _one_good(tmp_path / "content")
    (content / "bad.md").write_text(_md(front), encoding="utf-8")
    result = build(_config(content, tmp_path / "out"))
    reports = {r.source: r for r in result.reports}
    assert sorted(reports) == [GOOD, "bad.md"]  # the report is read, the value is not used
    assert BAD_FRONT[front] in _messages(result)["bad.md"]
    assert reports["bad.md"].agency in (None, "测试局") and reports["bad.md"].year == 2018
    assert reports["bad.md"].published is None


def test_good_front_matter_values_are_used(tmp_path):
    doc, problems = _load_text(tmp_path, _md("agency: 某局\nyear: '2019年'\npublished: 2020-01-31\nregion: {province: 浙江省}"))
    assert problems == []
    assert doc.meta == {
        "agency": "某局",
        "year": 2019,
        "published": "2020-01-31",
        "region": {"province": "浙江省", "city": None, "county": None},
    }


def _load_text(folder: Path, text: str):
    (folder / "r.md").write_text(text, encoding="utf-8")
    return load_source(folder / "r.md", folder)


def test_a_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doc, problems = _load_text(tmp_path, _md(bomb))
    assert doc is not None and doc.meta == {}
    assert [p.message for p in problems] == ["前置元数据（YAML）不支持 YAML 别名（*名称），请直接写出取值，已忽略"]
    doc, problems = _load_text(tmp_path, _md("agency: " + "x" * 70_000))
    assert "超过 64 KB" in problems[0].message


def test_the_sidecar_sets_metadata_for_any_format_and_wins_over_front_matter(tmp_path):
    content = _one_good(tmp_path / "content")
    (content / "003.txt").write_bytes((SEEDS / "003_f928e1f66e0e8c3b.txt").read_bytes())
    (content / "003.txt.yaml").write_text(
        "agency: 某某区交通运输局\nyear: 2019\nregion: {province: 浙江省, city: 宁波市}\n"
        "corrections:\n  requests.received: {value: 42, reason: 表格第一行丢失}\n",
        encoding="utf-8",
    )
    (content / "m.md").write_text(_md("agency: 前置局\nyear: 2017"), encoding="utf-8")
    (content / "m.md.yaml").write_text("agency: 旁注局\n", encoding="utf-8")
    (content / "gone.txt.yaml").write_text("agency: 无主局\n", encoding="utf-8")
    result = build(_config(content, tmp_path / "out"))
    reports = {r.source: r for r in result.reports}
    assert sorted(reports) == ["000_ec54cc23732cb7e6.txt", "003.txt", "m.md"]  # a sidecar is not a report
    assert (reports["003.txt"].agency, reports["003.txt"].year, reports["003.txt"].region.city) == (
        "某某区交通运输局",
        2019,
        "宁波市",
    )
    assert not {"MISSING_AGENCY", "MISSING_YEAR"} & {f.code for f in reports["003.txt"].flags}
    assert (reports["m.md"].agency, reports["m.md"].year) == ("旁注局", 2017)  # the sidecar wins where both say
    assert _messages(result) == {"gone.txt.yaml": "旁注文件对应的报告 gone.txt 不存在，已忽略"}  # corrections: no problem
    doc, _ = load_source(content / "003.txt", content)
    assert doc.meta["corrections"] == {"requests.received": {"value": 42, "reason": "表格第一行丢失"}}


def test_a_bad_sidecar_is_a_named_problem_and_the_report_still_builds(tmp_path):
    content = _one_good(tmp_path / "content")
    (content / f"{GOOD}.yaml").write_text("agency: [unclosed\n", encoding="utf-8")
    (content / "r.txt").write_text(generate(6, "narrative").text, encoding="utf-8")
    (content / "r.txt.yaml").write_text("year: 1900\ncolour: red\n", encoding="utf-8")
    result = build(_config(content, tmp_path / "out"))
    assert len(result.reports) == 2
    problems = sorted((p.source, p.message) for p in result.problems if p.stage != "assets")
    assert [source for source, _ in problems] == [f"{GOOD}.yaml", "r.txt.yaml", "r.txt.yaml"]
    assert problems[0][1].startswith("旁注文件（YAML）第") and "有误" in problems[0][1]
    assert problems[1][1] == "旁注文件（YAML）：year 的值 1900 不在 2008–2099 年之间，已忽略该项"
    assert problems[2][1] == "旁注文件（YAML）：未知的键 colour，已忽略；可用的键：agency、year、published、region、corrections"


def test_editing_the_sidecar_rebuilds_its_report(tmp_path):
    content = _one_good(tmp_path / "content")
    (content / "003.txt").write_bytes((SEEDS / "003_f928e1f66e0e8c3b.txt").read_bytes())
    config = _config(content, tmp_path / "out", cache=tmp_path / "cache")
    builder = Builder(config, keep_memo=True)  # as the preview server keeps one
    first = next(r for r in builder.build().reports if r.source == "003.txt")
    assert first.agency is None  # and the flag says where to name it
    assert any("可在报告旁的 003.txt.yaml（旁注文件，任何格式都可用）中写 agency: 机关名称" in f.message for f in first.flags)
    for agency, year in (("甲局", 2019), ("乙局", 2020)):
        (content / "003.txt.yaml").write_text(f"agency: {agency}\nyear: {year}\n", encoding="utf-8")
        for result in (builder.build(), build(config)):  # the preview's rebuild, and the command line's
            report = next(r for r in result.reports if r.source == "003.txt")
            assert (report.agency, report.year) == (agency, year)
    data = json.loads((tmp_path / "out/data/reports.json").read_text(encoding="utf-8"))
    assert next(r for r in data["reports"] if r["source"] == "003.txt")["agency"] == "乙局"


def test_a_bad_front_matter_is_named_by_every_build_not_only_the_first(tmp_path):
    content = _one_good(tmp_path / "content")
    (content / "bad.md").write_text(_md("published: 2019-02-30"), encoding="utf-8")
    builder = Builder(_config(content, tmp_path / "out", cache=tmp_path / "cache"), keep_memo=True)
    for _ in range(2):
        assert "不是有效的日期" in _messages(builder.build())["bad.md"]
    assert "不是有效的日期" in _messages(Builder(builder.config, keep_memo=True).build())["bad.md"]  # from the memo


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12) | st.dates().map(str),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_KEYS = st.sampled_from(["agency", "year", "published", "region", "corrections", "title"]) | st.text(max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=st.dictionaries(_KEYS, _VALUES, max_size=5), raw=st.text(max_size=60), name=st.binary(min_size=1, max_size=12))
def test_fuzzed_front_matter_and_file_names_never_stop_the_build(tmp_path_factory, meta, raw, name):
    import yaml

    base = tmp_path_factory.mktemp("fuzz")
    content = _one_good(base / "content")
    (content / "dumped.md").write_text(_md(yaml.safe_dump(meta, allow_unicode=True)), encoding="utf-8")
    (content / "raw.md").write_text(_md(raw), encoding="utf-8")
    (content / "raw.txt.yaml").write_text(raw, encoding="utf-8")
    (content / "raw.txt").write_text(generate(7, "narrative").text, encoding="utf-8")
    safe = name.replace(b"/", b"_").replace(b"\0", b"_").lstrip(b".") or b"x"
    with open(os.path.join(os.fsencode(content), safe + b".txt"), "wb") as f:
        f.write(generate(8, "narrative").text.encode("utf-8"))
    result = build(_config(content, base / "out"))
    sources = {r.source for r in result.reports}
    assert {GOOD, "dumped.md", "raw.md", "raw.txt"} <= sources
    good = next(r for r in result.reports if r.source == GOOD)
    assert good.agency and good.get("proactive.total") is not None
    data = json.loads((base / "out/data/reports.json").read_text(encoding="utf-8"))
    assert len(data["reports"]) == len(result.reports)


# 3. bombs


def test_a_docx_zip_bomb_is_named_and_not_unpacked(tmp_path):
    content = _one_good(tmp_path / "content")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1 << 20)
            for _ in range(70):  # 70 MB of XML from a few hundred KB
                part.write(chunk)
    (content / "bomb.docx").write_bytes(buffer.getvalue())
    assert len(buffer.getvalue()) < 1 << 20
    result = build(_config(content, tmp_path / "out"))
    assert [r.source for r in result.reports] == [GOOD]
    assert "解压后过大（XML 70 MB" in _messages(result)["bomb.docx"] and "压缩炸弹" in _messages(result)["bomb.docx"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_report_whose_parse_runs_too_long_is_named_and_the_rest_builds(tmp_path, monkeypatch, jobs):
    import nianbao.build.reading

    content = generated_content(tmp_path / "content", 20)  # with two jobs: parsed in forked workers
    slow = sorted(p.name for p in content.glob("*.txt"))[5]
    real = nianbao.build.reading.parse_report

    def endless(doc):
        while doc.source == slow:
            pass
        return real(doc)

    monkeypatch.setattr(nianbao.build.reading, "parse_report", endless)
    monkeypatch.setattr(nianbao.build.reading, "PARSE_SECONDS", 0.5)
    result = build(_config(content, tmp_path / "out", jobs=jobs))
    assert len(result.reports) == 19 and _messages(result) == {slow: "解析超过 0.5 秒，已停止并跳过；请把该文件报告给维护者"}


# 4. caches


def _cache_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file() and p.stat().st_size > 0]


def test_random_flips_in_every_cache_file_give_the_output_of_a_build_without_cache(tmp_path):
    content = generated_content(tmp_path / "content", 20)
    cache = tmp_path / "cache"
    build(_config(content, tmp_path / "first", cache=cache, jobs=2))
    rng = random.Random(22)
    files = _cache_files(cache)
    assert {p.suffix for p in files} >= {".pack", ".pickle"}
    for path in files:
        data = bytearray(path.read_bytes())
        for _ in range(20):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
    corrupt = build(_config(content, tmp_path / "second", cache=cache, jobs=2))
    clean = build(_config(content, tmp_path / "clean"))
    assert len(corrupt.reports) == 20 and _messages(corrupt) == {}
    assert site_files(tmp_path / "second") == site_files(tmp_path / "clean")
    assert len(clean.reports) == 20


def test_a_flipped_digit_in_a_cached_text_is_caught(tmp_path):
    content = generated_content(tmp_path / "content", 3)
    cache = tmp_path / "cache"
    build(_config(content, tmp_path / "first", cache=cache))
    (pack,) = cache.rglob("*.pack")
    data = pack.read_bytes()
    at = data.index("主动公开".encode()) if "主动公开".encode() in data else data.index(b"2")
    digit = next(i for i in range(at, len(data)) if 0x30 <= data[i] <= 0x38)
    pack.write_bytes(data[:digit] + bytes([data[digit] + 1]) + data[digit + 1 :])  # one digit of the text, pickle still valid
    build(_config(content, tmp_path / "second", cache=cache))
    build(_config(content, tmp_path / "clean"))
    assert site_files(tmp_path / "second") == site_files(tmp_path / "clean")


class _Planted:
    def __reduce__(self):
        return (Path.touch, (Path(os.environ["PLANTED_MARKER"]),))


def test_a_cache_written_by_someone_else_is_never_unpickled(tmp_path, monkeypatch):
    content = generated_content(tmp_path / "content", 3)
    cache = tmp_path / "cache"
    build(_config(content, tmp_path / "first", cache=cache))
    marker = tmp_path / "code-ran"
    monkeypatch.setenv("PLANTED_MARKER", str(marker))
    evil = pickle.dumps(_Planted())
    for path in _cache_files(cache):
        path.write_bytes(os.urandom(16) + evil)  # a checksum of the right length, not made with this checkout's key
    result = build(_config(content, tmp_path / "second", cache=cache))
    assert len(result.reports) == 3 and not marker.exists()


def test_compiled_templates_are_not_kept_in_the_cache_folder(tmp_path):
    content = generated_content(tmp_path / "content", 2)
    cache = tmp_path / "cache"
    build(_config(content, tmp_path / "first", cache=cache))
    assert not (cache / "jinja").exists()  # Jinja unpickles and runs its bytecode cache unchecked: it is in COMPILED
    assert list((COMPILED / "jinja").glob("__jinja2_*.cache"))


def test_a_cache_that_cannot_be_written_warns_and_the_build_goes_on(tmp_path, caplog):
    content = generated_content(tmp_path / "content", 3)
    (tmp_path / "file").write_text("not a folder")
    result = build(_config(content, tmp_path / "out", cache=tmp_path / "file" / "cache"))
    assert len(result.reports) == 3 and (tmp_path / "out/index.html").is_file()
    assert "无法写入" in caplog.text and "本次构建不保存缓存" in caplog.text


# 5. formulas


def test_spreadsheet_cells_cannot_start_a_formula_and_numbers_are_unchanged(tmp_path):
    content = _one_good(tmp_path / "content")
    hostile = [
        '=HYPERLINK("http://x.invalid","x")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
    ]
    for i, agency in enumerate(hostile):
        front = f"agency: {json.dumps(agency)}\nregion: {{province: {json.dumps(agency)}}}"
        (content / f"f{i}.md").write_text(_md(front), encoding="utf-8")
    (content / "=cmd.txt").write_text(generate(9, "narrative").text, encoding="utf-8")
    build(_config(content, tmp_path / "out"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out/data/reports.csv").read_text(encoding="utf-8-sig"))))
    data = {r["source"]: r for r in json.loads((tmp_path / "out/data/reports.json").read_text(encoding="utf-8"))["reports"]}
    assert len(rows) == 6
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    by_source = {row["source"].lstrip("'"): row for row in rows}
    assert by_source["=cmd.txt"]["source"] == "'=cmd.txt"
    assert [by_source[f"f{i}.md"]["agency"] for i in range(4)] == ["'" + a for a in hostile]
    assert [by_source[f"f{i}.md"]["region.province"] for i in range(4)] == ["'" + a for a in hostile]
    assert by_source[GOOD]["proactive.total"] == str(data[GOOD]["proactive"]["total"])
    assert [inert(cell) for cell in ("\tx", "\rx", "-x", -3, 2.5, "正文=1")] == ["'\tx", "'\rx", "'-x", -3, 2.5, "正文=1"]


# 6. output folders


@pytest.mark.parametrize(
    "where", ["templates", "site_src", "site_src/css", "nianbao", "nianbao/parse", "tests", "content/out", ".github"]
)
def test_an_output_folder_inside_the_project_is_refused(tmp_path, where):
    with pytest.raises(UnsafeOutput, match="拒绝写入"):
        check_output(Config(SEEDS, PROJECT / where))  # checked only: never written, even if this failed


def test_an_output_folder_inside_the_content_is_refused_before_anything_is_written(tmp_path):
    content = _one_good(tmp_path / "content")
    with pytest.raises(UnsafeOutput, match="在内容目录"):
        build(_config(content, content / "out"))
    assert [p.name for p in content.iterdir()] == [GOOD]
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "base.html").write_text("mine", encoding="utf-8")
    args = ["--content", str(content), "--templates", str(templates), "--output", str(templates / "site")]
    run = subprocess.run([sys.executable, "build.py", *args], cwd=PROJECT, capture_output=True, text=True)
    assert run.returncode == 2 and "在模板目录" in run.stderr and "拒绝写入" in run.stderr
    assert [p.name for p in templates.iterdir()] == ["base.html"]


def test_a_non_empty_folder_the_tool_did_not_make_is_refused_unless_told(tmp_path):
    content = _one_good(tmp_path / "content")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("my own page", encoding="utf-8")
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    args = [sys.executable, "build.py", "--no-cache", "--content", str(content), "--output", str(out)]
    run = subprocess.run(args, cwd=PROJECT, capture_output=True, text=True)
    assert run.returncode == 2 and "不是本工具生成的" in run.stderr and "--overwrite" in run.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "my own page" and not (out / MANIFEST).exists()
    run = subprocess.run([*args, "--overwrite"], cwd=PROJECT, capture_output=True, text=True)
    assert run.returncode == 0
    assert "原有的这些文件不是本工具上次写的，已被替换：index.html" in run.stderr  # named; notes.txt is kept
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep"
    run = subprocess.run(args, cwd=PROJECT, capture_output=True, text=True)  # now the tool's: no flag needed
    assert run.returncode == 0 and "已被替换" not in run.stderr


# 8, 9. killed and concurrent builds


def test_two_builds_into_one_output_take_turns(tmp_path):
    content = generated_content(tmp_path / "content", 60)
    out = tmp_path / "out"
    args = [sys.executable, "build.py", "--no-cache", "--jobs", "2", "--content", str(content), "--output", str(out)]
    runs = [subprocess.Popen(args, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert not [p for p in out.rglob("*") if p.name.startswith(STAGED)]
    build(_config(content, tmp_path / "clean"))
    assert site_files(out) == site_files(tmp_path / "clean")


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


def test_kill_9_of_a_build_leaves_no_worker_behind(tmp_path):
    content = generated_content(tmp_path / "content", 400)
    args = [sys.executable, "build.py", "--no-cache", "--jobs", "2", "--content", str(content), "--output", str(tmp_path / "out")]
    process = subprocess.Popen(args, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 2 and process.poll() is None:
        workers |= _children(process.pid)
        time.sleep(0.01)
    assert len(workers) >= 2, "the build forked no workers"
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    time.sleep(5)
    assert [pid for pid in workers if _alive(pid)] == []


# 10. the preview server


@pytest.fixture
def served(tmp_path):
    from nianbao.serve import MAX_STREAMS, Server

    content = _one_good(tmp_path / "content")
    server = Server(_config(content, tmp_path / "out", verbose=0), "127.0.0.1", 0)
    server.start()
    yield server, server.http.server_address[1], MAX_STREAMS
    server.stop()


def _request(port: int, path: str, method: str = "GET", host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_the_preview_answers_only_its_own_host(served):
    _, port, _ = served
    assert _request(port, "/")[0] == 200
    assert _request(port, "/", host=f"localhost:{port}")[0] == 200
    assert _request(port, "/", host=f"[::1]:{port}")[0] == 200
    status, _, body = _request(port, "/", host=f"evil.example:{port}")
    assert status == 403 and "Host 不符" in body.decode("utf-8")
    assert _request(port, "/", host="127.0.0.1:1")[0] == 403


def test_the_preview_head_agrees_with_get_and_hides_bookkeeping(served):
    server, port, _ = served
    for path in ("/", "/data/reports.json", "/nope.html", "/__nianbao/live.js"):
        got, head = _request(port, path), _request(port, path, "HEAD")
        assert (head[0], head[1]["content-length"], head[1]["content-type"]) == (
            got[0],
            got[1]["content-length"],
            got[1]["content-type"],
        )
        assert head[2] == b""
    assert (server.config.output / MANIFEST).is_file()
    assert _request(port, f"/{MANIFEST}")[0] == 404 and _request(port, f"/{MANIFEST}", "HEAD")[0] == 404
    (server.config.output / f"{STAGED}1-2.html").write_text("half a page", encoding="utf-8")
    assert _request(port, f"/{STAGED}1-2.html")[0] == 404


def test_the_preview_caps_event_streams(served):
    _, port, most = served
    streams = []
    for _ in range(most):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/__nianbao/events?since=0")
        assert connection.getresponse().status == 200
        streams.append(connection)
    status, _, body = _request(port, "/__nianbao/events?since=0")
    assert status == 503 and "打开的预览页面过多" in body.decode("utf-8")
    assert _request(port, "/")[0] == 200  # pages are still served
    for connection in streams:
        connection.close()

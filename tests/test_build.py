"""The build end to end: outputs per SCHEMA.md, bad input named and skipped, cross-year checks."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.build.pipeline import BuildError, build
from nianbao.config import Config
from nianbao.export import report_dict
from tools.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "content"


def _build(content: Path, output: Path):
    return build(Config(content, output, cache=None, jobs=1))


def test_seed_build_writes_schema_json_csv_and_per_report(tmp_path):
    result = _build(SEEDS, tmp_path / "out")
    data = json.loads((tmp_path / "out/data/reports.json").read_text(encoding="utf-8"))
    assert data["schema"] == "ogi-report/1"
    assert len(data["reports"]) == 5 and not result.problems
    by_source = {r["source"]: r for r in data["reports"]}
    seed3 = by_source["003_f928e1f66e0e8c3b.txt"]
    assert seed3["agency"] is None and seed3["year"] is None
    assert {"MISSING_AGENCY", "MISSING_YEAR"} <= {f["code"] for f in seed3["flags"]}
    seed0 = by_source["000_ec54cc23732cb7e6.txt"]
    assert seed0["requests"]["received"] == 15 and seed0["reconsideration"]["total"] is None
    assert seed0["evidence"]["requests.received"]["text"].startswith("2017年度，街道共收到")
    csv = (tmp_path / "out/data/reports.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "requests.received" in csv.decode("utf-8-sig").splitlines()[0]
    for report in data["reports"]:
        assert (tmp_path / "out/data/reports" / f"{report['id']}.json").is_file()
    assert (tmp_path / "out/index.html").is_file()


def test_bad_files_are_named_and_the_rest_builds(tmp_path):
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "empty.txt").write_bytes(b"")
    (content / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (content / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (content / "bad.md").write_text("---\nagency: [unclosed\n---\n正文", encoding="utf-8")
    (content / "sub" / "good.txt").write_text(generate(1, "narrative").text, encoding="utf-8")
    result = _build(content, tmp_path / "out")
    messages = {p.source: p.message for p in result.problems}
    assert "文件为空" in messages["empty.txt"]
    assert "二进制" in messages["binary.txt"]
    assert "photo.jpg" in messages
    assert "YAML" in messages["bad.md"]
    assert {r.source for r in result.reports} == {"sub/good.txt", "bad.md"}


def test_strict_exits_non_zero_and_names_the_file(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "empty.txt").write_bytes(b"")
    (content / "ok.txt").write_text(generate(2, "narrative").text, encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(tmp_path / "o"), "--no-cache"]
    loose = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    strict = subprocess.run(cmd + ["--strict"], capture_output=True, text=True, cwd=tmp_path)
    assert loose.returncode == 0 and strict.returncode == 1
    assert "empty.txt: 文件为空" in strict.stderr
    assert "读取 1 份报告，1 个问题" in strict.stdout.splitlines()[-1]


def test_front_matter_names_the_agency(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    body = (SEEDS / "003_f928e1f66e0e8c3b.txt").read_text(encoding="utf-8")
    (content / "r.md").write_text(
        f"---\nagency: 某某区交通运输局\nyear: 2019\nregion: {{province: 浙江省}}\n---\n{body}", encoding="utf-8"
    )
    report = _build(content, tmp_path / "out").reports[0]
    assert report.agency == "某某区交通运输局" and report.year == 2019 and report.region.province == "浙江省"
    assert report.get("proactive.licensing") == 165
    printed = next(i for i, ln in enumerate(body.splitlines(), start=1) if ln.startswith("行政许可"))
    assert report.evidence["proactive.licensing"].line == 5 + printed  # front matter lines keep numbering


def test_cross_year_and_balance_flags(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    a = generate(3, "gb2021", "tab")
    b = generate(4, "gb2021", "tab")
    agency, year = a.expected["agency"], a.expected["year"]
    text_b = b.text.replace(b.expected["agency"], agency).replace(str(b.expected["year"]), str(year + 1))
    (content / "a.txt").write_text(a.text, encoding="utf-8")
    (content / "b.txt").write_text(text_b, encoding="utf-8")
    reports = {r.source: r for r in _build(content, tmp_path / "out").reports}
    codes = {f.code for f in reports["b.txt"].flags}
    forward, carried = a.expected["requests.carried_forward"], b.expected["requests.carried_over"]
    assert ("CROSS_YEAR" in codes) == (forward != carried)
    assert "BALANCE" not in codes


def test_printed_totals_kept_and_flagged(tmp_path):
    g = generate(5, "gb2021", "tab")
    received = g.expected["requests.matrix.received.total"]
    lines = g.text.splitlines()
    i = next(i for i, ln in enumerate(lines) if "本年新收" in ln)
    cells = lines[i].split("\t")
    cells[-1] = str(received + 5)
    lines[i] = "\t".join(cells)
    content = tmp_path / "content"
    content.mkdir()
    (content / "r.txt").write_text("\n".join(lines), encoding="utf-8")
    report = _build(content, tmp_path / "out").reports[0]
    assert report.get("requests.received") == received + 5
    messages = " ".join(f.message for f in report.flags)
    assert {"BALANCE", "SUBTOTAL"} <= {f.code for f in report.flags}
    assert f"≠ 总计{received + 5}" in messages


def test_user_files_in_output_survive_and_unsafe_output_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "CNAME").write_text("example.org")
    with pytest.raises(Exception, match="不是本工具生成的"):  # a folder the tool did not make: only when told to
        _build(SEEDS, out)
    build(Config(SEEDS, out, cache=None, jobs=1, overwrite=True))
    _build(SEEDS, out)
    assert (out / "CNAME").read_text() == "example.org"
    with pytest.raises(Exception, match="拒绝"):
        _build(SEEDS, SEEDS)


def test_second_build_writes_nothing(tmp_path):
    _build(SEEDS, tmp_path / "out")
    again = _build(SEEDS, tmp_path / "out")
    assert again.written == 0 and again.removed == 0


def test_pages_rendered_in_workers_match_and_a_failure_there_leaves_the_site(tmp_path, monkeypatch):
    import nianbao.forked

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(Config(ROOT / "content", serial, cache=None, jobs=1, templates=templates))
    monkeypatch.setattr(nianbao.forked, "LEAST", 1)  # five reports' pages, through forked workers
    build(Config(ROOT / "content", parallel, cache=None, jobs=2, templates=templates))
    files = sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(parallel) for p in parallel.rglob("*") if p.is_file())
    assert all((serial / f).read_bytes() == (parallel / f).read_bytes() for f in files)

    before = {p: p.read_bytes() for p in parallel.rglob("*") if p.is_file()}
    report = templates / "report.html"
    report.write_text(report.read_text(encoding="utf-8").replace("<h1>", "<h1>{{ report.no_such_thing.x }}", 1), encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        build(Config(ROOT / "content", parallel, cache=None, jobs=2, templates=templates))
    assert failed.value.source == "templates/report.html" and failed.value.line
    assert {p: p.read_bytes() for p in parallel.rglob("*") if p.is_file()} == before  # nothing staged is left

    shutil.copy(ROOT / "templates/report.html", report)
    row = templates / "_report_row.html"  # rendered first by the data files' workers, for the comparison tables
    row.write_text(row.read_text(encoding="utf-8").replace("</th>", "{{ r.no_such_thing.x }}</th>", 1), encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        build(Config(ROOT / "content", parallel, cache=None, jobs=2, templates=templates))
    assert failed.value.source == "templates/_report_row.html" and failed.value.line == 3
    assert {p: p.read_bytes() for p in parallel.rglob("*") if p.is_file()} == before


def test_a_build_with_nothing_changed_stops_at_once_and_any_change_builds(tmp_path):
    content, templates, output, cache = tmp_path / "c", tmp_path / "t", tmp_path / "o", tmp_path / "cache"
    shutil.copytree(SEEDS, content)
    shutil.copytree(ROOT / "templates", templates)
    config = Config(content, output, cache=cache, jobs=1, templates=templates)
    first = build(config)
    again = build(config)
    assert again.up_to_date
    assert (len(again.reports), again.flags, again.problems) == (len(first.reports), first.flags, first.problems)
    seed = content / "001_8fa4d51aba8f0a18.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("总数88条", "总数89条"), encoding="utf-8")
    edited = build(config)
    assert not edited.up_to_date and any(r.get("proactive.total") == 89 for r in edited.reports)
    assert build(config).up_to_date
    (output / "agencies.html").unlink()  # a file of the site gone: built again
    assert not build(config).up_to_date and (output / "agencies.html").is_file()
    (templates / "404.html").write_text((templates / "404.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not build(config).up_to_date
    assert build(Config(content, output, cache=cache, jobs=1, templates=templates, base_url="https://x.org/")).changed is None
    (content / "new.txt").write_text((content / "000_ec54cc23732cb7e6.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert len(build(config).reports) == 6


def test_the_next_run_reads_only_the_files_whose_time_or_size_changed(tmp_path, monkeypatch):
    import nianbao.build.reading

    content = tmp_path / "c"
    shutil.copytree(SEEDS, content)
    config = Config(content, tmp_path / "o", cache=tmp_path / "cache", jobs=1)
    first = build(config)
    read = []
    real = nianbao.build.reading.load_source
    monkeypatch.setattr(nianbao.build.reading, "load_source", lambda path, content: read.append(path.name) or real(path, content))
    seed = content / "001_8fa4d51aba8f0a18.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("总数88条", "总数89条"), encoding="utf-8")
    second = build(config)
    assert read == [seed.name]
    assert [r.get("proactive.total") for r in second.reports if r.source == seed.name] == [89]
    assert [report_dict(r) for r in second.reports if r.source != seed.name] == [
        report_dict(r) for r in first.reports if r.source != seed.name
    ]

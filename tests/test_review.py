"""Provenance of every figure, the review queue and the OUTLIER flag."""

import hashlib
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from nianbao.build.pipeline import build
from nianbao.build.reading import parsed
from nianbao.config import Config
from nianbao.load import load_source
from nianbao.model import Report, SourceDoc
from nianbao.outliers import outliers
from nianbao.parse.lines import normalise
from nianbao.review import entries, queue
from tools.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = [SHARED / "seeds", SHARED / "corpus" / "real"]
METADATA = ("agency", "year", "published")


def _corpus_reports() -> list[Report]:
    out = []
    for folder in CORPUS:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".txt", ".html", ".pdf", ".docx"):
                doc, problems = load_source(path, folder)
                assert doc is not None, problems
                out.append(parsed(doc))
    return out


@pytest.fixture(scope="module")
def corpus() -> list[Report]:
    if not all(folder.is_dir() for folder in CORPUS):
        pytest.skip("the shared seeds and real corpus are not here")
    return _corpus_reports()


def test_every_figure_of_the_seeds_and_the_real_corpus_has_provenance(corpus):
    assert len(corpus) >= 33
    for report in corpus:
        keys = set(report.figures) | set(report.evidence)
        assert keys <= set(report.provenance), (report.source, keys - set(report.provenance))
        assert set(report.provenance.values()) <= {"table", "prose", "derived"}, report.source


def test_a_table_figure_says_table_and_a_prose_figure_says_prose(corpus):
    used = {"table": 0, "prose": 0, "derived": 0}
    for report in corpus:
        for key, value in report.figures.items():
            how, evidence = report.provenance[key], report.evidence.get(key)
            used[how] += 1
            line = normalise(evidence.text).replace(",", "").replace(" ", "") if evidence else ""
            if how == "table":
                assert report.template != "narrative", (report.source, key)  # free prose has no template table
                assert isinstance(value, int | float) and str(value) in line, (report.source, key, line)  # its cell
                assert not line.endswith("。"), (report.source, key, line)
            elif how == "prose":  # a sentence: words and punctuation around the figure
                assert evidence and re.search("[，。；：,]", evidence.text) and len(line) > 12, (report.source, key, line)
        for key in METADATA:
            if key in report.evidence:
                assert report.provenance[key] == "prose"  # the title, a sentence or the signature
    assert used["table"] > 400 and used["prose"] > 90 and used["derived"] >= 3
    narrative = [r for r in corpus if r.template == "narrative"]
    assert narrative and all(set(r.provenance.values()) == {"prose"} for r in narrative)


def _build_seeds(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(Config(content, tmp_path / "out", cache=tmp_path / "cache", jobs=1))
    return content


def test_the_review_queue_lists_the_seeds_flagged_and_derived_figures_most_important_first(tmp_path):
    _build_seeds(tmp_path)
    page = (tmp_path / "out/review.html").read_text(encoding="utf-8")
    items = re.findall(r'<li class="review-item kind-(\w+)" data-report="([^"]+)" data-key="([^"]*)">', page)
    assert items == [
        ("missing", "003-f928e1f66e0e8c3b", "agency"),
        ("missing", "003-f928e1f66e0e8c3b", "year"),
        ("warning", "000-ec54cc23732cb7e6", "published"),  # DATE_ORDER
        ("info", "001-8fa4d51aba8f0a18", "proactive.total"),  # SUBTOTAL: the channels add up to more
        ("derived", "003-f928e1f66e0e8c3b", "litigation.total"),
        ("derived", "003-f928e1f66e0e8c3b", "requests.denied"),
        ("derived", "003-f928e1f66e0e8c3b", "requests.not_processed"),
        ("derived", "003-f928e1f66e0e8c3b", "requests.unable"),
    ]
    assert "<h1>待核对（8 项）</h1>" in page
    assert 'href="../report/001-8fa4d51aba8f0a18.html#L11"' not in page  # links are relative to the site root
    assert 'href="report/001-8fa4d51aba8f0a18.html#L11">原文第11行</a>' in page
    assert "各公开渠道条数之和110与主动公开总数88不符（同一信息可能经多个渠道发布）" in page
    yaml_text = (
        "# 001_8fa4d51aba8f0a18.txt.yaml（与报告放在同一目录）\ncorrections:\n"
        "  proactive.total: {value: 88, reason: 核对原文}  # 把 value 改为原文的正确数字\n"
    )
    assert yaml_text in page
    assert yaml.safe_load(yaml_text) == {"corrections": {"proactive.total": {"value": 88, "reason": "核对原文"}}}


def test_the_queues_yaml_with_the_right_value_makes_the_entry_leave(tmp_path):
    content = _build_seeds(tmp_path)
    report = next(r for r in _reports(tmp_path / "out") if r["source"] == "003_f928e1f66e0e8c3b.txt")
    assert report["provenance"]["requests.denied"] == "derived"
    wanted = [e for e in _entries(content, "003_f928e1f66e0e8c3b.txt") if e.key == "requests.denied"]
    assert len(wanted) == 1
    fix = wanted[0].yaml.replace("value: 0,", "value: 1,")  # as the person would: the value the original prints
    (content / "003_f928e1f66e0e8c3b.txt.yaml").write_text(fix, encoding="utf-8")
    build(Config(content, tmp_path / "out", cache=tmp_path / "cache", jobs=1))
    page = (tmp_path / "out/review.html").read_text(encoding="utf-8")
    assert 'data-report="003-f928e1f66e0e8c3b" data-key="requests.denied"' not in page
    assert 'data-report="003-f928e1f66e0e8c3b" data-key="requests.unable"' in page
    report = next(r for r in _reports(tmp_path / "out") if r["source"] == "003_f928e1f66e0e8c3b.txt")
    assert report["requests"]["denied"] == 1 and report["provenance"]["requests.denied"] == "corrected"


def _reports(output: Path) -> list[dict]:
    return json.loads((output / "data/reports.json").read_text(encoding="utf-8"))["reports"]


def _entries(content: Path, name: str):
    doc, _ = load_source(content / name, content)
    return entries(parsed(doc).renamed("x"))


def test_a_bad_correction_heads_the_queue_with_what_to_do():
    text = (ROOT / "content/001_8fa4d51aba8f0a18.txt").read_text(encoding="utf-8")
    meta = {"corrections": {"proactive.total": {"value": 88, "reason": "原表"}}}
    report = parsed(SourceDoc("001.txt", "0" * 64, "txt", text, meta)).renamed("r")
    found = queue([entries(report)])
    assert [(e.kind, e.key) for e in found] == [("correction", "proactive.total")]  # the SUBTOTAL one is the same figure
    assert found[0].reason.endswith("这条校正可以删除")
    assert found[0].yaml == "# 001.txt.yaml\n# 删除 corrections 下 proactive.total 这一项：报告已能读出同样的值\n"


def _generated(count: int) -> list[Report]:
    out = []
    for seed in range(count):
        g = generate(seed)
        sha = hashlib.sha256(g.text.encode()).hexdigest()
        out.append(parsed(SourceDoc(f"{g.name}.txt", sha, "txt", g.text, folders=tuple(g.folder.split("/")))))
    return out


@pytest.fixture(scope="module")
def generated() -> list[Report]:
    return _generated(600)


def _series(report: Report, key: str, values: list[int], name: str) -> list[Report]:
    """``report`` again for consecutive years up to its own, one agency's, ``key`` set to each of ``values``."""
    first = (report.year or 0) - len(values) + 1
    return [
        replace(report, source=f"{name}-{i}.txt", sha256=f"{i:064}", agency=f"{name}局", agency_id=name,
                year=first + i, figures={**report.figures, key: value})
        for i, value in enumerate(values)
    ]  # fmt: skip


def _planted(generated: list[Report], plant: bool) -> tuple[list[Report], dict[str, str]]:
    """The generated corpus with three agencies' series added; with ``plant``, an outlier in each and one among peers."""
    table = next(r for r in generated if r.template == "gb2021" and r.year == 2024 and r.get("requests.received"))
    prose = next(r for r in generated if r.template == "narrative" and r.year == 2018)
    received = table.get("requests.received")
    assert isinstance(received, int) and received > 50
    reports = list(generated)
    reports += _series(
        table, "requests.received", [received, received + 20, received - 15, received * (40 if plant else 1)], "jump"
    )
    reports += _series(prose, "proactive.total", [3120, 2870, 0 if plant else 2650], "drop")
    reports += _series(table, "requests.received", [received * 3, received, received * 2], "steady")  # never flagged
    peers = [i for i, r in enumerate(reports[: len(generated)]) if r.year == 2022 and r.template == "gb2021"]
    highest = max(reports[i].get("requests.received") or 0 for i in peers)
    spike = peers[0]
    if plant:
        reports[spike] = replace(reports[spike], figures={**reports[spike].figures, "requests.received": highest * 40})
    return reports, {"jump-3.txt": "requests.received", "drop-2.txt": "proactive.total", reports[spike].source: "peers"}


def test_outliers_planted_in_a_generated_corpus_are_all_found(generated):
    reports, planted = _planted(generated, plant=True)
    found = {reports[i].source: [f.message for f in flags] for i, flags in enumerate(outliers(reports)) if flags}
    assert set(found) == set(planted)
    assert all(f.severity == "info" for flags in outliers(reports) for f in flags)
    received = next(r for r in reports if r.source == "jump-0.txt").get("requests.received")
    assert isinstance(received, int)
    assert (  # the agency's years within two of it: 2022 and 2023
        f"2024年本年新收政府信息公开申请{received * 40:,}件，是该机关其他年度（2022年、2023年）"
        f"最多{received + 20:,}件的{received * 40 / (received + 20):.0f}倍"
    ) in found["jump-3.txt"]
    assert found["drop-2.txt"] == ["2018年主动公开政府信息0条，而该机关其他年度（2016年、2017年）最少也有2,870条"]
    (spike,) = [source for source, kind in planted.items() if kind == "peers"]
    peer = (
        r"2022年本年新收政府信息公开申请[\d,]+件，远高于同年其他\d+份(县级|乡镇（街道）级)机关报告："
        r"是其中位数\d+件的\d+倍，其中最多的也只有[\d,]+件"
    )
    assert [m for m in found[spike] if re.fullmatch(peer, m)], found[spike]


def test_a_generated_corpus_without_planted_outliers_has_none(generated):
    reports, _ = _planted(generated, plant=False)
    assert [r.source for r, flags in zip(reports, outliers(reports), strict=True) if flags] == []
    assert not any(outliers(_generated(1000)))  # nor a larger one, whose agencies recur by chance over the years


def _fuquan(content: Path) -> Path:
    """One agency's reports of 2014-2017 (seed 000 as 福泉街道), the last with 600 requests against 15 a year before."""
    content.mkdir()
    seed = (ROOT / "content/000_ec54cc23732cb7e6.txt").read_text(encoding="utf-8")
    for year in (2014, 2015, 2016, 2017):
        n = 600 if year == 2017 else 15
        text = seed.replace("2017年", f"{year}年").replace("郭巨街道", "福泉街道")
        (content / f"fuquan_{year}.txt").write_text(
            text.replace("共收到政府信息公开申请15件", f"共收到政府信息公开申请{n}件"), "utf-8"
        )
    return content


def test_an_outlier_is_flagged_in_the_data_listed_on_its_flag_page_and_in_the_queue(tmp_path):
    content = _fuquan(tmp_path / "content")
    build(Config(content, tmp_path / "out", cache=None, jobs=1))
    message = "2017年本年新收政府信息公开申请600件，是该机关其他年度（2015年、2016年）最多15件的40倍"
    flags = {r["source"]: [f for f in r["flags"] if f["code"] == "OUTLIER"] for r in _reports(tmp_path / "out")}
    assert flags == {
        "fuquan_2014.txt": [],
        "fuquan_2015.txt": [],
        "fuquan_2016.txt": [],
        "fuquan_2017.txt": [{"code": "OUTLIER", "severity": "info", "message": message}],
    }
    page = (tmp_path / "out/flags/outlier.html").read_text(encoding="utf-8")
    assert "<h1>异常值（1 条）</h1>" in page and message in page
    review = (tmp_path / "out/review.html").read_text(encoding="utf-8")
    assert f'<p class="review-reason">{message}</p>' in review


def test_a_text_table_entry_names_only_the_figures_its_flag_names():
    """Of the figures the prose states too, the review lists under TEXT_TABLE those the flag says disagree, not the
    ones the prose states alike (a figure stated is kept with its sentence: it equals the table's or it does not)."""
    from nianbao.check import check_report
    from nianbao.model import Evidence, Fact
    from nianbao.review import flag_keys

    base = next(r for r in _generated(12) if r.template == "gb2021" and r.get("requests.received"))
    received, granted = base.get("requests.received"), base.get("requests.granted")
    stated = {
        "requests.received": Fact("requests.received", received + 3, Evidence(3, f"共收到申请{received + 3}件"), "prose"),
        "requests.granted": Fact("requests.granted", granted, Evidence(4, f"予以公开{granted}件"), "prose"),
    }
    report = replace(base, stated=stated, flags=())

    flag = next(f for f in check_report(report) if f.code == "TEXT_TABLE")
    assert flag_keys(report, flag) == ["requests.received"]


@pytest.mark.parametrize("row", ["denied.enforcement_file", "不予公开·属于行政执法案卷"])
def test_an_unread_table_row_is_queued_with_its_line_and_the_figure_to_correct(row):
    """The queue sent every 表格未能完整读取 to 整份报告 with a YAML for requests.received, whatever row failed."""
    from nianbao.model import Flag

    base = next(r for r in _generated(12) if r.template == "gb2021")
    flag = Flag("UNPARSED_TABLE", "warning", f"申请情况表“{row}”行第32行未能完整读取，相关数字记为未载明")
    key = "requests.matrix.denied.enforcement_file.total"
    unread = replace(base, flags=(flag,), figures={k: v for k, v in base.figures.items() if k != key}, evidence={})
    (entry,) = [e for e in entries(unread) if e.kind == "warning"]
    assert (entry.key, entry.anchor) == (key, "L32")
    assert f"{key}:" in entry.yaml and "requests.received" not in entry.yaml


def test_flag_messages_speak_to_readers_not_in_the_datas_keys(corpus):
    """A flag's message is read on the flags and review pages: a row is named as the table prints it (不予公开·属于行政
    执法案卷), never by its key in the data (denied.enforcement_file)."""
    messages = [f.message for r in corpus for f in r.flags]
    assert any("未能完整读取" in m for m in messages)
    spoken = [re.sub(r"[\w.-]+\.(?:txt|yaml|pdf|docx|html?|md)\b", "", m) for m in messages]  # file names aside
    assert [m for m in spoken if re.search(r"[a-z]+[._][a-z]", m)] == []


def test_a_text_edit_keeps_the_outliers_it_does_not_find_again(tmp_path):
    """A text edit of the outlier's report (only its own pages planned; the outliers reused) and then one of
    another report of its agency: each time the site is what a clean build writes, the OUTLIER flag included."""
    from helpers import site_files

    content = _fuquan(tmp_path / "content")
    config = Config(content, tmp_path / "out", cache=tmp_path / "cache", jobs=1)
    build(config)
    for name in ("fuquan_2017.txt", "fuquan_2015.txt"):
        (content / name).write_text((content / name).read_text(encoding="utf-8") + "\n附记一句。\n", encoding="utf-8")
        result = build(config)
        assert result.changed  # only the edited report's own pages planned
        build(Config(content, tmp_path / "clean", cache=None, jobs=1))
        got, want = site_files(tmp_path / "out"), site_files(tmp_path / "clean")
        assert [k for k in want if got.get(k) != want[k] and not k.endswith("manifest.json")] == []
        assert "OUTLIER" in (tmp_path / "out/data/reports/fuquan-2017.json").read_text(encoding="utf-8")

"""No text crashes the parser or makes it hang."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import parse_text
from nianbao.model import Region, Report
from nianbao.readers.text import Unreadable, decode
from nianbao.render.reporttext import render_report_text
from tools.corpus import generate

VOCAB = [
    "本年新收",
    "予以公开",
    "(七)总计",
    "复议",
    "诉讼",
    "收费",
    "元",
    "件",
    "条",
    "\t",
    "|",
    "\n",
    "0",
    "12",
    "二〇一八年",
    "主动公开政府信息",
    "其中",
    "未收到",
    "，",
    "。",
    "第二十条",
    "行政许可",
    "1.",
    "3、其他",
    "其他处理",
    " ",
]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses(text):
    parse_text(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), max_size=200).map("".join))
def test_report_shaped_noise_parses(text):
    parse_text(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.data())
def test_mutated_reports_parse(seed, data):
    lines = generate(seed).text.splitlines()
    cut = data.draw(st.integers(0, len(lines)))
    shuffled = data.draw(st.permutations(lines[:cut])) + lines[cut:] + lines[: cut // 2]
    parse_text("\n".join(shuffled))


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes_decode_or_say_why(data):
    try:
        decode(data)
    except Unreadable as exc:
        assert str(exc)


def test_megabyte_single_line_is_bounded():
    for line in ("收到申请" * 250_000, "1" * 1_000_000, "予以公开 " + "0 " * 500_000, "其中依申请公开5件，" * 100_000):
        start = time.perf_counter()
        parse_text("2021年某局政府信息公开工作年度报告\n共收到政府信息公开申请3件。" + line)
        assert time.perf_counter() - start < 30


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 20_000), st.binary(min_size=1, max_size=8)), max_size=20))
def test_reports_with_random_bytes_inserted_load_and_parse(seed, insertions):
    data = bytearray(generate(seed).text.encode("gb18030"))
    for at, junk in insertions:
        data[at % (len(data) + 1) : at % (len(data) + 1)] = junk
    try:
        text = decode(bytes(data))
    except Unreadable as exc:
        assert str(exc)
        return
    parse_text(text)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000))
def test_doubled_reports_keep_the_first_tables(seed):
    g = generate(seed)
    once, twice = parse_text(g.text), parse_text(g.text + "\n" + g.text)
    assert twice["requests"]["received"] == once["requests"]["received"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_renders_as_a_report_page(text):
    report = Report("r", "r.txt", "", "txt", None, Region(), None, None, "narrative", {}, {}, (), text)
    html, _ = render_report_text(report)
    assert "<script" not in html and "<img" not in html


def test_pathological_report_text_renders_in_bounded_time():
    for line in ("*_[<script>" * 300_000, "|a\t" * 200_000, "\t1" * 300_000, "1" * 1_000_000):
        start = time.perf_counter()
        report = Report("r", "r.txt", "", "txt", None, Region(), None, None, "narrative", {}, {}, (), "标题\n" + line + "\nlong")
        html, _ = render_report_text(report)
        assert time.perf_counter() - start < 10 and "<script" not in html and '<p id="L3" data-line="3">long</p>' in html

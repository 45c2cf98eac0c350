"""No text crashes the parser or makes it hang."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import parse_text
from nianbao.corpus import generate
from nianbao.load import Unreadable, decode

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

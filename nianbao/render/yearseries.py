"""Multi-year tables a report prints of itself (时间 2013 … 2017 / 数量 40 … 88),
read from its text so the report page can draw them as a trend line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.parse.lines import split_lines

_YEAR_WORD = re.compile(r"^(?:时间|年份|年度|年)$")
_CELL_SPLIT = re.compile(r"\t|\||\s{2,}")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# the cheap pre-check: a cell that is only 时间/年份/年度/年. Found from the word on (a pattern starting
# at the cell's edge tries every position of the text), then the edge looked for just before it.
_YEAR_WORD_END = re.compile(r"(?:时间|年份|年度|年)\s*(?:$|\t|\||\s{2})", re.MULTILINE)
_CELL_START = re.compile(r"(?:^|\t|\||\s{2})\s*\Z", re.MULTILINE)
_CAPTION = re.compile(r"\d{4}年?\s*[-—–~至到]+\s*\d{4}年?.*(?:统计|数据|情况)")


@dataclass(frozen=True)
class YearSeries:
    title: str
    label: str
    years: list[int]
    values: list[int | float]
    line: int  # where the table starts


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out = []
    for line in split_lines(text):
        for cell in _CELL_SPLIT.split(line.text):
            cell = cell.strip()
            if cell:
                out.append(("num" if _NUMBER.match(cell) else "label", cell, line.number))
    return out


def _numbers(tokens: list[tuple[str, str, int]], start: int) -> list[str]:
    out = []
    for kind, value, _ in tokens[start:]:
        if kind != "num":
            break
        out.append(value)
    return out


def year_series(text: str) -> list[YearSeries]:
    """Every 年份 row of at least three increasing years followed by a row of as many numbers."""
    if not any(_CELL_START.search(text, max(0, m.start() - 40), m.start()) for m in _YEAR_WORD_END.finditer(text)):
        return []
    tokens = _tokens(text)
    found = []
    for i, (kind, value, line) in enumerate(tokens):
        if kind != "label" or not _YEAR_WORD.match(value):
            continue
        years = [int(float(y)) for y in _numbers(tokens, i + 1)]
        if len(years) < 3 or not all(2000 <= y <= 2100 for y in years) or years != sorted(set(years)):
            continue
        j = i + 1 + len(years)
        if j >= len(tokens) or tokens[j][0] != "label":
            continue
        values = _numbers(tokens, j + 1)[: len(years)]
        if len(values) != len(years):
            continue
        label = tokens[j][1]
        end_line = tokens[j + len(values)][2]
        caption = next((v for k, v, n in tokens[j + len(values) + 1 :] if n <= end_line + 2 and _CAPTION.search(v)), None)
        numbers = [int(v) if v.isdigit() else float(v) for v in values]
        found.append(YearSeries(caption or f"原文所载{years[0]}—{years[-1]}年{label}", label, years, numbers, line))
    return found

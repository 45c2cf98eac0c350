"""What a report is: template, agency, year, issue date and region.

The agency comes from the title (which may wrap over two lines) or from the
signature; the year from the title or the statistics period; the issue date
from the signature or the page header. Nothing is guessed: a report that does
not name its agency or year gets None here and a flag later.
"""

from __future__ import annotations

import re

from nianbao.model import Evidence, Line, Template
from nianbao.parse import vocab
from nianbao.parse.lines import Paragraph, paragraphs

_PERIOD = re.compile(r"(\d{4})年1月1日[^\d。]{0,6}?(?:至|到|-|—|~)\s*(?:(\d{4})年)?12月31日")
_PERIOD_END = re.compile(r"(?:统计|数据|截止|截至)[^。]{0,12}?(\d{4})年12月31日")
# the first sentence of a report that starts at 一、总体情况: "2023年,在区委…"
_OPENING_YEAR = re.compile(r"^(?:[一二]\s*、\s*总体情况\s*)?(\d{4})\s*年度?\s*(?:以来)?\s*[,，]")
_REPORT_YEAR = re.compile(r"(\d{4})\s*年度?\s*(?:的)?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|年报)")
_DATE_ONLY = re.compile(
    r"^\(?(?:(?:发布|印发|成文|发文|公开|生成|更新)?(?:日期|时间)\s*[:：]?\s*)?"
    r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)?\s*(?:(\d{1,2})\s*日?)?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\)?(?:\s*(?:来源|发布|浏览|点击|作者|信息来源).*)?$"
)
_LABELLED_DATE = re.compile(
    r"(?:发布|印发|成文|发文|公开|生成)?(?:日期|时间)\s*[:|]?\s*\|?\s*(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})(?!\d)"
)


def detect_template(lines: list[Line], year: int | None) -> Template:
    """The format by the tables' own words; where the tables are cut off or missing, by the year
    (the 2019 format is for the reports of 2019 and 2020, the 2021 format from 2021 on)."""
    text = "\n".join(line.text for line in lines)
    if vocab.GB2021_MARKERS.search(text):
        return "gb2021"
    if vocab.GB2019_MARKERS.search(text):
        return "gb2019"
    if year is not None and year >= 2021:
        return "gb2021"
    if (year is not None and year >= 2019) or vocab.TABLE_MARKERS.search(text):
        return "gb2019"
    return "narrative"


def detect_year(lines: list[Line], title: int | None) -> tuple[int | None, Evidence | None]:
    """The title's year, else the statistics period's, a sentence that quotes the title, the opening sentence's;
    a sentence wrapped over lines is read whole (paragraphs), the line where the year is printed its evidence."""
    candidates: list[tuple[re.Pattern[str], list[Line]]] = []
    if title is not None:
        candidates.append((re.compile(r"(\d{4})\s*年"), lines[max(0, title - 1) : title + 2]))
    candidates += [(_PERIOD, lines), (_PERIOD_END, lines), (_REPORT_YEAR, lines), (_OPENING_YEAR, [])]
    whole: list[Paragraph] = []  # the whole text's paragraphs, made when first needed
    for pattern, scope in candidates:
        if pattern is _OPENING_YEAR:  # the first lines past a page's menus and chrome
            scope = [ln for ln in lines[:40] if len(ln.text) > 8 and not vocab.PAGE_CHROME.search(ln.text)][:12]
        if scope is lines and not whole:
            whole = paragraphs(lines)
        for para in whole if scope is lines else paragraphs(scope):
            m = pattern.search(para.text)
            if m and 1990 <= int(m.group(1)) <= 2100:
                line = para.line_at(m.start(1))
                return int(m.group(1)), Evidence(line.number, line.raw)
    return None, None


def _date(m: re.Match[str]) -> str | None:
    year, month = int(m.group(1)), int(m.group(2))
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        return None
    if m.group(3):
        day = int(m.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None
    return f"{year:04d}-{month:02d}"


def _last_lines(lines: list[Line], n: int) -> list[Line]:
    """The last ``n`` lines past the page's links and footer (a date line is never chrome), last first."""
    out: list[Line] = []
    for line in reversed(lines[-30:]):
        if not vocab.PAGE_CHROME.search(line.text) or _DATE_ONLY.match(line.text):
            out.append(line)
            if len(out) == n:
                break
    return out


def detect_published(lines: list[Line], title: int | None) -> tuple[str | None, Evidence | None]:
    """The signature's date, else a date line or a labelled date (发布时间:…, 发文日期 | …) in the page's head."""
    tail = _last_lines(lines, 10)
    head = lines[: (title or 0) + 24]  # a crawler's title line and the page's menus may stand above the page's own head
    for scope in (tail, head):
        for line in scope:
            m = _DATE_ONLY.match(line.text.strip())
            if m and (date := _date(m)):
                return date, Evidence(line.number, line.raw)
    for line in head:
        m = _LABELLED_DATE.search(line.text)
        if m and (date := _date(m)):
            return date, Evidence(line.number, line.raw)
    return None, None

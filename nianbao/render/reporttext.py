"""A report's printed text -> readable HTML, every extracted figure marked.

A report is plain text, not Markdown, so it is not read as Markdown: the blocks
we recognise (headings 一、（一）1., tables from tab or pipe cells, paragraphs)
are written as HTML directly, every text escaped: what a report prints is shown
as text, never run, and no character of it can start a link or an emphasis.
(Rendering through markdown-it-py cost 15–20 ms a report, most of a 10,000-report
build's time budget; writing the few tags we need costs a fifth of that.) Each block carries
the number of the line it came from (``id="L12"``), and each figure the parser
took from that line is wrapped in ``<mark id="f-…">`` so the data table can
link to it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from html import escape

from nianbao.model import Report
from nianbao.parse.lines import normalise, source_lines
from nianbao.render import labels

_H2 = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.]|^第[一二三四五六七八九十]+[部分章节]")
_H3 = re.compile(r"^\(\s*[一二三四五六七八九十]{1,3}\s*\)")
_H4 = re.compile(r"^\d{1,2}\s*[.、](?!\d)")
LONG = 4000  # a longer line is never read as table cells
_RULE_ROW = re.compile(r"^\|?\s*:?-{3,}")
_NOT_ID = re.compile(r"[^\w-]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_WIDE_DIGIT = re.compile("[０-９]")


@functools.lru_cache(maxsize=65536)
def figure_id(key: str) -> str:
    return "f-" + _NOT_ID.sub("-", key)


def _cells(raw: str) -> list[str] | None:
    return None if len(raw.strip()) > LONG else _split(raw)


def _split(raw: str) -> list[str] | None:
    text = raw.strip()
    if text.startswith("|") and text.count("|") >= 2:
        return [c.strip() for c in text.strip("|").split("|")]
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    return None


_MAY_HEAD = set("一二三四五六七八九十第(（")
_CN_ORDINALS = set("一二三四五六七八九十")
_DIGITS = set("0123456789０１２３４５６７８９")
_NUMBERING = re.compile(r"^\s*[0-9０-９]{1,2}\s*[.、．]")


def _heading(text: str) -> int:
    if len(text) > 3 * 40:
        return 0  # too long to be a heading even once normalised (normalising it costs more than the rest)
    return _short_heading(text)


@functools.lru_cache(maxsize=4096)  # the template's headings and row labels recur in every report of its kind
def _short_heading(text: str) -> int:
    head = text.strip()[:6]
    first = head[:1]
    if first not in _MAY_HEAD and (first not in _DIGITS or not _NUMBERING.match(text)):
        return 0
    if first in _CN_ORDINALS and not any(mark in head for mark in "、.．"):
        return 0  # 一是……, 二要……: prose, not 一、 or 一.
    norm = normalise(text).strip()
    if len(norm) > 40:
        return 0
    if _H2.match(norm):
        return 2
    if _H3.match(norm):
        return 3
    if _H4.match(norm) and len(norm) <= 30:
        return 4
    return 0


Row = tuple[int, list[str], list[str]]  # printed line number, cells, cells escaped


def _table_rows(raws: list[str], safe: list[str], i: int) -> tuple[list[Row], int]:
    """The rows of cells from line ``i`` on, rules left out, and the index after them (``safe``: the lines escaped)."""
    rows: list[Row] = []
    while i < len(raws) and (cells := _cells(raws[i])) is not None:
        if not _RULE_ROW.match(raws[i].strip()):
            rows.append((i + 1, cells, _split(safe[i]) or []))
        i += 1
    return rows, i


@functools.lru_cache(maxsize=1024)
def _value_pattern(digits: str) -> re.Pattern[str]:
    body = "[,，]?".join(re.escape(d) for d in digits)
    return re.compile(rf"(?<![\d.]){body}(?![\d]|\.\d)")


def _figures_by_line(report: Report) -> dict[int, list[tuple[str, int | float]]]:
    by_line: dict[int, list[tuple[str, int | float]]] = defaultdict(list)
    for key, evidence in report.evidence.items():
        value = report.figures.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            by_line[evidence.line].append((key, value))
        elif isinstance(value, dict):
            by_line[evidence.line] += [(f"{key}.{k}", v) for k, v in value.items() if isinstance(v, int | float)]
    return by_line


_DIGIT_GROUP = re.compile(r"\d+")
_PLAIN_NUMBER = re.compile(r"(?<![.\d])(?>\d+)(?!\.\d)")  # a whole run of digits, not a decimal's part


def _numbers(joined: str) -> dict[str, list[tuple[int, int]]]:
    """Every number a figure may be printed as (1234, or 1,234 and 1，234 with thousands separators) ->
    its spans, in order; found in one pass over the line."""
    if "," not in joined and "，" not in joined:  # no thousands separators: each run of digits is a number
        plain: dict[str, list[tuple[int, int]]] = {}
        for m in _PLAIN_NUMBER.finditer(joined):
            plain.setdefault(m.group(), []).append(m.span())
        return plain
    groups = [(m.start(), m.end(), m.group()) for m in _DIGIT_GROUP.finditer(joined)]
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for g, (start, end, digits) in enumerate(groups):
        if start and joined[start - 1] == ".":
            continue  # the decimals of another number
        h = g
        while True:
            if not (joined[end : end + 1] == "." and joined[end + 1 : end + 2].isdecimal()):
                found[digits].append((start, end))
            if h + 1 == len(groups) or groups[h + 1][0] != end + 1 or joined[end] not in ",，" or len(groups[h + 1][2]) != 3:
                break  # joined only as thousands are: 1,234 is one number, 3，4 two
            h += 1
            end, digits = groups[h][1], digits + groups[h][2]
    for spans in found.values():
        spans.sort()
    return found


def _marks(texts: list[str], figures: list[tuple[str, int | float]]) -> list[tuple[int, int, str]]:
    """Spans (start, end, key) in the texts joined by NUL: each figure's first unmarked occurrence, in order."""
    joined = "\x00".join(texts)
    if _WIDE_DIGIT.search(joined):
        joined = joined.translate(_FULLWIDTH_DIGITS)
    numbers = _numbers(joined)
    taken: list[tuple[int, int, str]] = []
    starts: list[int] = []  # of the spans taken, in order (they never overlap), and their ends
    ends: list[int] = []
    cursor = 0
    for key, value in figures:
        digits = str(value) if isinstance(value, int) or not float(value).is_integer() else str(int(value))
        if digits.isdecimal():
            spans = numbers.get(digits, ())
        else:  # a decimal or a negative number: rare enough for a pattern of its own
            spans = [m.span() for m in _value_pattern(digits).finditer(joined)]
        chosen = before = None  # the first free occurrence after the last one marked, else the first free one
        for start, end in spans:
            k = bisect.bisect_left(starts, end)  # the spans taken that start before this one ends: the last may overlap
            if k and ends[k - 1] > start:
                continue
            if start >= cursor:
                chosen = (start, end)
                break
            before = before or (start, end)
        span = chosen or before
        if span is not None:
            k = bisect.bisect_left(starts, span[0])
            starts.insert(k, span[0])
            ends.insert(k, span[1])
            taken.append((span[0], span[1], key))
            cursor = span[1]
    return sorted(taken)


@functools.lru_cache(maxsize=65536)
def _mark(key: str) -> str:
    return f'<mark id="{figure_id(key)}" class="fig" title="{escape(labels.figure_label(key))}（{escape(key)}）">'


def _inline(text: str, offset: int, spans: list[tuple[int, int, str]], plain: bool) -> str:
    """``text`` (at ``offset`` in the joined line) escaped, unless it is ``plain`` (has nothing to escape),
    its figures wrapped in marks (a figure is printed in digits and separators only, which need no escaping)."""
    out = []
    pos = 0
    for s, e, key in spans:
        if offset <= s and e <= offset + len(text):
            s, e = s - offset, e - offset
            out.append(f"{text[pos:s] if plain else escape(text[pos:s])}{_mark(key)}{text[s:e]}</mark>")
            pos = e
    out.append(text[pos:] if plain else escape(text[pos:]))
    return "".join(out)


def _table(rows: list[Row], figures: dict[int, list[tuple[str, int | float]]], marked: set[str]) -> str:
    """A table of two or more rows, its first row as the head."""
    width = max(len(cells) for _, cells, _ in rows)
    out = ["<table>\n<thead>\n"]
    for n, (number, cells, safe) in enumerate(rows):
        if n == 1:
            out.append("</thead>\n<tbody>\n")
        tag = "td" if n else "th"
        if number not in figures:
            html = [f"<{tag}>{text}</{tag}>" for text in safe] + [f"<{tag}></{tag}>"] * (width - len(safe))
            out.append(f'<tr id="L{number}" data-line="{number}">\n{"".join(html)}\n</tr>\n')
            continue
        cells, safe = cells + [""] * (width - len(cells)), safe + [""] * (width - len(safe))
        spans = _marks(cells, figures[number])
        marked.update(key for _, _, key in spans)
        plain = cells == safe
        offset, html, j = 0, [], 0
        for text, shown in zip(cells, safe, strict=True):  # the spans are in order, none crosses from a cell to the next
            end = offset + len(text)
            mine = []
            while j < len(spans) and spans[j][0] < end:
                mine.append(spans[j])
                j += 1
            html.append(f"<{tag}>{_inline(text, offset, mine, plain) if mine else shown}</{tag}>")
            offset = end + 1
        out.append(f'<tr id="L{number}" data-line="{number}" class="ev">\n{"".join(html)}\n</tr>\n')
    out.append("</tbody>\n</table>\n")
    return "".join(out)


def render_report_text(report: Report) -> tuple[str, set[str]]:
    """(HTML of the report's text, keys of the figures marked in it): headings 一、（一）1., tables
    of tab or pipe cells (two rows or more), and a paragraph for every other line that is not blank."""
    figures = _figures_by_line(report)
    raws = source_lines(report.text)
    safe = source_lines(escape(report.text))  # line for line: escaping adds no line break
    out: list[str] = []
    marked: set[str] = set()
    i = 0
    while i < len(raws):
        raw = raws[i]
        if "\t" in raw or "|" in raw:
            rows, after = _table_rows(raws, safe, i)
            if len(rows) >= 2:
                out.append(_table(rows, figures, marked))
                i = after
                continue
        i += 1
        words = raw.split()
        if not words:
            continue
        level = _heading(raw) if words[0][0] in _MAY_HEAD or words[0][0] in _DIGITS else 0
        tag = f"h{level}" if level else "p"
        if i in figures:
            text = " ".join(words)
            spans = _marks([text], figures[i])
            marked.update(key for _, _, key in spans)
            out.append(f'<{tag} id="L{i}" data-line="{i}" class="ev">{_inline(text, 0, spans, raw == safe[i - 1])}</{tag}>\n')
        else:
            out.append(f'<{tag} id="L{i}" data-line="{i}">{" ".join(safe[i - 1].split())}</{tag}>\n')
    return "".join(out), marked

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

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from html import escape

from nianbao.model import Report
from nianbao.parse.lines import normalise, source_lines

_H2 = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.]|^第[一二三四五六七八九十]+[部分章节]")
_H3 = re.compile(r"^\(\s*[一二三四五六七八九十]{1,3}\s*\)")
_H4 = re.compile(r"^\d{1,2}\s*[.、](?!\d)")
LONG = 4000  # a longer line is never read as table cells
_RULE_ROW = re.compile(r"^\|?\s*:?-{3,}")
_NOT_ID = re.compile(r"[^\w-]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@functools.lru_cache(maxsize=65536)
def figure_id(key: str) -> str:
    return "f-" + _NOT_ID.sub("-", key)


def _cells(raw: str) -> list[str] | None:
    text = raw.strip()
    if len(text) > LONG:
        return None
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


def _blocks(raws: list[str]) -> Iterator[tuple[str, int, list[str]]]:
    """(kind, printed line number, texts) for each block: ("h2".."h4", n, [text]), ("p", n, [text]),
    ("thead"|"tbody", n, cells); the rows of one table come one after another, its first row as "thead"."""
    i = 0
    while i < len(raws):
        raw = raws[i]
        if not raw.strip():
            i += 1
            continue
        rows: list[tuple[int, list[str]]] = []
        while i < len(raws) and (cells := _cells(raws[i])) is not None:
            if not _RULE_ROW.match(raws[i].strip()):
                rows.append((i + 1, cells))
            i += 1
        if len(rows) >= 2:
            width = max(len(cells) for _, cells in rows)
            for n, (number, cells) in enumerate(rows):
                yield ("tbody" if n else "thead"), number, cells + [""] * (width - len(cells))
            yield "end", 0, []
            continue
        if rows:  # a single row with tabs reads as a line of text
            i -= 1
            raw = raws[i]
        level = _heading(raw)
        yield (f"h{level}" if level else "p"), i + 1, [" ".join(raw.split())]
        i += 1


@functools.lru_cache(maxsize=4096)
def _value_pattern(value: int | float) -> re.Pattern[str]:
    digits = str(value) if isinstance(value, int) or not float(value).is_integer() else str(int(value))
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


def _marks(texts: list[str], figures: list[tuple[str, int | float]]) -> list[tuple[int, int, str]]:
    """Spans (start, end, key) in the texts joined by NUL: each figure's first unmarked occurrence, in order."""
    joined = "\x00".join(texts).translate(_FULLWIDTH_DIGITS)
    taken: list[tuple[int, int, str]] = []
    cursor = 0
    for key, value in figures:
        chosen = before = None  # the first free occurrence after the last one marked, else the first free one
        for found in _value_pattern(value).finditer(joined):
            start, end = found.span()
            if taken and any(s < end and start < e for s, e, _ in taken):
                continue
            if start >= cursor:
                chosen = found
                break
            before = before or found
        m = chosen or before
        if m is not None:
            taken.append((m.start(), m.end(), key))
            cursor = m.end()
    return sorted(taken)


def _inline(text: str, offset: int, spans: list[tuple[int, int, str]]) -> str:
    """``text`` (at ``offset`` in the joined line) escaped, its figures wrapped in marks."""
    out = []
    pos = 0
    for s, e, key in spans:
        if offset <= s and e <= offset + len(text):
            s, e = s - offset, e - offset
            mark = f'<mark id="{figure_id(key)}" class="fig" title="{escape(key)}">{escape(text[s:e])}</mark>'
            out.append(escape(text[pos:s]) + mark)
            pos = e
    out.append(escape(text[pos:]))
    return "".join(out)


def render_report_text(report: Report) -> tuple[str, set[str]]:
    """(HTML of the report's text, keys of the figures marked in it)."""
    figures = _figures_by_line(report)
    out: list[str] = []
    marked: set[str] = set()
    section = ""  # the table part open: "thead", "tbody" or none
    for kind, number, texts in _blocks(source_lines(report.text)):
        if kind == "end":
            out.append(f"</{section}>\n</table>\n")
            section = ""
            continue
        spans = _marks(texts, figures[number]) if number in figures else []
        marked.update(key for _, _, key in spans)
        attrs = f' id="L{number}" data-line="{number}"' + (' class="ev"' if number in figures else "")
        if kind not in ("thead", "tbody"):
            out.append(f"<{kind}{attrs}>{_inline(texts[0], 0, spans)}</{kind}>\n")
            continue
        if kind != section:
            out.append(f"</{section}>\n<{kind}>\n" if section else f"<table>\n<{kind}>\n")
            section = kind
        cell = "th" if kind == "thead" else "td"
        offset = 0
        cells = []
        for text in texts:
            cells.append(f"<{cell}>{_inline(text, offset, spans)}</{cell}>")
            offset += len(text) + 1
        out.append(f"<tr{attrs}>\n{''.join(cells)}\n</tr>\n")
    return "".join(out), marked

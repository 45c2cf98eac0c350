"""Lines of a printed table -> labelled rows of cells, whatever the layout.

A table reaches us as tab-separated cells, pipe tables, one cell per line,
columns padded with spaces (pdftotext -layout), or cells run together. Each line
becomes a stream of events (a row label, a number, a blank cell); rows are the
numbers that follow a label until the next one. Labels wrapped over two lines are
matched on the text the lines carry together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

from nianbao.model import Line
from nianbao.parse import vocab
from nianbao.parse.numbers import CELL_NONE, parse_cell

# A table value, not an ordinal or a date: "1." "2、" "(3)" "第4" number a label, "2024年" "80%" are
# not cells, and digits in a word or an address ("A12") belong to it. Atomic, so "2024年" is not "202".
_VALUE = re.compile(r"(?<![(第〔\[A-Za-z\d])(?<!\d\.)(?>[-−+]?\d+(?:\.\d+)?)(?! ?[年月日%号页])(?! ?[.、](?!\d))")
_SEPARATED = re.compile(r"\t|\|")
_PIPES_ONLY = re.compile(r"^\s*\|{2,}\s*$")
# lines that end the row before them: a sub-table's heading (第二十条第(八)项, 信息内容 …) or a page's footer
_SUB_TABLE = re.compile(r"第二十条|^\W*信息内容")
_FOOTER = re.compile(r"^\W*[上下][一1]篇|网站地图|版权所有|主办单位|主办:|承办|ICP|备案号|联系我们|打印本页|关闭窗口|扫一扫")
_RULE_LINE = re.compile(r"^\|?\s*:?-{3,}")
PAGE_MARK = re.compile(rf"^\W*(?:{vocab.PAGE_MARK})\W*$")  # "- 3 -" between two rows: the page broke there
_TWO_HAN = re.compile(r"[\u4e00-\u9fff][^\d]*[\u4e00-\u9fff]")
UNKNOWN = "?"  # the key of a row whose label no rule reads
_BLANK_WORD = re.compile(r"(?<!\S)(?:[-—–/\\]{1,2}|——)(?!\S)")
_NOTE = re.compile(r"\([^()\t|]*\)")
Labels = tuple[tuple[int, int, str], ...]  # (start, end, row key) of each row label in a text
Matcher = Callable[[str, str | None], Labels]  # (text, key of the row before) -> its labels


@dataclass
class Row:
    key: str
    line: Line
    cells: list[int | float | None] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)  # the digits as printed, "" for a blank
    lines: list[Line] = field(default_factory=list)  # the line each cell is printed on
    has_numbers: bool = False
    end: int = 0  # number of the last line that gave the row a cell


def numbers_in(text: str, spans: Iterable[tuple[int, int]] = ()) -> list[tuple[int, str]]:
    """(position, digits) of the values in a line, skipping ordinals, label spans and notes in brackets (a header's
    "(减用负值表示,如-8)": a table prints no cell inside brackets)."""
    found = [(m.start(), m.group()) for m in _VALUE.finditer(text)]
    taken = list(spans)
    if found and "(" in text:
        taken += [m.span() for m in _NOTE.finditer(text)]
    return [(p, d) for p, d in found if not any(s <= p < e for s, e in taken)] if taken and found else found


def line_events(line: Line, match: Matcher, context: str | None) -> list[tuple[str, object]]:
    text = line.text
    if _RULE_LINE.match(text):
        return []
    if _SEPARATED.search(text):
        if _PIPES_ONLY.match(text):
            return []  # "||", "|||": what is left of a row's or a header's border, not cells
        cells = _SEPARATED.split(text)
        if text.strip() == "|":
            cells = [""]  # one cell per line: a blank cell and its border
        else:
            if text.lstrip().startswith("|"):
                cells = cells[1:]
            if text.rstrip().endswith("|"):
                cells = cells[:-1]  # "0 |": a cell and its right border
        events: list[tuple[str, object]] = []
        for cell in cells:
            cell = cell.strip()
            value = parse_cell(cell)
            if value is not None:
                events.append(("num", (value, cell.replace(",", ""))))
                continue
            if cell in CELL_NONE:
                events.append(("blank", (None, "")))
                continue
            found = match(cell, context)
            if found:
                events.extend(("label", key) for _, _, key in found)
                context = found[-1][2]
            else:
                events.extend(("num", (_value(d), d)) for _, d in numbers_in(cell))
        return events
    found = match(text, context)
    numbers = numbers_in(text, [(s, e) for s, e, _ in found])
    blanks = [m.start() for m in _BLANK_WORD.finditer(text)] if numbers and _BLANK_WORD.search(text) else []
    if not found and not blanks:  # numbers_in gives them in order
        return [("num", (_value(digits), digits)) for _, digits in numbers]
    positioned: list[tuple[int, str, object]] = [(s, "label", key) for s, _, key in found]
    positioned += [(pos, "num", (_value(digits), digits)) for pos, digits in numbers]
    positioned += [(pos, "blank", (None, "")) for pos in blanks]  # "3 - 0 0": a blank cell a space apart
    positioned.sort(key=lambda p: p[0])
    return [(kind, payload) for _, kind, payload in positioned]


def _value(digits: str) -> int | float | None:
    return parse_cell(digits)


def read_rows(lines: list[Line], match: Matcher, start_keys: set[str]) -> list[Row]:
    """Labelled rows from the lines of one table; nothing before a start key counts.

    A label wrapped around its numbers (PDF text) is found on the label-only line
    above, or failing that on the label-only line below.
    """
    rows: list[Row] = []
    current: Row | None = None
    pending = ""  # text of label-less lines, for labels wrapped over lines
    skip_labels = -1
    for i, line in enumerate(lines):
        if _SUB_TABLE.search(line.text):  # a sub-table's heading: the row before it has ended
            current, pending = None, ""
        elif _FOOTER.search(line.text):  # the page's footer: nothing in it is a cell
            current, pending = None, ""
            continue
        elif PAGE_MARK.match(line.text):
            continue
        context = current.key if current else None
        events = line_events(line, match, context)
        if i == skip_labels:
            events = [e for e in events if e[0] != "label"]
        kinds = {kind for kind, _ in events}
        has_label, has_num = "label" in kinds, "num" in kinds
        if not has_label and has_num and (rows or pending):
            current, skip_labels = _label_for(lines, i, pending, match, current, rows, start_keys, skip_labels)
        elif not kinds and current is not None and current.has_numbers and _TWO_HAN.search(line.text):
            current = Row(UNKNOWN, line)  # words no rule reads after a row's figures (one cell a line): a row begins
            rows.append(current)
        for kind, payload in events:
            if kind == "label":
                key_ = str(payload)
                if not rows and key_ not in start_keys:
                    continue
                if current is not None and not current.cells and current.key.startswith(f"{key_}."):
                    continue  # "1.申请人…逾期不补正、" above "(六)其他处理 …  5 4 …": the numbers are the sub-row's
                current = Row(key_, line)
                rows.append(current)
            elif current is not None:
                value, raw = cast(tuple[int | float | None, str], payload)
                current.cells.append(value)
                current.raws.append(raw)
                current.lines.append(line)
                current.end = line.number
                if kind == "num" and not current.has_numbers:
                    current.has_numbers = True
                    current.line = line
        pending = "" if (has_label or has_num or i == skip_labels) else (pending + line.text)[-40:]
    return rows


def _label_for(
    lines: list[Line], i: int, pending: str, match: Matcher, current: Row | None, rows: list[Row], start_keys: set[str], skip: int
) -> tuple[Row | None, int]:
    """The row a line of figures with no label of its own goes to, and the line whose labels to skip: the row of the
    label above it that has no figures yet; the row of a label wrapped around it; a row of its own (``UNKNOWN``)
    when words no rule reads stand before its figures (an OCR's misread label, a note with a figure: never the
    figures of the row before); else the row before."""
    words = _words_before_figures(lines[i].text)
    fresh = current is not None and not current.cells and current.key != UNKNOWN and not words
    if fresh and not any(row.cells and row.key == current.key for row in rows):  # type: ignore[union-attr]
        return current, skip  # figures alone under a label that has none yet (not a wrapped label's tail): its own
    key = _wrapped_label(lines, i, pending, match, current.key if current else None)
    if key and key[1] != i:
        skip = key[1]
    if key and (rows or key[0] in start_keys) and (current is None or key[0] != current.key or not current.cells):
        current = Row(key[0], lines[i])
        rows.append(current)
    elif key is None and rows and words:
        current = Row(UNKNOWN, lines[i])
        rows.append(current)
    return current, skip


def _words_before_figures(text: str) -> bool:
    first = _VALUE.search(text)  # the first figure (an ordinal "1." is none)
    return first is not None and _TWO_HAN.search(text, 0, first.start()) is not None


def _wrapped_label(lines: list[Line], i: int, pending: str, match: Matcher, context: str | None) -> tuple[str, int] | None:
    prefix = re.match(r"\s*((?:\d+\s*[.、])?[^\d\t]*)", lines[i].text).group(1).strip()  # type: ignore[union-attr]
    if pending:
        found = match(pending + prefix, context)
        if found:
            return found[-1][2], i
    if prefix and i + 1 < len(lines):
        below = line_events(lines[i + 1], match, context)
        labels = [p for k, p in below if k == "label"]
        if labels and not any(k == "num" for k, _ in below):
            return str(labels[0]), i + 1
    return None


def place_unknown(rows: list[Row], order: list[str]) -> None:
    """Rows of figures whose label no rule reads (an OCR's 国家秘蜜) take the template rows they stand for when
    the rows read either side of them (or the row before them and the template's end) leave exactly their number
    of places, none of them printed elsewhere; any other stays unknown and its figures unused."""
    figures = [row for row in rows if row.has_numbers]
    printed = {row.key for row in figures}
    i = 0
    while i < len(figures):
        if figures[i].key != UNKNOWN:
            i += 1
            continue
        end = next((j for j in range(i, len(figures)) if figures[j].key != UNKNOWN), len(figures))
        before, after = (figures[i - 1].key if i else None), (figures[end].key if end < len(figures) else None)
        if before in order and (after in order or after is None):  # the table's last rows: up to the template's end
            places = order[order.index(before) + 1 : order.index(after) if after else len(order)]
            if len(places) == end - i and not printed & set(places):
                for row, key in zip(figures[i:end], places, strict=True):
                    row.key = key
        i = end


_POINT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # "1.362": a thousands separator an OCR read as a point


def as_counts(row: Row, width: int) -> None:
    """A row of counts (the request table's): a decimal is a thousands separator an OCR read as a point when the
    row's last ``width`` cells then add up, and no count at all otherwise (null, never 1.362)."""
    if not any(isinstance(c, float) for c in row.cells):
        return
    pairs = zip(row.cells, row.raws, strict=True)
    read = [int(r.replace(".", "")) if isinstance(c, float) and _POINT_THOUSANDS.fullmatch(r) else c for c, r in pairs]
    last = [c for c in read if c is not None][-width:]
    adds_up = len(last) == width and sum(last[:-1]) == last[-1]
    row.cells = [None if isinstance(c, float) else c for c in (read if adds_up else row.cells)]

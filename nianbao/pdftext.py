"""A PDF with a text layer -> the report's lines, page furniture removed.

A ruled table (PyMuPDF's ``find_tables``, tried only on a page with enough
drawn lines to hold one) comes out one row a line, its cells tab-separated, a
cell's wrapped lines joined, a merged cell's other grid positions empty: the
form htmltext and docxtext give. The rest of the page is read in reading order
(words on one baseline make one line) and a prose line that runs to the right
edge of the text is joined to the line it wraps into, so a sentence such as
"特编制2023年政府 / 信息公开年度报告" reads as printed.
Page numbers ("- 1 -", "第 1 页", "1/6") at the top or bottom of a page, and running
headers and footers (the same line at the top or bottom of most pages), never
reach the parser. A PDF with no
text layer (a scan) is reported as such: there is no OCR here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.load import Unreadable

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")


_EDGE = 2  # lines at the top and at the bottom of a page that may be furniture


def _edges(lines: list[str]) -> tuple[list[int], list[int]]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:_EDGE], filled[-_EDGE:]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _furniture(pages: list[list[str]]) -> list[set[int]]:
    """Each page's lines that are page numbers, or repeated at the same place (the first or second line from the
    top, the last or last but one) of most pages: a signature at the end that repeats the title at the start,
    or the second line of a short page, is not a running header."""
    seen: dict[tuple[int, int, str], int] = {}
    for lines in pages:
        for edge, where in enumerate(_edges(lines)):
            for place, i in enumerate(where if edge == 0 else where[::-1]):
                seen[edge, place, _shape(lines[i])] = seen.get((edge, place, _shape(lines[i])), 0) + 1
    running = {key for key, n in seen.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2) and key[2]}
    drops = []
    for lines in pages:
        drop = set()
        for edge, where in enumerate(_edges(lines)):
            for place, i in enumerate(where if edge == 0 else where[::-1]):
                if _PAGE_NUMBER.match(lines[i]) or (edge, place, _shape(lines[i])) in running:
                    drop.add(i)
        drops.append(drop)
    return drops


_MIN_RULES = 6  # drawn lines on a page before it is searched for ruled tables
_HEAD = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．]|第[一二三四五六七八九十]+[章条部])"
)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float
    table: bool = False


def _join(words: list[tuple], gap_cell: float | None = None) -> str:
    """Words of one line, left to right: CJK neighbours touch, ASCII words get a space, a wide gap (a column
    of an unruled table) keeps three."""
    out = ""
    prev = None
    for w in sorted(words, key=lambda w: w[0]):
        if prev is not None:
            gap = w[0] - prev[2]
            size = max(1.0, prev[3] - prev[1])
            if gap_cell is None and gap > size:
                out += "   "
            elif gap > 0.15 * size or (out[-1:].isascii() and w[4][:1].isascii() and out[-1:].isalnum() and w[4][:1].isalnum()):
                out += " "
        out += w[4]
        prev = w
    return out


def _lines_of(words: list[tuple]) -> list[list[tuple]]:
    """Words grouped by baseline, top to bottom."""
    lines: list[list[tuple]] = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        mid, size = (w[1] + w[3]) / 2, w[3] - w[1]
        if lines:
            last = lines[-1][-1]
            if abs((last[1] + last[3]) / 2 - mid) < 0.5 * max(size, last[3] - last[1]):
                lines[-1].append(w)
                continue
        lines.append([w])
    return lines


def _cell_text(words: list[tuple], rect: tuple) -> str:
    x0, y0, x1, y1 = rect
    inside = [w for w in words if x0 <= (w[0] + w[2]) / 2 <= x1 and y0 <= (w[1] + w[3]) / 2 <= y1]
    return "".join(_join(line, gap_cell=0) for line in _lines_of(inside)).strip()


def _ruled_tables(page: object) -> list:
    """The page's ruled tables, by its drawn lines only: PyMuPDF 2's layout model (an ONNX network, 15 times
    slower) is not needed for tables drawn with rules."""
    try:
        return page.find_tables(use_layout=False).tables  # type: ignore[attr-defined]
    except TypeError:  # a PyMuPDF without the layout model
        return page.find_tables().tables  # type: ignore[attr-defined]


def _page_lines(page: object) -> list[_Line]:
    words = page.get_text("words")  # type: ignore[attr-defined]
    tables = _ruled_tables(page) if len(page.get_cdrawings()) >= _MIN_RULES else []  # type: ignore[attr-defined]
    out: list[_Line] = []
    boxes = []
    for table in tables:
        boxes.append(table.bbox)
        grid = [["" if c is None else _cell_text(words, c) for c in row.cells] for row in table.rows]
        # a column empty in every row is an artifact of rules that do not line up (two tables drawn as one)
        filled = [i for i in range(max((len(r) for r in grid), default=0)) if any(i < len(r) and r[i] for r in grid)]
        row_lines = []
        for row, cells in zip(table.rows, grid, strict=True):
            cells = [cells[i] if i < len(cells) else "" for i in filled]
            if any(cells):
                row_lines.append(_Line("\t".join(cells).rstrip("\t"), row.bbox[0], row.bbox[2], row.bbox[1], 0, True))
        if len(row_lines) >= 2 and max(line.text.count("\t") for line in row_lines) >= 1:
            out.extend(row_lines)
        else:
            boxes.pop()  # a frame around text, not a table: read its text as lines
    outside = [
        w for w in words if not any(b[0] <= (w[0] + w[2]) / 2 <= b[2] and b[1] <= (w[1] + w[3]) / 2 <= b[3] for b in boxes)
    ]
    for line in _lines_of(outside):
        size = max(w[3] - w[1] for w in line)
        out.append(_Line(_join(line), min(w[0] for w in line), max(w[2] for w in line), min(w[1] for w in line), size))
    out.sort(key=lambda line: line.y)
    return out


def _unwrap(lines: list[_Line], left: float, right: float) -> list[str]:
    """Lines of a page's text, a prose line that runs to the right edge of the text (``left`` to ``right``, the
    same on every page) joined to the line it wraps into, unless it ends a sentence."""
    out: list[str] = []
    joining = False
    for i, line in enumerate(lines):
        text = line.text
        if joining and not line.table and not _HEAD.match(text) and line.x0 <= left + 2 * line.size:
            sep = " " if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and text[:1].isascii() and text[:1].isalnum() else ""
            out[-1] += sep + text.strip()
        else:
            out.append(text)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        joining = (
            not line.table
            and "   " not in text.strip()
            and not text.rstrip().endswith(("。", "：", ":", "；", "！", "？"))
            and line.x1 >= right - 1.5 * line.size
            and nxt is not None
            and not nxt.table
            and 0 < nxt.y - line.y < 2.5 * line.size
        )
    return out


def pdf_text(data: bytes) -> str:
    import pymupdf

    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own types for broken files
        raise Unreadable(f"PDF 文件无法打开（{exc}），已跳过；请重新下载或另存为 PDF") from exc
    with document:
        pages = [_page_lines(page) for page in document]
    drops = _furniture([[line.text for line in lines] for lines in pages])
    kept = [[line for i, line in enumerate(lines) if i not in drop] for lines, drop in zip(pages, drops, strict=True)]
    prose = [line for lines in kept for line in lines if not line.table and line.text.strip()]
    left = min((line.x0 for line in prose), default=0.0)
    right = max((line.x1 for line in prose), default=0.0)
    text_pages = [_unwrap(lines, left, right) for lines in kept]
    text = "\n".join("\n".join(lines) for lines in text_pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise Unreadable("PDF 没有文字层（可能是扫描件），无法读取；请提供带文字的 PDF 或文本版")
    return text

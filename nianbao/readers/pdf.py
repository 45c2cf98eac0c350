"""A PDF with a text layer -> the report's lines, page furniture removed.

A ruled table (found from the page's drawn rules alone: rules that cross make
one table, a missing rule between two grid positions merges them) comes out one
row a line, its cells tab-separated, a cell's wrapped lines joined, a merged
cell's other grid positions empty: the form the html and docx readers give. The rest of the page is read in reading order
(words on one baseline make one line) and a prose line that runs to the right
edge of the text is joined to the line it wraps into, so a sentence such as
"特编制2023年政府 / 信息公开年度报告" reads as printed.
Page numbers ("- 1 -", "第 1 页", "1/6") at the top or bottom of a page, and running
headers and footers (the same line at the top or bottom of most pages), never
reach the parser. A PDF with no
text layer (a scan) is reported as such: there is no OCR here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from nianbao.parse import vocab
from nianbao.readers.text import Unreadable

_PAGE_NUMBER = re.compile(rf"^\s*(?:{vocab.PAGE_MARK}|\d+\s*/\s*\d+|\d{{1,3}})\s*$")


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


# a word of the text layer, as get_text("words") gives it: x0, y0, x1, y1, text, block, line, word number
Word = tuple[float, float, float, float, str, int, int, int]
Rule = tuple[float, float, float]  # a drawn rule: horizontal (y, x0, x1), vertical (x, y0, y1)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float
    table: bool = False


def _join(words: list[Word], gap_cell: float | None = None) -> str:
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


def _lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped by baseline, top to bottom."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        mid, size = (w[1] + w[3]) / 2, w[3] - w[1]
        if lines:
            last = lines[-1][-1]
            if abs((last[1] + last[3]) / 2 - mid) < 0.5 * max(size, last[3] - last[1]):
                lines[-1].append(w)
                continue
        lines.append([w])
    return lines


_TOL = 2.0  # points: rules this close are one rule, a rule this short of a crossing still meets it


def _segments(page: object) -> tuple[list[Rule], list[Rule]]:
    """The page's drawn rules: horizontal (y, x0, x1) and vertical (x, y0, y1). A stroked line or rectangle edge
    is a rule, and so is a filled rectangle thin enough to be one; a filled background is not."""
    across: list[Rule] = []
    down: list[Rule] = []
    for path in page.get_cdrawings():  # type: ignore[attr-defined]
        stroked = "s" in (path.get("type") or "")
        for item in path["items"]:
            if item[0] == "l" and stroked:
                (x0, y0), (x1, y1) = item[1], item[2]
                if abs(y0 - y1) < 1:
                    across.append((y0, min(x0, x1), max(x0, x1)))
                elif abs(x0 - x1) < 1:
                    down.append((x0, min(y0, y1), max(y0, y1)))
            elif item[0] == "re":
                x0, y0, x1, y1 = item[1]
                if y1 - y0 < _TOL:
                    across.append(((y0 + y1) / 2, x0, x1))
                elif x1 - x0 < _TOL:
                    down.append(((x0 + x1) / 2, y0, y1))
                elif stroked:
                    across += [(y0, x0, x1), (y1, x0, x1)]
                    down += [(x0, y0, y1), (x1, y0, y1)]
    return across, down


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _covered(rules: list[Rule], at: float, lo: float, hi: float) -> bool:
    """Whether a rule at ``at`` runs through the middle of the span lo..hi."""
    mid = (lo + hi) / 2
    return any(abs(pos - at) <= _TOL and a - _TOL <= mid <= b + _TOL for pos, a, b in rules)


Table = tuple[tuple[float, float, float, float], list[float], list[float], list[list[tuple[int, int]]]]


def _ruled_tables(page: object) -> list[Table]:
    """The page's ruled tables from its drawn rules alone (PyMuPDF's find_tables spent most of its time reading
    the characters, which we read anyway): for each, its box, its column and row edges, and for each grid
    position the (row, column) of the cell covering it (a merged cell covers several)."""
    across, down = _segments(page)
    if len(across) < 2 or len(down) < 2:
        return []
    parent = list(range(len(across) + len(down)))  # rules that cross or touch belong to one table

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(across):
        for j, (x, y0, y1) in enumerate(down):
            if x0 - _TOL <= x <= x1 + _TOL and y0 - _TOL <= y <= y1 + _TOL:
                parent[find(i)] = find(len(across) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, rule in enumerate(across):
        groups.setdefault(find(i), ([], []))[0].append(rule)
    for j, rule in enumerate(down):
        groups.setdefault(find(len(across) + j), ([], []))[1].append(rule)
    tables = []
    for h, v in groups.values():
        ys, xs = _snap([r[0] for r in h]), _snap([r[0] for r in v])
        if len(ys) < 3 or len(xs) < 3:
            continue
        nrow, ncol = len(ys) - 1, len(xs) - 1
        owner = [[(r, c) for c in range(ncol)] for r in range(nrow)]
        for r in range(nrow):
            for c in range(ncol):
                if c + 1 < ncol and not _covered(v, xs[c + 1], ys[r], ys[r + 1]):
                    owner[r][c + 1] = owner[r][c]
                if r + 1 < nrow and not _covered(h, ys[r + 1], xs[c], xs[c + 1]):
                    owner[r + 1][c] = owner[r][c]
        tables.append(((xs[0], ys[0], xs[-1], ys[-1]), xs, ys, owner))
    return tables


def _at(edges: list[float], pos: float) -> int:
    """The row or column between ``edges`` that ``pos`` falls in."""
    return min(max(bisect.bisect_right(edges, pos) - 1, 0), len(edges) - 2)


def _cut(page: object, word: Word, xs: list[float], owners: list[tuple[int, int]]) -> list[Word]:
    """A word of the text layer cut where a ruled column edge runs through it: a text layer may run a label and
    the figure in the next cell together ("4.保护第三方合法权益6") when nothing but a rule stands between them."""
    first, last = _at(xs, word[0] + 0.5), _at(xs, word[2] - 0.5)
    if owners[first] == owners[last]:
        return [word]
    chars = [
        (ch["bbox"], ch["c"])
        for block in page.get_text("rawdict", clip=word[:4])["blocks"]  # type: ignore[attr-defined]
        for line in block.get("lines", ())
        for span in line["spans"]
        for ch in span["chars"]
        if word[0] <= (ch["bbox"][0] + ch["bbox"][2]) / 2 <= word[2] and not ch["c"].isspace()
    ]
    parts: dict[tuple[int, int], list[tuple[tuple[float, float, float, float], str]]] = {}
    for bbox, c in sorted(chars, key=lambda ch: ch[0][0]):
        parts.setdefault(owners[_at(xs, (bbox[0] + bbox[2]) / 2)], []).append((bbox, c))
    if len(parts) < 2 or "".join(c for p in parts.values() for _, c in p) != word[4]:
        return [word]  # the characters do not spell the word: keep it whole
    return [(p[0][0][0], word[1], p[-1][0][2], word[3], "".join(c for _, c in p), *word[5:]) for p in parts.values()]


def _cell_text(words: list[Word]) -> str:
    return "".join(_join(line, gap_cell=0) for line in _lines_of(words)).strip()


def _page_lines(page: object) -> list[_Line]:
    words = page.get_text("words")  # type: ignore[attr-defined]
    tables = _ruled_tables(page) if len(page.get_cdrawings()) >= _MIN_RULES else []  # type: ignore[attr-defined]
    out: list[_Line] = []
    boxes = []
    for box, xs, ys, owner in tables:
        words_of: dict[tuple[int, int], list[Word]] = {}
        for word in words:
            cx, cy = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
            if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                r = _at(ys, cy)
                for w in _cut(page, word, xs, owner[r]):
                    words_of.setdefault(owner[r][_at(xs, (w[0] + w[2]) / 2)], []).append(w)
        grid = [
            [_cell_text(words_of.get((r, c), [])) if owner[r][c] == (r, c) else "" for c in range(len(xs) - 1)]
            for r in range(len(ys) - 1)
        ]
        # a column empty in every row is an artifact of rules that do not line up (two tables drawn as one)
        filled = [c for c in range(len(xs) - 1) if any(row[c] for row in grid)]
        row_lines = []
        for r, row in enumerate(grid):
            cells = [row[c] for c in filled]
            if any(cells):
                row_lines.append(_Line("\t".join(cells).rstrip("\t"), box[0], box[2], ys[r], 0, True))
        if len(row_lines) >= 2 and max(line.text.count("\t") for line in row_lines) >= 1:
            out.extend(row_lines)
            boxes.append(box)  # else a frame around text, not a table: its text is read as lines
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
        pages = [_page_lines(document[number]) for number in range(document.page_count)]
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

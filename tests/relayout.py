"""Metamorphic corpus (issue 19): every report with gold, its tables re-laid into each form a table takes.

A report is read once into blocks: prose lines, and tables as a grid (``None`` marks a grid position a merged
cell covers). The text sources (seeds, ``corpus/real``) are read back into grids from whatever form the page
had (pipe, tab, space-separated, one cell per line or per paragraph); the corpus PDF from its drawn table lines.
Then each form is written the way real documents in that form look:

- ``tab``: copied out of Word: one row a line, a merged cell's other positions empty;
- ``pipe``: page text as a search index stores it: ``a | b | c |``, merged positions left out;
- ``markdown``: a PDF-to-Markdown converter's pipe table: one table, header separator, merged positions empty;
- ``ocr``: the same table as OCR of a scan converts it: a label wider than its column goes on in a row of
  its own, and in every third row of figures the rule between two cells is lost (``12 148`` in one cell, the
  row's later cells shifted left);
- ``cells``: one cell per paragraph (a crawler that turns each ``<td>`` into a paragraph), empty cells lost;
- ``spaces``: page text whose cells a single space separates (``规章 0 0 0``), empty cells lost;
- ``padded``: ``pdftotext -layout``: columns padded with spaces by display width;
- ``runs``: a crawler that drops the cell boundaries: ``(一)予以公开5000005``;
- ``html``: a saved page of an older site (GB2312): chrome around a layout table whose cell holds the article, and the
  report's ``<table>`` with rowspan/colspan inside it;
- ``docx``: a Word table with merged cells;
- ``pdf``: a reportlab table with spans, in a CJK font.

Chrome is added to the text as found: a crawler header, a breadcrumb, a footer, or all of it in Traditional script.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"

Cell = str | None
Grid = list[list[Cell]]
Block = str | Grid

FORMS = ("tab", "pipe", "markdown", "ocr", "cells", "spaces", "padded", "runs", "html", "docx", "pdf")
CHROMES = ("crawler", "breadcrumb", "footer", "traditional")
SUFFIX = {"html": ".html", "docx": ".docx", "pdf": ".pdf", "markdown": ".md", "ocr": ".md"}


@dataclass(frozen=True)
class Source:
    name: str  # file stem
    blocks: list[Block]
    gold: dict[str, object]
    text: str | None = None  # the text as found (None for the PDF)


# ---- reading the sources back into grids ---------------------------------------------------------------------

_VALUE = re.compile(r"^(?:-?\d[\d,]*(?:\.\d+)?\s*(?:元|万元|件|条)?|/|-|—|无|)$")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、\S*(?:情况|事项)\s*$")
_HEAD_ROW = re.compile(r"^(?:第二十条|信息内容|[(（]本列|自然人|商业\s*企业|行政复议)")
_CAPTION = re.compile(r"^第二十条")
_PROSE = re.compile(r"[，。；,;:：]")


def _is_value(cell: str) -> bool:
    return bool(_VALUE.match(cell.strip()))


def level(label: str) -> int:
    """0 for 一、 (or an unmarked label), 1 for (一), 2 for 1. / 1、"""
    if re.match(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]", label):
        return 1
    if re.match(r"^\d+\s*[.、．]", label):
        return 2
    return 0


def _row(cells: list[str]) -> tuple[list[str], list[str]]:
    """A row's cells -> (labels, values): values are the trailing value-like cells, trailing blanks dropped."""
    cells = [c.strip() for c in cells]
    i = len(cells)
    while i and _is_value(cells[i - 1]):
        i -= 1
    labels, values = [c for c in cells[:i] if c], cells[i:]
    if not any(values) and (not labels or len(labels) > 3 or _HEAD_ROW.match(labels[0]) or _CAPTION.match(labels[0])):
        return labels, []  # a caption or header padded with empty cells (a row label has at most three levels)
    while any(values) and not values[-1]:
        values.pop()
    return labels, values


def _stream_rows(cells: list[str]) -> list[tuple[list[str], list[str]]]:
    """One cell per line or paragraph -> rows: a row's labels are the trailing chain of labels before its values
    (三、本年度办理结果 > (一)予以公开); the labels before them are header rows, split where a header row starts."""
    rows: list[tuple[list[str], list[str]]] = []
    labels: list[str] = []
    values: list[str] = []

    def flush() -> None:
        if not labels and not values:
            return
        k = len(labels) - 1 if values else len(labels)
        while values and k > 0 and level(labels[k - 1]) < level(labels[k]) and not _HEAD_ROW.match(labels[k - 1]):
            k -= 1
        header: list[str] = []
        for cell in labels[:k]:
            if header and (_HEAD_ROW.match(cell) or _CAPTION.match(header[0])):
                rows.append(_row(header))
                header = []
            header.append(cell)
        if header:
            rows.append(_row(header))
        if k < len(labels) or values:
            rows.append(_row(labels[k:] + values))
        labels.clear()
        values.clear()

    for cell in cells:
        if _is_value(cell):
            values.append(cell)
        else:
            if values:
                flush()
            labels.append(cell)
    flush()
    return rows


def _grid(rows: list[tuple[list[str], list[str]]]) -> Grid:
    """Rows of (labels, values) -> the printed grid: label columns as deep as the deepest row (a parent label
    spans its children's rows), value columns as wide as the widest row (a short row's last cell spans the rest).
    A row with more values than most, the extra ones empty and first, had a label spanning two columns."""
    counts = Counter(len(v) for _, v in rows if v)
    usual = counts.most_common(1)[0][0] if counts else 0
    rows = [(lab, v[len(v) - usual :] if len(v) > usual and not any(v[: len(v) - usual]) else v) for lab, v in rows]
    paths: list[list[str]] = []
    stack: list[str] = []
    for labels, values in rows:
        if not values:
            paths.append(labels)
            continue
        if not any(values) and labels and level(labels[0]) == 0 and stack:  # a wrapped label's tail: keep the stack
            paths.append(labels)
            continue
        if labels:
            lv = level(labels[0])
            stack = stack[:lv] if lv and len(stack) >= lv else []
            stack = stack + labels
        else:
            stack = []
        paths.append(list(stack))
    depth = max((len(p) for p, (_, v) in zip(paths, rows, strict=True) if v), default=1)
    width = max((len(v) for _, v in rows), default=1)
    if depth == 0:  # no row has a label (the review table): the header rows stand over the value columns
        width = max(width, max((len(lab) for lab, v in rows if not v), default=1))
        return [_spread(labels, width) if not values else _spread(values, width) for labels, values in rows if labels or values]
    width = max(width, max((len(lab) - 1 for lab, v in rows if not v), default=1), 1)
    grid: Grid = []
    above: list[str] = []
    spanning_header = False
    for path, (labels, values) in zip(paths, rows, strict=True):
        if not values:  # header or caption row
            if not labels:
                continue
            if _CAPTION.match(labels[0]) or len(labels) == 1:
                grid.append([labels[0]] + [None] * (depth + width - 1))
                spanning_header = False
                continue
            if labels[0].startswith(("(本列", "（本列")):
                grid.append([labels[0]] + [None] * (depth - 1) + _spread(labels[1:], width))
                spanning_header = True
                continue
            if spanning_header:
                grid.append([None] * depth + _spread(labels, width))
                continue
            grid.append([labels[0]] + [None] * (depth - 1) + _spread(labels[1:], width))
            continue
        spanning_header = False
        cells: list[Cell] = []
        for i in range(depth):
            if i < len(path) - 1 or (i == len(path) - 1):
                same_parent = i < len(path) - 1 and i < len(above) and above[i] == path[i] and above[: i + 1] == path[: i + 1]
                cells.append(None if same_parent else path[i])
            else:
                cells.append(None)  # the row's last label spans the remaining label columns
        if not path:
            cells = [None] * depth if depth and any(p for p in paths if p) else []
        cells += _spread(values, width)
        grid.append(cells)
        above = path
    return grid


# the template's header rows whose cells span columns or rows: (cells, table width) -> the cell at each column
_R = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_KNOWN_HEADERS: dict[tuple[tuple[str, ...], int], list[int | None]] = {
    (("自然人", "法人或其他组织", "总计"), 7): [0, 1, None, None, None, None, 2],
    (("行政复议", "行政诉讼"), 15): [0, None, None, None, None, 1, *[None] * 9],
    ((*_R, "未经复议直接起诉", "复议后起诉"), 15): [0, 1, 2, 3, 4, 5, None, None, None, None, 6, None, None, None, None],
    (_R + _R, 15): [None] * 5 + list(range(10)),
}


def _spread(cells: list[str], width: int) -> list[Cell]:
    """``cells`` over ``width`` columns: a short row's last cell spans the rest."""
    key = tuple(re.sub(r"\s", "", c) for c in cells)
    if (key, width) in _KNOWN_HEADERS:
        return [cells[i] if i is not None else None for i in _KNOWN_HEADERS[key, width]]
    cells = cells[:width] if len(cells) > width else cells
    return list(cells) + [None] * (width - len(cells)) if cells else [""] + [None] * (width - 1)


def text_blocks(text: str) -> list[Block]:
    """A report's text -> prose lines and table grids. A page whose tables have ``|`` or tab separators is read
    line by line; any other page paragraph by paragraph (a cell may wrap over lines), from a table's first
    caption (第二十条…, 信息内容, (本列数据…), 行政复议) to the next prose paragraph."""
    lines = text.splitlines()
    multi = any("|" in line or "\t" in line for line in lines)
    units: list[list[str]] = []
    for line in lines:
        if multi or not line.strip() or not units or not units[-1][-1].strip():
            units.append([line])
        else:
            units[-1].append(line)
    blocks: list[Block] = []
    run: list[list[str]] = []  # the current table's lines, each split into cells

    def end_run() -> None:
        if run:
            if sum(len([c for c in cells if c.strip()]) <= 1 for cells in run) > len(run) * 0.7:
                rows = _stream_rows([c for cells in run for c in cells if c.strip() or len(cells) == 1])
            else:
                rows = [_row(cells) for cells in run]
            blocks.append(_grid(rows))
            run.clear()

    for i, unit in enumerate(units):
        first = unit[0].strip()
        if multi:
            if "|" in unit[0] or "\t" in unit[0]:
                run.append(_split(unit[0]))
                continue
            if not first and run and i + 1 < len(units) and ("|" in units[i + 1][0] or "\t" in units[i + 1][0]):
                continue
        elif first and (run or _starts_table(first)) and not _is_prose(unit):
            rows = [line.split() for line in unit]
            if any(len(r) > 1 and all(_is_value(c) for c in r[1:]) for r in rows):  # space-separated rows
                run.extend(r if len(r) > 1 and (_is_value(r[-1]) or r[0] == "信息内容") else ["".join(r)] for r in rows)
            else:
                run.append(["".join(line.strip() for line in unit)])
            continue
        elif not first and run:
            continue
        end_run()
        blocks.extend(unit)
    end_run()
    return blocks


def _starts_table(line: str) -> bool:
    return bool(re.match(r"^(?:第二十条|信息内容|[(（]本列|行政复议)", line))


def _is_prose(unit: list[str]) -> bool:
    joined = "".join(line.strip() for line in unit)
    if _starts_table(joined):
        return False
    return bool(_HEADING.match(joined)) or (len(joined) > 40 and bool(_PROSE.search(joined)))


def _split(line: str) -> list[str]:
    if "|" in line:
        cells = [c.strip() for c in line.strip().split("|")]
        return cells[:-1] if cells and cells[-1] == "" else cells
    return line.rstrip("\n").split("\t")


def _ruled(page: object) -> list[object]:
    """The page's tables found from its drawn rules: PyMuPDF 1.26 reads only those; 2.0 needs ``use_layout=False``
    to leave out its ONNX layout model, which is slow."""
    try:
        return page.find_tables(use_layout=False).tables  # type: ignore[attr-defined, no-any-return]
    except TypeError:  # PyMuPDF 1.26 (the pinned one) has no use_layout
        return page.find_tables().tables  # type: ignore[attr-defined, no-any-return]


def pdf_blocks(path: Path) -> list[Block]:
    """A PDF -> prose lines and the grids of its ruled tables (a table continued on the next page is one)."""
    import pymupdf

    blocks: list[Block] = []
    with pymupdf.open(path) as doc:
        for page in doc:
            tables = _ruled(page)
            words = page.get_text("words")
            items: list[tuple[float, Block]] = []
            for t in tables:
                grid: Grid = []
                for row in t.rows:
                    grid.append([None if c is None else _words_in(words, pymupdf.Rect(c)) for c in row.cells])
                items.append((t.bbox[1], grid))
            boxes = [pymupdf.Rect(t.bbox) for t in tables]
            for x0, y0, x1, y1, text, *_ in page.get_text("blocks"):
                r = pymupdf.Rect(x0, y0, x1, y1)
                if any(b.contains((r.tl + r.br) / 2) for b in boxes) or re.fullmatch(r"\s*[-—]?\s*\d+\s*[-—]?\s*", text):
                    continue
                items.append((y0, text.rstrip("\n")))
            for _, item in sorted(items, key=lambda it: it[0]):
                if (isinstance(item, list) and blocks and isinstance(blocks[-1], list) and item and item[0][0] in ("", None)) or (
                    isinstance(item, list)
                    and blocks
                    and isinstance(blocks[-1], list)
                    and not re.match(r"^[(（]本列|行政复议", item[0][0] or "")
                ):
                    _continue(blocks[-1], item)
                elif isinstance(item, list):
                    blocks.append(item)
                else:
                    blocks.extend(item.split("\n"))
    return blocks


def _continue(grid: Grid, more: Grid) -> None:
    width = max(len(grid[0]), len(more[0]))
    for row in grid:
        row.extend([None] * (width - len(row)))
    for row in more:
        grid.append([*row, *[None] * (width - len(row))])


def _words_in(words: list[tuple], rect: object) -> str:
    import pymupdf

    inside = [w for w in words if rect.contains(pymupdf.Point((w[0] + w[2]) / 2, (w[1] + w[3]) / 2))]  # type: ignore[attr-defined]
    inside.sort(key=lambda w: (round(w[1] / 6), w[0]))
    return "".join(w[4] for w in inside)


def sources() -> list[Source]:
    """Every report with gold: the seeds, ``corpus/real``, the corpus PDF."""
    out = []
    pairs = [(p, SHARED / "eval" / "gold" / f"{p.stem}.json") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    pairs += [(p, SHARED / "eval" / "gold-real" / f"{p.stem}.json") for p in sorted((SHARED / "corpus" / "real").glob("*.txt"))]
    for path, gold in pairs:
        if gold.exists():
            text = path.read_text(encoding="utf-8")
            out.append(Source(path.stem, text_blocks(text), json.loads(gold.read_text(encoding="utf-8"))["fields"], text))
    pdf = SHARED / "corpus" / "huaian_city_2024.pdf"
    gold = SHARED / "eval" / "gold-corpus" / "huaian_city_2024.json"
    if pdf.exists() and gold.exists():
        out.append(Source(pdf.stem, pdf_blocks(pdf), json.loads(gold.read_text(encoding="utf-8"))["fields"]))
    return out


# ---- writing the forms --------------------------------------------------------------------------------------


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def table_lines(grid: Grid, form: str) -> list[str]:
    if form == "tab":
        return ["\t".join(c or "" for c in row) for row in grid]
    if form == "pipe":
        return [" | ".join(c for c in row if c is not None) + " |" for row in grid]
    if form in ("markdown", "ocr"):
        rows = _ocr(grid) if form == "ocr" else grid
        lines = ["| " + " | ".join((c or "").replace("|", "\\|") for c in row) + " |" for row in rows]
        return [lines[0], "|" + "---|" * len(rows[0]), *lines[1:]] if lines else []
    if form == "cells":
        return [line for row in grid for c in row if c for line in (c, "")]
    if form == "spaces":
        return [" ".join(c for c in row if c) for row in grid]
    if form == "runs":
        return ["".join(c for c in row if c) for row in grid]
    if form == "padded":
        return _padded(grid)
    raise ValueError(form)


def _ocr(grid: Grid) -> Grid:
    out: Grid = []
    figures = 0
    for row in grid:
        first = next((i for i, c in enumerate(row) if c and _is_value(c)), None)
        if first is None or not any(c and not _is_value(c) for c in row):
            out.append(list(row))
            continue
        row = list(row)
        tails = []
        for i, c in enumerate(row[:first]):
            if c and _width(c) > 24:
                head, *rest = _wrap(c, 24)
                row[i] = head
                tails.append((i, "".join(rest)))
        figures += 1
        if figures % 3 == 0 and len(row) - first >= 3:  # a lost rule: the last two applicant cells read as one
            k = len(row) - 3
            row = [*row[:k], f"{row[k] or ''} {row[k + 1] or ''}".strip(), row[k + 2], ""]
        out.append(row)
        if tails:
            more: list[Cell] = [""] * len(row)
            for i, tail in tails:
                more[i] = tail
            out.append(more)
    return out


def _wrap(text: str, width: int) -> list[str]:
    lines = [""]
    for ch in text:
        if _width(lines[-1] + ch) > width:
            lines.append("")
        lines[-1] += ch
    return lines


def _padded(grid: Grid) -> list[str]:
    """``pdftotext -layout``: columns padded with spaces; a label wider than its column (at most 24 half-width
    characters; a header 12) wraps inside it, and the row's other cells print on the middle one of its lines."""
    ncol = max(len(r) for r in grid)
    rows = [list(r) + [None] * (ncol - len(r)) for r in grid]
    caps = [
        24 if any(r[i] and not _is_value(r[i]) and not _HEAD_ROW.match(r[0] or "") for r in rows) else 12 for i in range(ncol)
    ]
    widths = [min(caps[i], max((_width(r[i] or "") for r in rows), default=0)) for i in range(ncol)]
    out = []
    for row in rows:
        if row[0] and row[1:] and all(c is None for c in row[1:]):  # a caption over the whole table
            out.append(row[0])
            continue
        spans: list[list] = []  # [width with the merged positions to its right, text]
        for i, c in enumerate(row):
            if c is None and spans:
                spans[-1][0] += 3 + widths[i]
            else:
                spans.append([widths[i], c or ""])
        cells = [(w, _wrap(text, max(w, 1))) for w, text in spans]
        height = max(len(lines) for _, lines in cells)
        for k in range(height):
            parts = []
            for width, lines in cells:
                top = (height - len(lines)) // 2
                piece = lines[k - top] if 0 <= k - top < len(lines) else ""
                parts.append(piece + " " * (width - _width(piece)))
            out.append("   ".join(parts).rstrip())
    return out


def plain_text(blocks: list[Block], form: str) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
        else:
            out.extend(table_lines(block, form))
    text = "\n".join(out)
    return text + "\n"


def _spans(grid: Grid) -> list[list[tuple[int, int, int, str]]]:
    """Each row's origin cells as (column, rowspan, colspan, text): a None to the right of a cell widens it, a
    run of Nones below it (as wide as it) deepens it; a None nobody claims is an empty cell."""
    ncol = max(len(r) for r in grid)
    g = [list(r) + [None] * (ncol - len(r)) for r in grid]
    claimed = [[False] * ncol for _ in g]
    out: list[list[tuple[int, int, int, str]]] = []
    for r, row in enumerate(g):
        cells = []
        c = 0
        while c < ncol:
            if claimed[r][c]:
                c += 1
                continue
            text = row[c] if row[c] is not None else ""
            cs = 1
            if row[c] is not None:
                while c + cs < ncol and g[r][c + cs] is None and not claimed[r][c + cs]:
                    cs += 1
            rs = 1
            if row[c] is not None:
                while r + rs < len(g) and all(g[r + rs][k] is None and not claimed[r + rs][k] for k in range(c, c + cs)):
                    rs += 1
            for dr in range(rs):
                for dc in range(cs):
                    claimed[r + dr][c + dc] = True
            cells.append((c, rs, cs, text))
            c += cs
        out.append(cells)
    return out


_SITE_TOP = """<div class="topbar">无障碍 | 长者助手 | 登录 注册</div>
<div class="header"><div class="logo">政府门户网站</div><ul class="nav"><li><a href="/">首页</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="toolbar">【字体：大 中 小】 【打印本页】 【关闭窗口】 分享到：</div>"""
_FOOTER = (
    "网站地图 | 联系我们 | 隐私声明",
    "主办：本站 ICP备05012345号-1 网站标识码：3302000001",
    "公安机关备案号 33020602000123",
)
_SITE_FOOT = '<div class="footer">' + "".join(f"<p>{line}</p>" for line in _FOOTER) + "</div>"


def html_page(blocks: list[Block]) -> str:
    body: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                body.append(f"<p>{html.escape(block.strip())}</p>")
            continue
        rows = []
        for cells in _spans(block):
            tds = []
            for _, rs, cs, text in cells:
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                tds.append(f"<td{attrs}><p>{html.escape(text)}</p></td>")
            rows.append("<tr>" + "".join(tds) + "</tr>")
        body.append('<table border="1" cellspacing="0"><tbody>' + "\n".join(rows) + "</tbody></table>")
    content = "\n".join(body)
    return (
        '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>政府信息公开工作年度报告</title>"
        "<script>var _hmt = _hmt || [];</script></head>\n<body>\n"
        f'{_SITE_TOP}\n<table width="1000" align="center"><tr><td width="200" class="left">'
        '<ul><li><a href="/zwgk/gknb/">政府信息公开年报</a></li><li><a href="/zwgk/zn/">政府信息公开指南</a></li></ul></td>\n'
        f'<td class="bt_content"><div class="TRS_Editor">\n{content}\n</div></td></tr></table>\n{_SITE_FOOT}\n</body></html>\n'
    )


def docx_bytes(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        ncol = max(len(r) for r in block)
        table = document.add_table(rows=len(block), cols=ncol)
        table.style = "Table Grid"
        for r, cells in enumerate(_spans(block)):
            for c, rs, cs, text in cells:
                cell = table.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
                cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_font() -> str:
    """STSong-Light, registered: one of the Adobe CJK fonts reportlab knows; no TrueType CJK font is needed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    return font


def pdf_story(
    blocks: list[Block],
    body: tuple[float, float],
    cell: tuple[float, float],
    table: Callable[[Grid, list[list[object]], list[Span]], object],
) -> list[object]:
    """The flowables of a PDF of ``blocks``: prose as paragraphs, each table as ``table(grid, cells, spans)`` makes it
    from its cells (labels wrap inside their cell; a figure is one string and never wraps) and merged cells."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    font = pdf_font()
    body_style = ParagraphStyle("body", fontName=font, fontSize=body[0], leading=body[1], wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=cell[0], leading=cell[1], wordWrap="CJK")
    story: list[object] = []
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                story.append(Paragraph(html.escape(block.strip()), body_style))
            continue
        data: list[list[object]] = [[""] * max(len(r) for r in block) for _ in block]
        spans: list[Span] = []
        for r, cells in enumerate(_spans(block)):
            for c, rs, cs, text in cells:
                data[r][c] = text if _is_value(text) else Paragraph(html.escape(text), cell_style)
                if rs > 1 or cs > 1:
                    spans.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        story.append(table(block, data, spans))
    return story


Span = tuple[str, tuple[int, int], tuple[int, int]]


def column_widths(grid: Grid, label_width: tuple[float, float], total: float) -> list[float]:
    """Widths of a table's columns: its label columns share ``label_width`` (the first for one label column, the
    second for more), the figures the rest of ``total``."""
    ncol = max(len(r) for r in grid)
    if ncol == 1:
        return [total]
    labels = min(max(1, first_value_column(grid)), ncol - 1)
    width = label_width[0] if labels == 1 else label_width[1]
    return [width / labels] * labels + [(total - width) / (ncol - labels)] * (ncol - labels)


def first_value_column(grid: Grid) -> int:
    """The first column that holds a figure in any row of ``grid`` (1 if none does)."""
    rows = [row for row in grid if any(x and _is_value(x) for x in row)]
    return min((next(i for i, x in enumerate(row) if x and _is_value(x)) for row in rows), default=1)


def pdf_bytes(blocks: list[Block]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    font = pdf_font()

    def table(grid: Grid, data: list[list[object]], spans: list[Span]) -> object:
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONT", (0, 0), (-1, -1), font, 6.5),
        ]
        return Table(data, colWidths=column_widths(grid, (200, 240), 430), style=TableStyle(style + spans))

    story = pdf_story(blocks, (10.5, 16), (6.5, 8), table)
    buf = io.BytesIO()

    def page_number(canvas: object, doc: object) -> None:  # "- N -" at the foot of every page, as printed reports have
        canvas.setFont(font, 9)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]

    template = SimpleDocTemplate(buf, pagesize=A4, title="report", leftMargin=80, rightMargin=80)
    template.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()


# ---- chrome -------------------------------------------------------------------------------------------------


def _title(blocks: list[Block]) -> str:
    for block in blocks[:6]:
        if isinstance(block, str) and "报告" in block and len(block.strip()) < 60 and not _PROSE.search(block):
            return block.strip()
    return "政府信息公开工作年度报告"


def with_chrome(text: str, blocks: list[Block], chrome: str) -> str:
    if chrome == "crawler":
        return f"标题: {_title(blocks)}\n来源：本网\n字号：大 中 小 打印 关闭\n\n{text}"
    if chrome == "breadcrumb":
        return f"当前位置：首页 > 政务公开 > 政府信息公开 > 政府信息公开年报 >\n{text}"
    if chrome == "footer":
        return "\n".join([text.rstrip("\n"), "【打印本页】【关闭窗口】", *_FOOTER]) + "\n"
    if chrome == "traditional":
        return traditional(text)
    raise ValueError(chrome)


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def variant(source: Source, form: str, chrome: str | None = None) -> tuple[str, bytes]:
    """(file suffix, file bytes) of ``source`` with its tables in ``form`` and ``chrome`` around its text
    (``form`` "orig": the text as found; chrome applies to the text forms)."""
    if form == "html":
        return ".html", html_page(source.blocks).encode("gb18030")  # an older site, saved in its own encoding
    if form == "docx":
        return ".docx", docx_bytes(source.blocks)
    if form == "pdf":
        return ".pdf", pdf_bytes(source.blocks)
    if form == "orig":
        text = source.text if source.text is not None else plain_text(source.blocks, "pipe")
    else:
        text = plain_text(source.blocks, form)
    if chrome:
        text = with_chrome(text, source.blocks, chrome)
    return SUFFIX.get(form, ".txt"), text.encode()

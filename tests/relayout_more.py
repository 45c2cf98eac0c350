"""More forms of the metamorphic corpus (issue 19): what converters, crawlers and scanners actually write.

``relayout`` lays a report's tables out in the forms a table takes; these are the forms whole documents take
once a tool has been through them, each written the way that tool writes it:

- ``md-html``: a PDF-to-Markdown converter that writes complex tables as HTML (MinerU, marker): headings as
  ``#``, each table one line of ``<table>`` with rowspan/colspan, a wrapped label's lines joined by ``<br>``;
- ``md-pages``: a converter that keeps page breaks (pymupdf4llm, docling): pipe tables cut at a page break into
  two tables, the header rows repeated on the next page, the page's footer (``第 3 页 共 8 页``, ``- 3 -``)
  between them and between two lines of text (a Markdown list item, ``- 3 -``, as it is printed), header cells in
  ``**bold**``, a wrapped label's lines joined by ``<br>``, ordinals escaped (``1\\.``);
- ``md-docling``: a converter (docling) or a spreadsheet export that fills a merged cell's every position with
  its text: a group label repeated down its rows, a header repeated across its columns;
- ``ocr-noise``: OCR text of a scan: cells separated by runs of two or more spaces that do not line up, some
  figures in full-width digits, a thousands separator read as a point (``3.119``), ``O``/``o`` read for 0 and
  ``l``/``I`` for 1 (in cells, and in a sentence's figures: ``主动公开信息l8条``), a page's header and number
  between two rows of a table;
- ``ocr-split``: OCR text whose cells two or more spaces separate, where a stray space splits a figure of two
  digits or more in every third row (``1 288``: a thousands separator read as a space, or a gap between glyphs);
- ``ocr-labels``: the same OCR text, one character of every third row label read as a look-alike (予以公开 ->
  子以公开, 国家秘密 -> 国家秘蜜, 总计 -> 总汁, 行政处罚 -> 行政外罚);
- ``ocr-spaced``: Tesseract's text of a Chinese scan: a space between every two Chinese characters, in sentences,
  titles and labels alike (``本 年 新 收 政 府 信 息 公 开 申 请 数 量   3001   53``);
- ``ocr-wrapped``: OCR text that keeps the page's line breaks: every paragraph cut into lines of 30 characters
  wherever the line ends, inside a name, a figure or a date (``…现公布丽岙街道2023`` / ``年度政府信息公开…``);
- ``pdftotext``: ``pdftotext -layout`` of a PDF: columns padded with spaces, every 40 lines a page's number
  alone and centred, then a form feed and the next page (inside a table as anywhere);
- ``crawler-lines``: a crawler that writes each ``<td>`` on a line of its own with no blank lines between,
  an empty cell as an empty line, ``&nbsp;`` and zero-width spaces left in, the site's menus before and its
  links after;
- ``label-lines``: a crawler that writes a row's labels on one line and its figures on the next, blank cells as
  ``-`` (``一、本年新收政府信息公开申请数量`` then ``- - - - - - 0``);
- ``crawler-oneline``: a crawler that takes a table's text with one space between cells (``get_text(" ")``): the
  whole table on one line;
- ``saved-page``: a page saved from a site whose articles are Word documents pasted in (GBK bytes, charset
  in a ``<meta>``): ``<p class=MsoNormal><span>`` runs inside cells that split a number's digits, ``&nbsp;``
  in empty cells, ``<th>`` headers, ``<o:p>`` tags, style and script blocks, the table nested in a layout table;
- ``saved-pre``: a saved page whose article is preformatted text (``<pre>``: a text version of the report, its
  tables in columns of spaces);
- ``pdf-pages``: a PDF whose tables run over pages with the header rows repeated on each page;
- ``pdf-unruled``: a PDF whose tables have no ruling lines (a table drawn by tab stops);
- ``pdf-hrules``: a PDF whose tables have horizontal rules only, between rows (no column rules).
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable

from relayout import Block, Grid, Source, Span, _is_value, _spans, _width, _wrap, column_widths, pdf_font, pdf_story, plain_text

MORE_FORMS = (
    "md-html",
    "md-pages",
    "md-docling",
    "ocr-noise",
    "ocr-split",
    "ocr-labels",
    "ocr-spaced",
    "ocr-wrapped",
    "pdftotext",
    "crawler-lines",
    "label-lines",
    "crawler-oneline",
    "saved-page",
    "saved-pre",
    "pdf-pages",
    "pdf-unruled",
    "pdf-hrules",
)


def _heads(grid: Grid) -> int:
    """Rows above the first row of figures: the table's header rows."""
    return next((i for i, row in enumerate(grid) if any(c and _is_value(c) and c.strip() for c in row)), len(grid))


def _label_cell(text: str) -> str:
    """A long label as a converter keeps its wrapped lines: joined by ``<br>``."""
    lines = _wrap(text, 24) if not _is_value(text) and _width(text) > 24 else [text]
    return "<br>".join(html.escape(line) for line in lines)


def _html_table(grid: Grid, cell: str = "td") -> str:
    rows = []
    for cells in _spans(grid):
        tds = []
        for _, rs, cs, text in cells:
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            tds.append(f"<{cell}{attrs}>{_label_cell(text)}</{cell}>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return "<html><body><table>" + "".join(rows) + "</table></body></html>"


def _md_heading(line: str) -> str:
    import re

    if re.match(r"^\s*[一二三四五六七八九十]+、", line) and len(line.strip()) < 40:
        return "## " + line.strip()
    if re.match(r"^\s*\d+\.", line):
        return re.sub(r"^(\s*\d+)\.", r"\1\\.", line)  # an ordinal a converter escaped so it is not a list
    return line


def md_html(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                out += [_md_heading(block), ""]
        else:
            out += [_html_table(block), ""]
    return "\n".join(out)


def _pipe_rows(grid: Grid, bold: bool) -> list[str]:
    lines = []
    heads = _heads(grid)
    for i, row in enumerate(grid):
        cells = [_label_cell(c or "") for c in row]
        if bold and i < heads:
            cells = [f"**{c}**" if c else "" for c in cells]
        lines.append("|" + "|".join(cells) + "|")
    return lines


def md_pages(blocks: list[Block]) -> str:
    """Each table's rows of figures cut in two at a page break; the header rows start the second table too."""
    out: list[str] = []
    page = 1
    prose = 0
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                out += [_md_heading(block), ""]
                prose += 1
                if prose % 12 == 0:  # a page ends inside the text: its footer stays where it was
                    out += [f"第 {page} 页 共 9 页" if page % 2 else f"- {page} -", ""]
                    page += 1
            continue
        width = max(len(r) for r in block)
        grid = [list(r) + [None] * (width - len(r)) for r in block]
        heads = _heads(grid)
        rule = "|" + "---|" * width
        lines = _pipe_rows(grid, bold=True)
        body = len(grid) - heads
        if body < 4:
            out += [lines[0], rule, *lines[1:], ""]
            continue
        cut = heads + body // 2
        footer = f"第 {page} 页 共 9 页" if page % 2 else f"- {page} -"
        page += 1
        out += [lines[0], rule, *lines[1:cut], "", footer, ""]
        out += [lines[0], rule, *lines[1:heads], *lines[cut:], ""]
    return "\n".join(out)


def _filled(grid: Grid) -> Grid:
    """Every position of a merged label or header holding its text: a None right of a cell in its row widens that
    cell; a None with nothing left of it in its row deepens the cell above. (A figure is not repeated: in these
    grids the positions right of a cut row's last figure are unknown, not merged.)"""
    width = max(len(r) for r in grid)
    out: list[list[str]] = []
    for row in grid:
        cells = list(row) + [None] * (width - len(row))
        filled: list[str] = []
        for c, cell in enumerate(cells):
            if cell is not None:
                filled.append(cell)
            elif any(x is not None for x in cells[:c]):
                filled.append("" if _is_value(filled[-1]) else filled[-1])  # a label or header, not a figure
            else:
                filled.append(out[-1][c] if out else "")
        out.append(filled)
    return out  # type: ignore[return-value]


def md_docling(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                out += [_md_heading(block), ""]
            continue
        rows = ["| " + " | ".join(c or "" for c in row) + " |" for row in _filled(block)]
        out += [rows[0], "|" + "---|" * max(len(r) for r in block), *rows[1:], ""]
    return "\n".join(out)


def _every_third_row(blocks: list[Block], chosen: Callable[[list[str]], bool], rewrite: Callable[[list[str]], None]) -> str:
    """The text with each table row's cells a few spaces apart, as an OCR lays them, every third ``chosen`` row's
    cells ``rewrite``-n in place."""
    out: list[str] = []
    rows = 0
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
            continue
        for row in block:
            cells = [c for c in row if c]
            if chosen(cells):
                rows += 1
                if rows % 3 == 0:
                    rewrite(cells)
            out.append("   ".join(cells))
    return "\n".join(out) + "\n"


def _has_figure(cells: list[str]) -> bool:
    return any(_is_value(c) and c.strip() for c in cells)


def _split_a_figure(cells: list[str]) -> None:
    """A figure of two digits or more with a space inside it (1 288)."""
    at = next((i for i, c in enumerate(cells) if c.strip().isdigit() and len(c.strip()) >= 2), None)
    if at is not None:
        c = cells[at].strip()
        cells[at] = f"{c[:-3] or c[0]} {c[-3:] if len(c) > 3 else c[1:]}"


def ocr_split(blocks: list[Block]) -> str:
    return _every_third_row(blocks, _has_figure, _split_a_figure)


# characters an OCR reads as a look-alike (the commonest misreads of the request table's labels)
_LOOKALIKE = {
    "予": "子",
    "密": "蜜",
    "性": "牲",
    "计": "汁",
    "收": "牧",
    "已": "己",
    "未": "末",
    "请": "清",
    "务": "各",
    "处": "外",
}


def _misread(label: str) -> str:
    at = next((i for i, ch in enumerate(label) if ch in _LOOKALIKE), None)
    return label if at is None else label[:at] + _LOOKALIKE[label[at]] + label[at + 1 :]


def _misread_last_label(cells: list[str]) -> None:
    last = max(i for i, c in enumerate(cells) if not _is_value(c))
    cells[last] = _misread(cells[last])


def ocr_labels(blocks: list[Block]) -> str:
    return _every_third_row(
        blocks, lambda cells: _has_figure(cells) and any(not _is_value(c) for c in cells), _misread_last_label
    )


def ocr_wrapped(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out += _wrap(block.strip(), 60) if block.strip() else [""]
        else:
            out += ["   ".join(c for c in row if c) for row in block]
    return "\n".join(out) + "\n"


def pdftotext(blocks: list[Block]) -> str:
    lines = plain_text(blocks, "padded").split("\n")
    out: list[str] = []
    for start in range(0, len(lines), 40):
        page = start // 40 + 1
        out += [("\f" if start else "") + lines[start], *lines[start + 1 : start + 40], "", " " * 40 + str(page)]
    return "\n".join(out) + "\n\f"  # pdftotext ends every page with a form feed, the last one too


def ocr_spaced(blocks: list[Block]) -> str:
    import re

    text = plain_text(blocks, "spaces").replace(" ", "   ")
    return re.sub(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])(?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])", " ", text)


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_MISREAD = {"0": "O", "1": "l"}


def _noisy(cell: str, k: int) -> str:
    """Every fourth figure in full-width digits; every fifth with its 0s as O (or o) and 1s as l (or I)."""
    if not cell or not _is_value(cell) or not cell.strip().isdigit():
        return cell
    if len(cell) >= 4 and k % 2:  # a thousands separator read as a point: 3.119
        return f"{cell[:-3]}.{cell[-3:]}"
    if k % 4 == 1:
        return cell.translate(_FULL)
    if k % 5 == 2 and any(d in cell for d in "01"):
        zero, one = ("O", "l") if k % 2 else ("o", "I")
        return cell.replace("0", zero).replace("1", one)
    return cell


def _noisy_prose(line: str) -> str:
    """A sentence's figures as an OCR misreads them: a 0 read as O, a 1 as l, in a figure before its counter."""
    import re

    def misread(m: re.Match[str]) -> str:
        return m.group(1).replace("0", "O").replace("1", "l") + m.group(2)

    return re.sub(r"(?<=[\u4e00-\u9fff])(\d*[01]\d*)(件|条|个)", misread, line)


def ocr_noise(blocks: list[Block]) -> str:
    out: list[str] = []
    k = 0
    for block in blocks:
        if isinstance(block, str):
            out.append(_noisy_prose(block))
            continue
        body = [row for row in block if any(c for c in row)]
        for i, row in enumerate(body):
            cells = [c for c in row if c]
            noisy = []
            for c in cells:
                k += 1
                noisy.append(_noisy(c, k))
            gaps = ["  " + " " * ((i + j) % 3) for j in range(len(noisy))]
            out.append("".join(c + (gaps[j] if j + 1 < len(noisy) else "") for j, c in enumerate(noisy)))
            if i == len(body) // 2 and len(body) > 8:
                out += ["政府信息公开工作年度报告", f"- {2 + i % 5} -"]
    return "\n".join(out) + "\n"


_MENU = ("首页", "政务公开", "政务服务", "互动交流", "走进本地", "无障碍", "政府信息公开", "政府信息公开年报")
_LINKS = ("上一篇：", "下一篇：", "相关文章", "网站地图", "联系我们", "版权所有：本站 ICP备05012345号")


def crawler_lines(blocks: list[Block]) -> str:
    out: list[str] = list(_MENU)
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                out.append("\u3000\u3000" + block.strip())
            continue
        for row in block:
            for c in row:
                if c is None:
                    continue
                if not c.strip():
                    out.append("\xa0")
                elif _is_value(c):
                    out.append(f"\xa0{c}\u200b")
                else:
                    out.append(c.replace("公开", "公\u200b开", 1))
    return "\n".join([*out, *_LINKS]) + "\n"


def label_lines(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
            continue
        for row in block:
            labels = [c for c in row if c and not _is_value(c)]
            figures = [c.strip() or "-" for c in row if c is not None and _is_value(c)]
            if labels:
                out.append("".join(labels))
            if any(f != "-" for f in figures):
                out.append(" ".join(figures))
    return "\n".join(out) + "\n"


def crawler_oneline(blocks: list[Block]) -> str:
    lines = [b if isinstance(b, str) else " ".join(c for row in b for c in row if c) for b in blocks]
    return "\n".join(lines) + "\n"


def _word_cell(text: str, tag: str) -> str:
    """A cell as Word pastes it: a paragraph of spans, a number's digits split over two spans."""
    if not text.strip():
        return f'<{tag} valign="center"><p class="MsoNormal" align="center"><span>&nbsp;</span></p></{tag}>'
    if _is_value(text) and len(text) > 1:
        half = len(text) // 2
        inner = f'<span lang="EN-US">{html.escape(text[:half])}</span><span lang="EN-US">{html.escape(text[half:])}</span>'
    else:
        inner = f'<span style="font-family:宋体">{html.escape(text)}</span>'
    return f'<{tag} valign="center"><p class="MsoNormal" align="center">{inner}<o:p></o:p></p></{tag}>'


def saved_page(blocks: list[Block]) -> bytes:
    body: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                body.append(f'<p class="MsoNormal" style="text-indent:2em"><span>{html.escape(block.strip())}</span></p>')
            continue
        heads = _heads(block)
        rows = []
        for r, cells in enumerate(_spans(block)):
            tag = "th" if r < heads else "td"
            tds = []
            for _, rs, cs, text in cells:
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                tds.append(_word_cell(text, tag).replace(f"<{tag} ", f"<{tag}{attrs} ", 1))
            rows.append("<tr>" + "".join(tds) + "</tr>")
        body.append('<table class="MsoNormalTable" border="1" cellspacing="0"><tbody>' + "\n".join(rows) + "</tbody></table>")
    page = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        "<style>p.MsoNormal{margin:0pt;font-family:宋体}</style>"
        "<script type=\"text/javascript\">document.write('<div>访问量</div>');</script></head><body>"
        '<div id="top"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hd/">互动交流</a></div>'
        '<table width="100%"><tr><td class="main"><table width="960"><tr><td>'
        '<div class="article">' + "\n".join(body) + "</div></td></tr></table></td></tr></table>"
        '<div id="foot">版权所有 网站标识码 3302000001</div></body></html>'
    )
    return page.encode("gbk", errors="xmlcharrefreplace")


def pdf_bytes(blocks: list[Block], ruled: bool, across_only: bool = False) -> bytes:
    """A PDF of small pages (so that a table runs over pages) whose tables repeat their header rows on each
    page; ``ruled`` False draws no rules (a table laid out by tab stops)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    font = pdf_font()

    def table(grid: Grid, data: list[list[object]], spans: list[Span]) -> object:
        style: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONT", (0, 0), (-1, -1), font, 5.5)]
        style += [("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1)]
        if ruled:
            style += [("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans]  # merged cells only where rules show them
        elif across_only:
            style.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black))
        widths = column_widths(grid, (140, 170), 300)
        return Table(data, colWidths=widths, style=TableStyle(style), repeatRows=_heads(grid) if ruled else 0)

    story = pdf_story(blocks, (9, 14), (5.5, 7), table)
    buf = io.BytesIO()

    def page_number(canvas: object, doc: object) -> None:
        canvas.setFont(font, 8)  # type: ignore[attr-defined]
        canvas.drawCentredString(A5[0] / 2, 20, f"第 {doc.page} 页")  # type: ignore[attr-defined]

    template = SimpleDocTemplate(buf, pagesize=A5, title="report", leftMargin=50, rightMargin=50, topMargin=40, bottomMargin=40)
    template.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()


def variant_more(source: Source, form: str) -> tuple[str, bytes]:
    """(file suffix, file bytes) of ``source`` in one of ``MORE_FORMS``."""
    blocks = source.blocks
    if form == "md-html":
        return ".md", md_html(blocks).encode()
    if form == "md-pages":
        return ".md", md_pages(blocks).encode()
    if form == "ocr-noise":
        return ".txt", ocr_noise(blocks).encode()
    if form == "md-docling":
        return ".md", md_docling(blocks).encode()
    if form == "ocr-split":
        return ".txt", ocr_split(blocks).encode()
    if form == "ocr-labels":
        return ".txt", ocr_labels(blocks).encode()
    if form == "ocr-wrapped":
        return ".txt", ocr_wrapped(blocks).encode()
    if form == "pdftotext":
        return ".txt", pdftotext(blocks).encode()
    if form == "ocr-spaced":
        return ".txt", ocr_spaced(blocks).encode()
    if form == "crawler-oneline":
        return ".txt", crawler_oneline(blocks).encode()
    if form == "label-lines":
        return ".txt", label_lines(blocks).encode()
    if form == "crawler-lines":
        return ".txt", crawler_lines(blocks).encode()
    if form == "saved-pre":
        body = html.escape(plain_text(blocks, "padded"))
        head = '<html><head><meta charset="utf-8"><title>年报</title></head><body><div id="nav"><a href="/">首页</a></div>'
        page = f"{head}<pre>{body}</pre></body></html>"
        return ".html", page.encode()
    if form == "saved-page":
        return ".html", saved_page(blocks)
    if form in ("pdf-pages", "pdf-unruled", "pdf-hrules"):
        return ".pdf", pdf_bytes(blocks, ruled=form == "pdf-pages", across_only=form == "pdf-hrules")
    raise ValueError(form)

"""A PDF with a text layer -> the report's lines, page furniture removed.

PyMuPDF reads each page in reading order with table rows kept on one line.
Page numbers ("- 1 -", "第 1 页", "1/6") at the top or bottom of a page, and running
headers and footers (the same line at the top or bottom of most pages), never
reach the parser. A PDF with no
text layer (a scan) is reported as such: there is no OCR here.
"""

from __future__ import annotations

import re

from nianbao.load import Unreadable

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")


_EDGE = 2  # lines at the top and at the bottom of a page that may be furniture


def _edges(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:_EDGE] + filled[-_EDGE:]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _without_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Pages without page numbers and without lines repeated at the top or bottom of most pages."""
    seen: dict[str, int] = {}
    for lines in pages:
        for shape in {_shape(lines[i]) for i in _edges(lines)}:
            seen[shape] = seen.get(shape, 0) + 1
    running = {shape for shape, n in seen.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2) and shape}
    out = []
    for lines in pages:
        drop = {i for i in _edges(lines) if _PAGE_NUMBER.match(lines[i]) or _shape(lines[i]) in running}
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def pdf_text(data: bytes) -> str:
    import pymupdf

    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own types for broken files
        raise Unreadable(f"PDF 文件无法打开（{exc}），已跳过；请重新下载或另存为 PDF") from exc
    with document:
        pages = [page.get_text("text", sort=True).splitlines() for page in document]
    text = "\n".join("\n".join(lines) for lines in _without_furniture(pages))
    if len(re.sub(r"\s", "", text)) < 20:
        raise Unreadable("PDF 没有文字层（可能是扫描件），无法读取；请提供带文字的 PDF 或文本版")
    return text

"""A PDF with a text layer -> the report's lines, page furniture removed.

PyMuPDF reads each page in reading order with table rows kept on one line.
Page numbers ("- 1 -", "第 1 页", "1/6") never reach the parser. A PDF with no
text layer (a scan) is reported as such: there is no OCR here.
"""

from __future__ import annotations

import re

from nianbao.load import Unreadable

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})\s*$")


def pdf_text(data: bytes) -> str:
    import pymupdf

    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own types for broken files
        raise Unreadable(f"PDF 文件无法打开（{exc}），已跳过；请重新下载或另存为 PDF") from exc
    pages = []
    with document:
        for page in document:
            text = page.get_text("text", sort=True)
            lines = [line for line in text.splitlines() if not _PAGE_NUMBER.match(line)]
            pages.append("\n".join(lines))
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise Unreadable("PDF 没有文字层（可能是扫描件），无法读取；请提供带文字的 PDF 或文本版")
    return text

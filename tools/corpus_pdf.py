"""Report PDFs made with reportlab, the way agencies' word processors print them.

Template tables become real tables whose long labels wrap inside their cells and
which run on over page breaks; every page has a running header and a "- N -"
page number. The CJK font is one of the PDF standard CID fonts, so no font file
is needed.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TEXT = ParagraphStyle("text", fontName=FONT, fontSize=10.5, leading=16)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12)


def _furniture(header: str) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, header)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")
        canvas.restoreState()

    return draw


def _table(rows: list[list[str]]) -> Table:
    width = max(len(r) for r in rows)
    labels = [70, 150] if width >= 8 else [200]  # the request table has a group column and a row-label column
    other = (A4[0] - 120 - sum(labels)) / max(1, width - len(labels))
    data = [[Paragraph(c, CELL) if not c.strip().isdigit() else c for c in r] + [""] * (width - len(r)) for r in rows]
    table = Table(data, colWidths=labels + [other] * (width - len(labels)))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def make_pdf(text: str, path: Path, header: str = "政府信息公开工作年度报告") -> int:
    """Write ``text`` (lines; tab-separated lines are table rows) as a PDF; returns its page count."""
    story = [Spacer(1, 300)]  # the first table starts low on the page, so tables run over page breaks
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append([c.strip() for c in lines[i].split("\t")])
                i += 1
            story.append(_table(rows))
            story.append(Spacer(1, 8))
            continue
        if lines[i].strip():
            story.append(Paragraph(lines[i].replace("&", "&amp;").replace("<", "&lt;"), TEXT))
        i += 1
    pages: list[int] = []
    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=60, bottomMargin=50, leftMargin=60, rightMargin=60)
    draw = _furniture(header)
    def later(canvas: Any, doc: Any) -> None:
        draw(canvas, doc)
        pages.append(doc.page)

    doc.build(story, onFirstPage=draw, onLaterPages=later)
    return len(pages) + 1

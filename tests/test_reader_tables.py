"""The readers hand the parser a table as one row a line, cells tab-separated, a merged cell's text once.

Each case here is a class the metamorphic corpus (test_metamorphic.py) found: the forms a saved page, a Word
file or a PDF gives a template table.
"""

from __future__ import annotations

import io

import docx

from nianbao.docxtext import docx_text


def _docx(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> bytes:
    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r0, c0, r1, c1 in merges:
        text = table.cell(r0, c0).text
        table.cell(r0, c0).merge(table.cell(r1, c1)).text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_a_word_cell_merged_across_columns_or_rows_gives_its_text_once():
    rows = [
        ["第二十条第(一)项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政处罚", "1472", "", ""],
        ["三、本年度办理结果", "(一)予以公开", "3", "3"],
        ["", "(二)部分公开", "1", "1"],
    ]
    data = _docx(rows, [(0, 0, 0, 3), (1, 1, 1, 3), (2, 1, 2, 3), (3, 0, 4, 0)])
    lines = docx_text(data).splitlines()
    assert lines[1:6] == [
        "第二十条第(一)项\t\t\t",
        "信息内容\t本年处理决定数量\t\t",
        "行政处罚\t1472\t\t",
        "三、本年度办理结果\t(一)予以公开\t3\t3",
        "\t(二)部分公开\t1\t1",
    ]

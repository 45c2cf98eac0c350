"""The readers hand the parser a table as one row a line, cells tab-separated, a merged cell's text once.

Each case here is a class the metamorphic corpus (test_metamorphic.py) found: the forms a saved page, a Word
file or a PDF gives a template table.
"""

from __future__ import annotations

import io
import time

import docx
import pytest

from nianbao.load import load_source
from nianbao.readers import html as htmltext
from nianbao.readers.docx import docx_text
from nianbao.readers.html import html_text
from nianbao.readers.text import Unreadable


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


REPORT = "<p>2023年东湖街道办事处政府信息公开工作年度报告</p><p>2023年，主动公开政府信息47条。</p>"
TABLE = (
    '<table border="1"><tr><td colspan="4">第二十条第(六)项</td></tr>'
    '<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>'
    '<tr><td rowspan="2">三、本年度办理结果</td><td>(一)予以公开</td><td>3</td><td>3</td></tr>'
    "<tr><td>(二)部分公开</td><td>1</td><td>1</td></tr></table>"
)
TABLE_LINES = [
    "第二十条第(六)项",  # trailing empty cells are cut with the line's trailing white space
    "信息内容\t本年处理决定数量",
    "三、本年度办理结果\t(一)予以公开\t3\t3",
    "\t(二)部分公开\t1\t1",
]


def test_a_page_table_comes_out_one_row_a_line_with_spans_expanded():
    lines = html_text(f"<html><body>{REPORT}{TABLE}</body></html>").splitlines()
    assert [line for line in lines if line][2:] == TABLE_LINES


def test_an_article_in_a_layout_table_is_read_as_blocks_beside_its_menu_and_under_the_site_header():
    page = (
        '<html><body><div class="header"><div class="logo">某某区人民政府门户网站</div></div>'
        '<table width="1000"><tr><td class="left"><ul><li><a href="/a">政府信息公开年报</a></li>'
        '<li><a href="/b">政府信息公开指南</a></li></ul></td>'
        f'<td class="bt_content">{REPORT}{TABLE}</td></tr></table></body></html>'
    )
    lines = [line for line in html_text(page).splitlines() if line]
    assert lines[0] == "2023年东湖街道办事处政府信息公开工作年度报告"
    assert lines[2:] == TABLE_LINES


def test_a_page_nested_past_the_parsers_limit_still_gives_its_text(tmp_path):
    deep_divs = "<html><body>" + "<div>" * 100_000 + REPORT + "</div>" * 100_000 + "</body></html>"
    deep_tables = "<html><body>" + "<table><tr><td>" * 20_000 + REPORT + "</td></tr></table>" * 20_000 + "</body></html>"
    for page in (deep_divs, deep_tables):
        start = time.perf_counter()
        text = html_text(page)
        assert "2023年东湖街道办事处政府信息公开工作年度报告" in text and "主动公开政府信息47条" in text
        assert time.perf_counter() - start < 5
    (tmp_path / "deep.html").write_text(deep_tables, encoding="utf-8")
    doc, problems = load_source(tmp_path / "deep.html", tmp_path)  # issue 22 item 12: not "没有可读取的正文"
    assert doc is not None and not problems and "主动公开政府信息47条" in doc.text


def test_a_page_the_flattening_cannot_save_names_the_limit(monkeypatch):
    monkeypatch.setattr(htmltext, "_flatten", lambda page, limit=0: page)
    with pytest.raises(Unreadable, match="256"):
        html_text("<html><body>" + "<div>" * 1000 + REPORT + "</div>" * 1000 + "</body></html>")


def _pdf(story_of: object) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("t", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story_of(style))  # type: ignore[operator]
    return buf.getvalue()


def test_a_pdf_table_comes_out_one_row_a_line_and_wrapped_prose_as_printed():
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    from nianbao.readers.pdf import pdf_text

    def story(style):
        cell = style.clone("c", fontSize=8, leading=10)
        rows = [
            ["第二十条第(一)项", "", "", ""],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            [Paragraph("行政规范性文件（含以政府办名义印发的文件）", cell), "8", "26", "66"],
            ["行政许可", "447228", "", ""],
        ]
        spans = [("SPAN", (0, 0), (3, 0)), ("SPAN", (1, 3), (3, 3))]
        grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), "STSong-Light", 8)]
        table = Table(
            rows, colWidths=[120, 90, 90, 90], style=TableStyle(grid + spans + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        )
        prose = "根据《中华人民共和国政府信息公开条例》的要求，绍兴市越城区东湖街道认真梳理，"
        prose += "特编制2023年政府信息公开年度报告，现予公布。"
        return [Paragraph(prose, style), table]

    lines = [line for line in pdf_text(_pdf(story)).splitlines() if line.strip()]
    assert lines[0].endswith("特编制2023年政府信息公开年度报告，现予公布。") and lines[0].startswith("根据")
    assert lines[1:] == [
        "第二十条第(一)项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "行政规范性文件（含以政府办名义印发的文件）\t8\t26\t66",
        "行政许可\t447228",
    ]


def test_a_pdf_signature_that_repeats_the_title_is_not_a_running_header():
    from reportlab.platypus import PageBreak, Paragraph

    from nianbao.readers.pdf import pdf_text

    def story(style):
        return [
            Paragraph("临江市兴隆街道办事处", style),
            Paragraph("2017年度政府信息公开年度报告", style),
            Paragraph("一、概述", style),
            PageBreak(),
            Paragraph("二、主动公开政府信息情况", style),
            Paragraph("临江市兴隆街道办事处", style),
            Paragraph("2018年3月5日", style),
        ]

    lines = [line for line in pdf_text(_pdf(story)).splitlines() if line.strip()]
    assert lines[0] == "临江市兴隆街道办事处" and lines[-2:] == ["临江市兴隆街道办事处", "2018年3月5日"]


def test_a_word_report_framed_in_a_one_cell_table_is_read_as_its_paragraphs_and_tables():
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "2023年东湖街道办事处政府信息公开工作年度报告"
    frame.add_paragraph("2023年，主动公开政府信息47条，其中部门文件22件。")
    inner = frame.add_table(rows=2, cols=2)
    for r, row in enumerate([["信息内容", "本年处理决定数量"], ["行政处罚", "1472"]]):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    buf = io.BytesIO()
    document.save(buf)
    lines = [line for line in docx_text(buf.getvalue()).splitlines() if line]
    assert lines == [
        "2023年东湖街道办事处政府信息公开工作年度报告",
        "2023年，主动公开政府信息47条，其中部门文件22件。",
        "信息内容\t本年处理决定数量",
        "行政处罚\t1472",
    ]


MARKDOWN = """# 2023年**东湖街道**政府信息公开工作年度报告

一、总体情况<br>
> 2023年，主动公开政府信息47条。

1. 规章
- 列表项 __强调__

| 信息内容 | 本年制发件数 | 本年废止件数 |
|---|---|---|
| 规章 | 3 | 0 |
| 行政规范性文件 | 4 | 1 | 44 |
| 含\\|竖线 |  |
***
行\u2028分\r\n末行"""


def test_markdown_lines_stay_where_the_file_has_them():
    from nianbao.readers.markdown import markdown_text

    assert markdown_text(MARKDOWN).split("\n") == [
        "2023年东湖街道政府信息公开工作年度报告",
        "",
        "一、总体情况",
        "2023年，主动公开政府信息47条。",
        "",
        "1. 规章",
        "列表项 强调",
        "",
        "信息内容\t本年制发件数\t本年废止件数",
        "",  # the |---| row
        "规章\t3\t0",
        "行政规范性文件\t4\t1\t44",  # a cell beyond the header's count is kept, not dropped
        "含|竖线\t\t",
        "",
        "行",
        "分",
        "末行",
    ]


def test_a_markdown_report_reads_as_its_text_does_and_its_evidence_cites_the_file_lines(tmp_path):
    from helpers import parse_file, parse_text
    from tools.corpus import generate

    text = generate(3, "gb2021").text
    assert "|---|" in text  # its request table is a Markdown pipe table
    front = "---\nagency: 徐州市铜山区城关镇人民政府\n---\n"
    (tmp_path / "r.md").write_text(front + text, encoding="utf-8")
    as_md, as_text = parse_file(tmp_path / "r.md"), parse_text(text)
    shift = front.count("\n")
    lines = (front + text).split("\n")
    cited_md = {key: cited for key, cited in as_md["evidence"].items() if key != "agency"}  # the front matter's
    assert cited_md and cited_md.keys() == as_text["evidence"].keys() - {"agency"}
    tabbed = 0
    for key, cited in cited_md.items():
        assert cited["line"] == as_text["evidence"][key]["line"] + shift, key
        printed = lines[cited["line"] - 1].strip()
        if "\t" in cited["text"]:  # a row of the pipe table: its cells, tab-separated
            tabbed += 1
            assert cited["text"] == "\t".join(c.strip() for c in printed.strip("|").split("|")).strip(), key
        else:
            assert cited["text"] == printed, key
    assert tabbed
    for section in ("proactive", "requests", "reconsideration", "litigation", "fees"):
        assert as_md.get(section) == as_text.get(section), section


def test_a_markdown_table_written_as_html_is_read_row_by_row():
    """MinerU and marker write a table with merged cells as one line of HTML inside the Markdown."""
    from nianbao.readers.markdown import markdown_text

    source = (
        "## 二、主动公开政府信息情况\n\n"
        '<html><body><table><tr><td colspan="3">第二十条第（一）项</td></tr>'
        "<tr><td>信息内容</td><td>本年制发<br>件数</td><td>现行有效件数</td></tr>"
        '<tr><td rowspan="2">规章</td><td>2</td><td>7</td></tr><tr><td>0</td><td></td></tr></table></body></html>\n\n'
        "三、其后的段落"
    )
    assert markdown_text(source).split("\n") == [
        "二、主动公开政府信息情况",
        "",
        "第二十条第（一）项",  # the html reader's row: a merged caption, trailing blanks dropped
        "信息内容\t本年制发件数\t现行有效件数",  # rows beyond the line the HTML took are inserted after it
        "规章\t2\t7",
        "\t0",
        "",
        "三、其后的段落",
    ]


def test_a_page_number_a_converter_kept_is_not_a_list_item():
    from nianbao.readers.markdown import markdown_text

    assert markdown_text("行政许可\n\n- 2 -\n\n- 一项\n").split("\n") == ["行政许可", "", "- 2 -", "", "一项", ""]


def test_a_pages_preformatted_text_keeps_its_lines():
    from nianbao.readers.html import html_text

    page = "<html><body><pre>规章   1   0   11\n行政规范性文件   8   26   66\n</pre><p>其后</p></body></html>"
    assert html_text(page).split("\n") == ["规章   1   0   11", "行政规范性文件   8   26   66", "", "其后", ""]

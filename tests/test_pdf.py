"""Report PDFs read to the same values as their text twins; the real corpus PDF scores 100%."""

import pytest

from helpers import lookup, parse_file, parse_text
from tools.corpus import generate
from tools.corpus_pdf import make_pdf

CASES = [(seed, kind) for seed in range(4) for kind in ("gb2021", "gb2019", "narrative")]


@pytest.mark.parametrize(("seed", "kind"), CASES)
def test_pdf_report_reads_like_its_text_twin(tmp_path, seed, kind):
    g = generate(seed, kind, "tab")
    path = tmp_path / f"{g.name}.pdf"
    pages = make_pdf(g.text, path)
    assert pages >= 2 or kind == "narrative"
    report = parse_file(path)
    wrong = {k: (v, lookup(report, k)) for k, v in g.expected.items() if lookup(report, k) != v}
    assert not wrong, wrong
    twin = parse_text(g.text)
    for key in ("requests.matrix", "proactive", "reconsideration", "litigation"):
        assert lookup(report, key) == lookup(twin, key), key
    codes = {f["code"] for f in report["flags"]}
    assert not codes & {"BALANCE", "SUBTOTAL", "UNPARSED_TABLE"}, report["flags"]


def test_running_headers_and_page_numbers_do_not_leak(tmp_path):
    from nianbao.readers.pdf import pdf_text

    g = generate(1, "gb2021", "tab")
    pages = make_pdf(g.text, tmp_path / "r.pdf", header="淮南市政务公开专栏")
    text = pdf_text((tmp_path / "r.pdf").read_bytes())
    assert pages >= 2 and "淮南市政务公开专栏" not in text
    assert not [line for line in text.splitlines() if line.strip().startswith("- ") and line.strip().endswith(" -")]


def test_a_scanned_pdf_is_named_as_such(tmp_path):
    from reportlab.pdfgen import canvas

    from nianbao.load import load_source

    c = canvas.Canvas(str(tmp_path / "scan.pdf"))
    c.rect(50, 50, 400, 600, fill=1)  # an image-like page with no text layer
    c.showPage()
    c.save()
    doc, problems = load_source(tmp_path / "scan.pdf", tmp_path)
    assert doc is None and "没有文字层（可能是扫描件）" in problems[0].message


def test_a_label_and_the_figure_its_text_layer_runs_into_it_are_two_cells():
    """A tight ruled table: the text layer makes one word of a label and the figure after it (nothing but the
    rule between them); the word is cut at the rule."""
    import io

    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from nianbao.readers.pdf import pdf_text

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rows = [["信息内容", "本年处理决定数量", "备注"], ["保护第三方合法权益", "6", "12"], ["属于四类过程性信息", "12", "0"]]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), "STSong-Light", 6)]
    style += [("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Table(rows, colWidths=[54, 60, 40], style=TableStyle(style))])
    lines = pdf_text(buf.getvalue()).splitlines()
    assert "保护第三方合法权益\t6\t12" in lines and "属于四类过程性信息\t12\t0" in lines

"""Word reports made with python-docx, read to the same values as their text twins.

The documents look the way agencies make them: template tables as real Word
tables, a header cell merged across the applicant columns, and the request
table broken over a page (two tables with a page break between them).
"""

import shutil

import docx
import pytest
from docx.enum.text import WD_BREAK

from helpers import lookup, parse_file, parse_text
from nianbao.load import load_source
from tools.corpus import generate


def _word(text: str, path, split_after: tuple[str, ...] = ("（三）不予公开", "(三)不予公开")) -> None:
    document = docx.Document()
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            document.add_paragraph(lines[i])
            i += 1
            continue
        rows = []
        while i < len(lines) and "\t" in lines[i]:
            rows.append(lines[i].split("\t"))
            i += 1
        parts = [rows]
        cut = next((n for n, row in enumerate(rows) if row[0].startswith(split_after)), None)
        if cut:
            parts = [rows[: cut + 1], rows[cut + 1 :]]
        for k, part in enumerate(parts):
            if k:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            width = max(len(r) for r in part)
            table = document.add_table(rows=0, cols=width)
            for row in part:
                cells = table.add_row().cells
                for c, value in enumerate(row):
                    cells[c].text = value
            if width >= 7 and k == 0:  # a merged header cell over the applicant columns, as the template prints
                header = table.rows[0].cells
                merged = header[1].merge(header[width - 1])
                merged.text = "申请人情况"
    document.save(path)


CASES = [(seed, kind) for seed in range(4) for kind in ("gb2021", "gb2019", "narrative")]


@pytest.mark.parametrize(("seed", "kind"), CASES)
def test_word_report_reads_like_its_text_twin(tmp_path, seed, kind):
    g = generate(seed, kind, "tab")
    path = tmp_path / f"{g.name}.docx"
    _word(g.text, path)
    report = parse_file(path)
    if kind != "narrative":  # the request table really is broken over two Word tables
        texts = ["".join(c.text for r in t.rows for c in r.cells) for t in docx.Document(path).tables]
        assert [i for i, t in enumerate(texts) if "本年新收" in t] != [i for i, t in enumerate(texts) if "结转下年" in t]
    twin = parse_text(g.text)
    wrong = {k: (v, lookup(report, k)) for k, v in g.expected.items() if lookup(report, k) != v}
    assert not wrong, wrong
    for key in ("requests.matrix", "proactive", "reconsideration", "litigation"):
        assert lookup(report, key) == lookup(twin, key)
    assert report["format"] == "docx"


def test_broken_and_legacy_word_files_are_named(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04" + bytes(64))
    doc, problems = load_source(tmp_path / "bad.docx", tmp_path)
    assert doc is None and "不是有效的 Word" in problems[0].message
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(64))
    doc, problems = load_source(tmp_path / "old.doc", tmp_path)
    if shutil.which("soffice") or shutil.which("libreoffice"):
        assert doc is None and "LibreOffice 无法转换" in problems[0].message
    else:
        assert doc is None and "需要 LibreOffice" in problems[0].message


def test_the_report_page_links_a_copy_of_the_original_file(tmp_path):
    from nianbao.build.pipeline import build
    from nianbao.config import Config

    content = tmp_path / "content"
    content.mkdir()
    g = generate(2, "gb2021", "tab")
    _word(g.text, content / "年报.docx")
    (content / "page.html").write_text(
        "<html><body><script>alert(1)</script><p>" + g.text + "</p></body></html>", encoding="utf-8"
    )
    result = build(Config(content, tmp_path / "out", cache=None, jobs=1))
    by_source = {r.source: r for r in result.reports}
    word = by_source["年报.docx"]
    copy = tmp_path / "out" / "files" / f"{word.id}.docx"
    assert copy.read_bytes() == (content / "年报.docx").read_bytes()
    page = (tmp_path / "out" / "report" / f"{word.id}.html").read_text(encoding="utf-8")
    assert f'href="../files/{word.id}.docx"' in page and "本年新收" in page  # and its text is shown
    assert (tmp_path / "out" / "files" / f"{by_source['page.html'].id}.html.txt").is_file()  # a web page kept as text


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_a_legacy_doc_is_converted_by_libreoffice_and_read(tmp_path):
    import subprocess

    g = generate(3, "gb2021", "tab")
    _word(g.text, tmp_path / "r.docx")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [office, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
        check=True,
        timeout=120,
    )
    (tmp_path / "r.docx").unlink()
    report = parse_file(tmp_path / "r.doc")
    assert report["format"] == "doc"
    assert {k: lookup(report, k) for k in g.expected} == g.expected

"""data/reports.xlsx (issue 20, item 12): reports.csv's rows for spreadsheet users, with Chinese column
names in the template's order, numbers as numbers, a 字段说明 sheet, text that cannot start a formula
(issue 22, item 5), linked from data.html; the same bytes from the same data, and made again after a text edit
(only the edited report's pages planned) as by a full build. Read here with the standard library and lxml (the
site only writes it)."""

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from nianbao.build.pipeline import build
from nianbao.config import Config
from nianbao.render.spreadsheet import column_name, ordered
from tools.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
HOSTILE = ['=HYPERLINK("http://x.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"]


def _column_number(ref: str) -> int:
    n = 0
    for c in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(c) - 64
    return n - 1


def read_xlsx(path: Path) -> dict[str, list[list[object]]]:
    """Each sheet's rows (by sheet name): text as str, numbers as int or float, empty cells as None.
    Fails on a formula cell."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in etree.fromstring(z.read("xl/sharedStrings.xml")).iterfind("m:si", NS):
                shared.append("".join(si.itertext()))
        book = etree.fromstring(z.read("xl/workbook.xml"))
        sheets = {}
        for i, sheet in enumerate(book.iterfind("m:sheets/m:sheet", NS), 1):
            root = etree.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
            assert not root.findall(".//m:f", NS), "a cell is a formula"
            rows = []
            for row in root.iterfind("m:sheetData/m:row", NS):
                cells: list[object] = []
                for c in row.iterfind("m:c", NS):
                    at = _column_number(c.get("r"))
                    cells += [None] * (at - len(cells))
                    v = c.find("m:v", NS)
                    if c.get("t") == "s":
                        cells.append(shared[int(v.text)])
                    elif c.get("t") == "inlineStr":
                        cells.append("".join(c.find("m:is", NS).itertext()))
                    elif v is None:
                        cells.append(None)
                    else:
                        cells.append(float(v.text) if re.search(r"[.eE]", v.text) else int(v.text))
                index = int(row.get("r")) - 1
                rows += [[]] * (index - len(rows))
                rows.append(cells)
            sheets[sheet.get("name")] = rows
    return sheets


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A site of the seeds, reports of both table templates, and reports whose agency, region and file
    name would start a formula: (output folder, reports.csv's rows, the workbook's sheets)."""
    base = tmp_path_factory.mktemp("xlsx")
    content = base / "content"
    content.mkdir()
    for seed in (ROOT / "content").iterdir():
        shutil.copy(seed, content / seed.name)
    for seed, template in ((31, "gb2019"), (32, "gb2021")):
        g = generate(seed, template)
        (content / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
    for i, agency in enumerate(HOSTILE):
        front = f"agency: {json.dumps(agency)}\nregion: {{province: {json.dumps(agency)}}}"
        (content / f"f{i}.md").write_text(
            f"---\n{front}\n---\n2018年度测试局政府信息公开工作年度报告\n2018年主动公开政府信息共计12条。\n", encoding="utf-8"
        )
    (content / "=cmd.txt").write_text(generate(9, "narrative").text, encoding="utf-8")
    build(Config(content, base / "out", cache=None, jobs=1))
    rows = list(csv.DictReader(io.StringIO((base / "out/data/reports.csv").read_text(encoding="utf-8-sig"))))
    return base / "out", rows, read_xlsx(base / "out/data/reports.xlsx")


def test_the_workbook_has_the_csvs_rows_with_chinese_names_and_numbers_as_numbers(built):
    _, rows, sheets = built
    assert list(sheets) == ["报告", "字段说明"]
    table, fields = sheets["报告"], sheets["字段说明"]
    header = table[0]
    assert header[:2] == ["编号", "机关"] and all(re.search(r"[\u4e00-\u9fff]", h) for h in header), header
    assert not [h for h in header if re.fullmatch(r"[a-z_.]+", h)]  # no dotted key is a column name
    assert len(set(header)) == len(header)
    keys = {f[1]: f[2] for f in fields[1:] if f and len(f) > 3 and f[2]}  # 列名 -> the key in reports.csv
    assert [keys[h] for h in header] == [f[2] for f in fields[1 : len(header) + 1]]
    assert len(table) - 1 == len(rows)
    by_id = {r["id"]: r for r in rows}
    numbers = 0
    for line in table[1:]:
        line = line + [None] * (len(header) - len(line))
        row = by_id[line[0]]
        for name, cell in zip(header, line, strict=True):
            key = keys[name]
            kind = next(f[3] for f in fields[1:] if f and f[2] == key)
            text = row[key]
            if text == "":
                assert cell is None, (key, cell)
            elif kind == "数字":
                assert isinstance(cell, int | float) and not isinstance(cell, bool), (key, cell)
                assert cell == (float(text) if "." in text else int(text)), (key, cell, text)
                numbers += 1
            elif key == "template":
                assert cell in ("自由行文", "2019 年版表格", "2021 年版表格")
            elif key != "flags":
                assert cell == text, (key, cell, text)
    assert numbers > 100
    # the CSV's columns are all there but how each figure was obtained (provenance.*) and the file's hash
    assert set(keys.values()) == {k for k in rows[0] if not k.startswith("provenance.") and k != "sha256"}


def test_the_columns_follow_the_template(built):
    _, _, sheets = built
    header = sheets["报告"][0]
    at = header.index
    assert at("年度") < at("主动公开政府信息（条）") < at("规章：本年制发件数") < at("规章：本年新制作数量")
    assert at("规章：本年新制作数量") < at("行政许可处理决定数")
    assert at("行政许可处理决定数") < at("本年新收公开申请") < at("上年结转申请") < at("予以公开") < at("结转下年度继续办理")
    matrix = [h for h in header if h.startswith("申请情况表：")]
    columns = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    assert matrix[:7] == [f"申请情况表：本年新收申请（{c}）" for c in columns]
    assert at("结转下年度继续办理") < at(matrix[0]) and at(matrix[-1]) < at("行政复议：结果维持") < at("行政复议：总计")
    assert at("行政复议：总计") < at("行政诉讼（未经复议直接起诉）：结果维持") < at("行政诉讼：总计（两类起诉之和）")
    assert at("行政诉讼：总计（两类起诉之和）") < at("收取信息处理费（元）")
    assert at("收取信息处理费（元）") < at("数据提示")
    # a key this module does not know stays beside its kin
    assert ordered(["id", "fees.collected_yuan", "requests.matrix.new_row.total", "requests.received", "zzz"]) == [
        "id", "requests.received", "requests.matrix.new_row.total", "fees.collected_yuan", "zzz",
    ]  # fmt: skip
    assert column_name("requests.matrix.denied.state_secret.natural_person") == "申请情况表：不予公开·属于国家秘密（自然人）"


def test_no_cell_can_start_a_formula(built):
    _, rows, sheets = built
    table = sheets["报告"]
    header = table[0]
    for line in table[1:]:
        for cell in line:
            if isinstance(cell, str):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    agency, source, province = header.index("机关"), header.index("原文文件"), header.index("省")
    hostile = {line[source]: line for line in table[1:]}
    assert hostile["'=cmd.txt"][0]
    assert [hostile[f"f{i}.md"][agency] for i in range(4)] == ["'" + a for a in HOSTILE]
    assert [hostile[f"f{i}.md"][province] for i in range(4)] == ["'" + a for a in HOSTILE]
    csv_agencies = {r["source"]: r["agency"] for r in rows}
    assert [csv_agencies[f"f{i}.md"] for i in range(4)] == ["'" + a for a in HOSTILE]  # as the CSV has them


def test_fields_sheet_explains_every_column(built):
    _, _, sheets = built
    header, fields = sheets["报告"][0], sheets["字段说明"]
    assert fields[0] == ["列", "列名", "reports.csv / reports.json 中的键", "类型", "说明"]
    described = fields[1 : len(header) + 1]
    assert [f[1] for f in described] == header
    assert described[0][0] == "A" and described[26][0] == "AA"
    assert all(f[3] in ("数字", "文字") and f[4] for f in described)
    notes = " ".join(str(c) for f in fields[len(header) + 1 :] for c in f if c)
    assert "未载明" in notes and "公式" in notes and "provenance" in notes


def test_data_page_links_the_workbook_and_builds_are_reproducible(built, tmp_path):
    output, _, _ = built
    page = (output / "data.html").read_text(encoding="utf-8")
    assert 'href="data/reports.xlsx"' in page and "字段说明" in page
    content = output.parent / "content"
    build(Config(content, tmp_path / "again", cache=None, jobs=1))
    assert (tmp_path / "again/data/reports.xlsx").read_bytes() == (output / "data/reports.xlsx").read_bytes()


def test_an_edit_of_a_reports_text_alone_keeps_the_workbook(tmp_path):
    """Only the file's hash changes in reports.csv: the workbook, which leaves it out, is not made again."""
    from nianbao.build.pipeline import build
    from nianbao.config import Config

    content = tmp_path / "content"
    content.mkdir()
    seed = Path(__file__).resolve().parent.parent / "content" / "000_ec54cc23732cb7e6.txt"
    (content / "a.txt").write_bytes(seed.read_bytes())
    config = Config(content, tmp_path / "out", cache=tmp_path / "cache", jobs=1)
    build(config)
    before = (tmp_path / "out" / "data" / "reports.xlsx").stat().st_mtime_ns
    (content / "a.txt").write_text(seed.read_text(encoding="utf-8") + "\n附：本报告另有纸质版。\n", encoding="utf-8")
    build(config)
    assert (tmp_path / "out" / "data" / "reports.xlsx").stat().st_mtime_ns == before

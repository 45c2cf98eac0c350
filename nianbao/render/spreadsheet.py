"""data/reports.xlsx: reports.csv for people who open it in a spreadsheet (issue 20, item 12).

reports.csv stays what programs read (dotted keys, one row a report). The workbook holds the same
rows with Chinese column names in the template's order (who published it, then 一、主动公开, 二、申请
情况, 三、行政复议与诉讼, then the site's notes), numbers as numbers (how each figure was obtained, its
provenance.* columns, stays in the CSV: 200 columns of 表格/正文 would bury the figures), and a second sheet,
字段说明, that names each column's key in reports.csv / reports.json, its kind and what it means.

It is made from exactly what reports.csv is made of (its columns and its lines), so the two never
disagree, whichever reports a build made again.
Text is neutralised as in reports.csv (export.inert: a cell starting with = + - @ tab or CR gets a
leading apostrophe) and written as text, never as a formula. XlsxWriter writes it: reproducibly
(fixed zip and document dates), so an unchanged site is byte for byte the same, and it is made
again only when reports.csv's content changed.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections.abc import Callable, Iterable

from nianbao.export import inert
from nianbao.render import labels
from nianbao.render.memo import Kind, Memo
from nianbao.write import Writer

PATH = "data/reports.xlsx"
VERSION = "1"  # of the workbook's layout: part of its stamp
_MADE = datetime.datetime(2000, 1, 1)  # the document's date: fixed, so the same data gives the same bytes

_META = {  # key: (name, what it is)
    "id": ("编号", "报告在本网站的编号（报告页 report/编号.html，JSON 文件 data/reports/编号.json）"),
    "agency": ("机关", "发布报告的机关"),
    "agency_id": ("机关标识", "机关的标识（同一机关各年度相同）"),
    "region.province": ("省", "所属省级行政区"),
    "region.city": ("市", "所属地级行政区"),
    "region.county": ("县（区）", "所属县级行政区"),
    "region.code": ("行政区划代码", "所属行政区的代码（文字，保留前导零）"),
    "year": ("年度", "报告的统计年度"),
    "published": ("发布日期", "报告的成文或发布日期（YYYY-MM-DD 或 YYYY-MM）"),
    "template": ("报告形式", "自由行文 / 2019 年版表格 / 2021 年版表格"),
}
_TAIL = {
    "flags": ("数据提示", "网站对这份报告的数据质量提示（名称见网站“数据质量”页）"),
    "corrections": ("校正", "旁注文件中的人工校正：键 原值→校正值（理由）"),
    "format": ("原文格式", "原文文件的格式"),
    "source": ("原文文件", "原文在内容目录中的路径"),
}
_SHA256 = re.compile(rb"\b[0-9a-f]{64}\b")


def _expanded(key: str) -> tuple[str, ...]:
    """A key of the site's figure order as the CSV's columns: 规章/规范性文件 by column, the request table
    (before the prose outcomes) row by row."""
    if key in ("proactive.rules", "proactive.normative"):
        return tuple(f"{key}.{k}" for k in labels.RULES)
    if key == "requests.outcomes":
        return (*(f"requests.matrix.{row}.{column}" for row in labels.ROWS for column in labels.COLUMNS), key)
    return (key,)


_FIGURES = tuple(column for key in labels.FIGURE_ORDER for column in _expanded(key))  # the report page's order
_TEXT_FIGURES = frozenset(("proactive.channels", "proactive.categories", "requests.outcomes"))  # name:count；…
_ORDER = {key: i for i, key in enumerate((*_META, *_FIGURES, *_TAIL))}
_NAMES = {  # where the site's short name would be unclear in a column of its own
    "proactive.total": "主动公开政府信息（条）",
    "reconsideration.total": "行政复议：总计",
    "litigation.total": "行政诉讼：总计（两类起诉之和）",
    "fees.collected_yuan": "收取信息处理费（元）",
}


def without_hash(line: bytes) -> bytes:
    """A line of reports.csv as the workbook shows it: without the file's hash."""
    return _SHA256.sub(b"", line)


def write_reports(
    writer: Writer, memo: Memo, columns: tuple[str, ...], lines: Iterable[bytes], ids: tuple[str, ...], same_as_last: bool
) -> None:
    """Write data/reports.xlsx from reports.csv's ``columns`` and ``lines`` (its rows, as written there, of the
    reports ``ids``), unless the last build made it from the same ones and it is still there; ``same_as_last``: the
    caller knows each line is its report's last but for the file's hash (a few reports' text edited)."""
    last = memo.last.get((Kind.XLSX,))
    if same_as_last and last is not None and last[1] == ids and memo.reuse((Kind.XLSX,), last[0]) and writer.keep(PATH):
        return
    lines = list(lines)
    digest = hashlib.blake2b(VERSION.encode(), digest_size=16)
    digest.update("\x1f".join(columns).encode("utf-8"))
    for line in lines:  # all but the file's hash, which the workbook leaves out: an edit of a report's text alone
        digest.update(without_hash(line))  # does not make the whole workbook again (5 s at 10,000 reports)
    stamp = digest.hexdigest()
    if last is not None and last == (stamp, ids) and memo.reuse((Kind.XLSX,), stamp) and writer.keep(PATH):
        return
    writer.write(PATH, workbook(columns, lines))
    memo.put((Kind.XLSX,), (stamp, ids))


def ordered(columns: Iterable[str]) -> list[str]:
    """``columns`` in the template's order; a column this module does not know comes after the last
    known one it shares the longest dotted prefix with (in the order it came), else at the end."""
    columns = list(columns)
    known = sorted(_ORDER, key=_ORDER.__getitem__)

    def place(item: tuple[int, str]) -> tuple[float, int]:
        seen, key = item
        if key in _ORDER:
            return _ORDER[key], seen
        parts = key.split(".")
        for n in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:n])
            near = [_ORDER[k] for k in known if k == prefix or k.startswith(prefix + ".")]
            if near:
                return max(near) + 0.5, seen
        return len(_ORDER) + 1, seen

    return [key for _, key in sorted(enumerate(columns), key=place)]


def column_name(key: str) -> str:
    """What the workbook calls a column of reports.csv."""
    if key in _META:
        return _META[key][0]
    if key in _TAIL:
        return _TAIL[key][0]
    if key.startswith("requests.outcomes."):
        return f"办理结果（正文）：{key[len('requests.outcomes.') :]}"
    if key.startswith("requests.matrix."):
        row, column = key[len("requests.matrix.") :].rsplit(".", 1)
        return f"申请情况表：{labels.ROWS.get(row, row)}（{labels.COLUMNS.get(column, column)}）"
    return _NAMES.get(key) or labels.figure_label(key)


def _explain(key: str) -> str:
    if key in _META:
        return _META[key][1]
    if key in _TAIL:
        return _TAIL[key][1]
    if key in _TEXT_FIGURES:
        return "报告所列各项及其数字（名称:数字，以“；”分隔）"
    if key.startswith("requests.matrix."):
        return "政府信息公开申请情况表中的这一格；空白表示报告没有这一格或没有写出"
    return "报告所载的数字；空白表示报告未载明（不等于 0）"


def _numeric(key: str) -> bool:
    return key == "year" or (key in _ORDER and key.split(".")[0] in ("proactive", "requests", "reconsideration",
                                                                      "litigation", "fees") and key not in _TEXT_FIGURES)


def _number(cell: str) -> str | int | float:
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        number = float(cell)
    except ValueError:
        return inert(cell)  # type: ignore[return-value]
    return number if number == number and abs(number) != float("inf") else inert(cell)  # type: ignore[return-value]


def _converter(key: str) -> Callable[[str], str | int | float]:
    """How a column's cells of reports.csv are held in the workbook: numbers in a figure's column, text
    otherwise (neutralised as reports.csv has it; the site's codes named in Chinese)."""
    if _numeric(key):
        return _number
    if key == "template":
        return lambda cell: labels.TEMPLATES.get(cell, cell)
    if key == "flags":
        return lambda cell: "；".join(labels.FLAGS[c][0] if c in labels.FLAGS else c for c in cell.split(";") if c)
    return inert  # type: ignore[return-value]


def workbook(columns: tuple[str, ...], lines: list[bytes]) -> bytes:
    """The workbook of reports.csv's ``columns`` and ``lines``."""
    import xlsxwriter  # here: only a build that writes the data files needs it

    # how each figure was obtained, and the file's hash: in the CSV
    order = ordered(key for key in columns if not key.startswith("provenance.") and key != "sha256")
    where = [columns.index(key) for key in order]
    numeric = [_numeric(key) for key in order]
    convert = [_converter(key) for key in order]
    names = _unique([column_name(key) for key in order])
    out = io.BytesIO()
    # constant_memory: each row goes out as it is written (at 10,000 reports 26 MB more at the peak, not 310 MB,
    # and 10 s, not 16; its text is stored in the cells, so the file is 7% larger)
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(out, options)
    book.set_properties({"title": "政府信息公开工作年度报告数据", "created": _MADE})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F3F0EB", "bottom": 1})
    sheet = book.add_worksheet("报告")
    sheet.write_row(0, 0, names, head)
    sheet.set_row(0, 48)
    sheet.freeze_panes(1, 2)  # the header and the report's id and agency stay in view
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, len(order) - 1, 12)
    rows = csv.reader(io.TextIOWrapper(io.BytesIO(b"".join(lines)), encoding="utf-8", newline=""))
    n = 0
    write_string, write_number = sheet.write_string, sheet.write_number
    for n, cells in enumerate(rows, 1):
        width = len(cells)
        for j, at in enumerate(where):
            cell = cells[at] if at < width else ""
            if cell == "":
                continue  # 未载明: an empty cell, not 0
            value = convert[j](cell)
            if isinstance(value, str):
                write_string(n, j, value)
            else:
                write_number(n, j, value)
    sheet.autofilter(0, 0, max(n, 1), len(order) - 1)
    _fields(book, head, order, names, numeric)
    book.close()
    return out.getvalue()


def _fields(book, head, order: list[str], names: list[str], numeric: list[bool]) -> None:  # type: ignore[no-untyped-def]
    sheet = book.add_worksheet("字段说明")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write_row(0, 0, ["列", "列名", "reports.csv / reports.json 中的键", "类型", "说明"], head)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, 2, 48)
    sheet.set_column(3, 3, 6)
    sheet.set_column(4, 4, 70)
    for i, (key, name, number) in enumerate(zip(order, names, numeric, strict=True), 1):
        sheet.write_string(i, 0, _letters(i - 1))
        sheet.write_string(i, 1, inert(name), wrap)
        sheet.write_string(i, 2, inert(key), wrap)
        sheet.write_string(i, 3, "数字" if number else "文字")
        sheet.write_string(i, 4, _explain(key), wrap)
    notes = (
        "每行一份报告，与 reports.csv 的行相同（reports.csv 以英文键为列名，供程序读取）。",
        "空白单元格表示报告未载明这个数字，不等于 0。",
        "以 = + - @、制表符或回车开头的文字前加了一个 '，防止被当作公式；数字不变。",
        "每个数字怎样得来（表格、正文、推算、人工校正）和它在原文中的出处，见 reports.csv 的 provenance.* 列和 reports.json。",
    )
    for k, note in enumerate(notes):
        sheet.write_string(len(order) + 2 + k, 1, note)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return out


def _letters(index: int) -> str:
    """A spreadsheet's name for a column (0 -> A, 26 -> AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name

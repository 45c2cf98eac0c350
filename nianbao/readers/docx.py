"""Word files -> report text: paragraphs as lines, tables as tab-separated rows.

.docx is read with python-docx, body paragraphs and tables in document order (a
table used for layout, such as a frame around the whole report, read as the
paragraphs and tables in its cells); a
cell merged across columns or rows gives its text at its first grid position and
an empty cell at the others, the way the html reader expands colspan/rowspan (repeating
the text would put a caption or a figure into every column it spans). .doc and
.wps are first converted to .docx by LibreOffice, when it is installed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from nianbao.readers.text import Unreadable

MAX_DOCX_XML = 64 * 1024 * 1024  # a .docx's XML unpacked, at most: a 300-page report has a few MB; lxml takes ~8x
MAX_DOCX_TOTAL = 256 * 1024 * 1024  # all its parts unpacked, images included


def _cell_text(cell: object) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())  # type: ignore[attr-defined]


def _table_lines(table: object) -> list[str]:
    """One line a row, cells tab-separated; a merged cell's other grid positions (python-docx hands back the
    same cell for them, left of it or above it) are empty."""
    lines = []
    above: list[object] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = row.cells
        texts = []
        for i, cell in enumerate(cells):
            merged = (i and cells[i - 1]._tc is cell._tc) or (i < len(above) and above[i] is cell._tc)
            texts.append("" if merged else _cell_text(cell))
        above = [cell._tc for cell in cells]
        lines.append("\t".join(texts))
    return lines


def _too_large(data: bytes) -> str | None:
    """Why a .docx is refused before it is unpacked (its XML would take gigabytes), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):  # python-docx says what is wrong with it
        return None
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    total = sum(m.file_size for m in members)
    if xml > MAX_DOCX_XML or total > MAX_DOCX_TOTAL:  # zipfile stops at the sizes these declare: they bind
        return (f"解压后过大（XML {xml // 1048576} MB，共 {total // 1048576} MB；上限 {MAX_DOCX_XML // 1048576} MB 与 "
                f"{MAX_DOCX_TOTAL // 1048576} MB），可能是压缩炸弹，已跳过；请另存为 .pdf 或 .txt")  # fmt: skip
    return None


def docx_text(data: bytes) -> str:
    """A .docx's bytes -> its paragraphs and tables as lines, or Unreadable (not a .docx, or a zip bomb)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if (why := _too_large(data)) is not None:
        raise Unreadable(why)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable(f"不是有效的 Word（.docx）文件（{exc}），已跳过；请用 Word 或 WPS 重新另存为 .docx") from exc
    lines: list[str] = []
    _blocks(document, lines, Paragraph, Table, 0)
    return "\n".join(lines)


def _blocks(container: object, lines: list[str], paragraph: type, table: type, depth: int) -> None:
    """Paragraphs and tables in document order; a layout table (a cell holding a table or prose: the whole report
    framed in a one-cell table, say) is read cell by cell as blocks, to a depth of 20."""
    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, paragraph):
            lines.append(block.text)  # type: ignore[attr-defined]
        elif isinstance(block, table):
            if depth < 20 and _is_layout(block):
                seen: set[int] = set()
                for cell in (cell for row in block.rows for cell in row.cells):  # type: ignore[attr-defined]
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        _blocks(cell, lines, paragraph, table, depth + 1)
                continue
            lines.extend(_table_lines(block))
            lines.append("")


def _is_layout(table: object) -> bool:
    for row in table.rows:  # type: ignore[attr-defined]
        for cell in row.cells:
            if cell.tables:
                return True
            text = "".join(p.text for p in cell.paragraphs)
            if len(text) > 300 or ("。" in text and len(text) > 30 and len(table.rows) < 4):  # type: ignore[attr-defined]
                return True
    return False


def legacy_word_text(data: bytes, suffix: str) -> str:
    """.doc / .wps via ``soffice --headless --convert-to docx``."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise Unreadable(f"读取 {suffix} 需要 LibreOffice，本机没有安装，已跳过；请安装 LibreOffice，或把文件另存为 .docx")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, f"report{suffix}")
        source.write_bytes(data)
        try:
            subprocess.run(
                [office, "--headless", "--convert-to", "docx", "--outdir", tmp, str(source)],
                capture_output=True,
                timeout=120,
                check=True,
            )
            return docx_text(Path(tmp, "report.docx").read_bytes())
        except (subprocess.SubprocessError, OSError) as exc:
            raise Unreadable(f"LibreOffice 无法转换该 {suffix} 文件，已跳过；请用 Word 或 WPS 另存为 .docx") from exc

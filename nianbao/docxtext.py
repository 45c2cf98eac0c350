"""Word files -> report text: paragraphs as lines, tables as tab-separated rows.

.docx is read with python-docx, body paragraphs and tables in document order; a
cell merged across columns or rows repeats its text in each grid position, the
way htmltext expands colspan/rowspan. .doc and .wps are first converted to .docx
by LibreOffice, when it is installed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from nianbao.load import Unreadable


def _cell_text(cell: object) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())  # type: ignore[attr-defined]


def docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable(f"不是有效的 Word（.docx）文件（{exc}），已跳过；请用 Word 或 WPS 重新另存为 .docx") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append("\t".join(_cell_text(cell) for cell in row.cells))
            lines.append("")
    return "\n".join(lines)


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

"""Full-text search: a Pagefind index of the report pages, made after they are written.

Pagefind (from PyPI, ``pagefind[bin]``) reads the built report pages, segments the
Chinese text and writes a static index that the search page loads on demand, so
search works from any host and under any sub-path. Its files go through the
Writer like every other file of the site.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from nianbao.model import Problem
from nianbao.write import Writer

FOLDER = "pagefind"


def index_reports(
    output: Path, writer: Writer, stamp: object, last: tuple[object, list[str]] | None
) -> tuple[tuple[object, list[str]], Problem | None]:
    """Index report/*.html of ``output`` unless ``stamp`` is that of the last index; ((stamp, files), problem)."""
    if last is not None and last[0] == stamp and all(writer.keep(rel) for rel in last[1]):
        return last, None
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(output), "--output-path", tmp, "--glob", "report/*.html", "--quiet"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if run.returncode != 0:
            reason = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["未知原因"]
            return (None, []), Problem(
                "pagefind", "search", f"未能生成全文搜索索引（{reason[0]}）；请运行 pip install -r requirements.txt"
            )
        files = []
        for path in sorted(Path(tmp).rglob("*")):
            if path.is_file():
                rel = f"{FOLDER}/{path.relative_to(tmp).as_posix()}"
                writer.write(rel, path.read_bytes())
                files.append(rel)
    return (stamp, files), None

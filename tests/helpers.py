"""Shared by the tests: parse a text or a file the way the build does, look up dotted keys, write generated
reports into a content folder, read a built site back."""

from pathlib import Path
from typing import Any

from nianbao.check import check_report
from nianbao.export import report_dict
from nianbao.load import load_source
from nianbao.model import SourceDoc
from nianbao.parse import parse_report
from tools.corpus import generate


def lookup(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def parse_text(text: str, name: str = "report.txt") -> dict[str, Any]:
    report = parse_report(SourceDoc(name, "0" * 64, "txt", text))
    return report_dict(report.with_flags(check_report(report)))


def parse_file(path: Path) -> dict[str, Any]:
    doc, problems = load_source(path, path.parent)
    assert doc is not None, problems
    report = parse_report(doc)
    return report_dict(report.with_flags(check_report(report)))


def generated_content(folder: Path, count: int) -> Path:
    """``folder`` made, with the generator's first ``count`` reports in it."""
    folder.mkdir()
    for seed in range(count):
        g = generate(seed)
        (folder / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
    return folder


def site_files(root: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in it."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# headless Chromium as the browser tests start it: Debian's, with no network of its own to reach
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip

"""Differential test: after an edit to the code or a template, a rebuild that keeps its caches writes
exactly what a build without them writes. Run on a copy of the project, so the edits touch nothing here.

Each edit changes what the site shows where it should (an edit that changes nothing proves nothing):
a rule of the search index (the pair 公开 must go: the stale cache once kept it), a template's words,
a label of the pages, a parser vocabulary entry, and a comment only."""

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

EDITS = {
    "search rule": (
        "nianbao/search.py",
        '"".join(nfkc(text).lower().split())',
        '"".join(nfkc(text).lower().replace("公开", "").split())',
    ),
    "template": ("templates/agencies.html", "</h1>", "（已改）</h1>"),
    "page label": ("nianbao/render/labels.py", "自由行文", "自由行文（改）"),
    "parser vocabulary": ("nianbao/parse/vocab.py", '"政务微博",', '"政务微博（改）",'),
    "comment only": ("nianbao/write.py", '"""', '"""  '),
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _build(project: Path, out: Path, *extra: str) -> None:
    run = subprocess.run(
        [sys.executable, "build.py", "-q", "--output", str(out), *extra],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("project") / "p"
    ignore = shutil.ignore_patterns(".git", ".cache", "output", "node_modules", "tests", "__pycache__", "*.pyc")
    shutil.copytree(ROOT, copy, ignore=ignore)
    return copy


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_rebuild_after_an_edit_writes_what_a_clean_build_writes(project: Path, edit: str) -> None:
    path, old, new = EDITS[edit]
    file = project / path
    original = file.read_text(encoding="utf-8")
    assert old in original, f"{path} no longer holds {old!r}: update the edit"
    out = project / "site"
    _build(project, out)  # the caches as they are before the edit
    file.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        _build(project, out)
        clean = project / "clean"
        _build(project, clean, "--no-cache")
        got, want = _tree(out), _tree(clean)
        assert sorted(got) == sorted(want)
        differ = [name for name in want if got[name] != want[name] and not name.endswith(".nianbao-manifest.json")]
        assert differ == [], differ[:5]
    finally:
        file.write_text(original, encoding="utf-8")
        shutil.rmtree(project / "clean", ignore_errors=True)
    assert filecmp.cmp(file, ROOT / path, shallow=False)

"""Differential test: after an edit to the code or a template, a rebuild that keeps its caches writes
exactly what a build without them writes. Run on a copy of the project, so the edits touch nothing here.

Each edit changes what the site shows where it should (an edit that changes nothing proves nothing):
a rule of the search index (the pair 公开 must go: the stale cache once kept it), a template's words,
a label of the pages, a parser vocabulary entry, and a comment only."""

import filecmp
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.corpus import generate

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


def _corpus_step_edit(content: Path, files: list[Path]) -> None:
    """Text only (what only the report's own pages show)."""
    _replace(files[1], "政府信息", "政府資訊")


def _corpus_step_figure(content: Path, files: list[Path]) -> None:
    """A figure the lists, charts and totals show."""
    figure = re.search(r"\d{2,}", files[2].read_text(encoding="utf-8").split("\n", 8)[-1]).group()  # type: ignore[union-attr]
    _replace(files[2], figure, figure + "3")


def _corpus_step_delete(content: Path, files: list[Path]) -> None:
    files[0].unlink()


def _corpus_step_rename(content: Path, files: list[Path]) -> None:
    """One report moved to another folder, one renamed where it is (its id and place in the lists change)."""
    files[3].rename(files[5].parent / ("moved-" + files[3].name))
    files[4].rename(files[4].with_name("aaa-" + files[4].name))


def _corpus_step_add_and_edit(content: Path, files: list[Path]) -> None:
    """A report added, two edited, and one renamed back under its first name with new content."""
    g = generate(500)
    (content / g.folder).mkdir(parents=True, exist_ok=True)
    (content / g.folder / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
    _replace(files[6], "。", "。补记一句。")
    _replace(files[7], "政府信息", "政府資訊")
    moved = files[4].with_name("aaa-" + files[4].name)
    moved.rename(files[4])
    _replace(files[4], "。", "。又补一句。")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} holds no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CORPUS_STEPS = [_corpus_step_edit, _corpus_step_figure, _corpus_step_delete, _corpus_step_rename, _corpus_step_add_and_edit]


def test_rebuilds_after_edits_deletions_and_renames_of_a_generated_corpus_write_what_a_clean_build_writes(
    tmp_path: Path,
) -> None:
    """On a generated corpus in 省/市/县 folders, from the command line with the caches kept: after each change to
    the reports (edits of text and of figures, deletions, renames and moves, additions), the output is the clean build's."""
    content = tmp_path / "content"
    for seed in range(24):
        g = generate(seed)
        (content / g.folder).mkdir(parents=True, exist_ok=True)
        (content / g.folder / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
    files = sorted(content.rglob("*.txt"))

    def build(out: str, *extra: str) -> None:
        run = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "-q", "--content", str(content), "--output", out, *extra],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr

    build("site")
    for step in CORPUS_STEPS:
        step(content, files)
        build("site")
        build("clean", "--no-cache")
        got, want = _tree(tmp_path / "site"), _tree(tmp_path / "clean")
        assert sorted(got) == sorted(want), step.__name__
        differ = [name for name in want if got[name] != want[name] and not name.endswith(".nianbao-manifest.json")]
        assert differ == [], (step.__name__, differ[:5])
        shutil.rmtree(tmp_path / "clean")

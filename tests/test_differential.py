"""Differential test: after an edit to the code or a template, a rebuild that keeps its caches writes
exactly what a build without them writes. Run on a copy of the project, so the edits touch nothing here.

Each edit changes what the site shows where it should (an edit that changes nothing proves nothing):
a rule of the search index (the pair 公开 must go: the stale cache once kept it), a template's words,
a label of the pages, a parser vocabulary entry, and a comment only. Every template gets a mark where it
is rendered, each in turn; every module, template and site_src file must change the build's code version
or stamp when edited (a comment is enough), so no edit of any of them can leave a cached page behind."""

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.build.cache import package_digest
from nianbao.build.state import scan, setup
from nianbao.config import Config
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


def _assert_same(site: Path, clean: Path, why: str = "") -> None:
    """The same files, byte for byte, in a site built with caches and a clean one (their manifests aside)."""
    got, want = _tree(site), _tree(clean)
    assert sorted(got) == sorted(want), why
    differ = [name for name in want if got[name] != want[name] and not name.endswith(".nianbao-manifest.json")]
    assert differ == [], (why, differ[:5])


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
        _assert_same(out, clean)
    finally:
        file.write_text(original, encoding="utf-8")
        shutil.rmtree(project / "clean", ignore_errors=True)
    assert filecmp.cmp(file, ROOT / path, shallow=False)


MARK = "<i>差异测试</i>"


def _marked(source: str) -> str:
    """A template with a mark where it is rendered: inside its first macro or block, else at its top."""
    m = re.search(r"{%-?\s*(?:macro|block)\b[^%]*%}", source)
    return source[: m.end()] + MARK + source[m.end() :] if m else MARK + source


@pytest.fixture(scope="module")
def baseline(project: Path) -> dict[str, bytes]:
    """The clean build of the project's content before any edit."""
    _build(project, project / "baseline", "--no-cache")
    return _tree(project / "baseline")


@pytest.mark.parametrize("template", sorted(p.name for p in (ROOT / "templates").glob("*.html")))
def test_a_rebuild_after_marking_any_template_writes_what_a_clean_build_writes(
    project: Path, baseline: dict[str, bytes], template: str
) -> None:
    file = project / "templates" / template
    original = file.read_text(encoding="utf-8")
    out = project / "site"
    _build(project, out)
    file.write_text(_marked(original), encoding="utf-8")
    try:
        _build(project, out)
        _build(project, project / "clean", "--no-cache")
        want = _tree(project / "clean")
        assert any(want.get(name) != data for name, data in baseline.items()), f"marking {template} changed no file"
        _assert_same(out, project / "clean")
    finally:
        file.write_text(original, encoding="utf-8")
        shutil.rmtree(project / "clean", ignore_errors=True)


def test_an_edit_of_any_module_changes_the_code_version(project: Path) -> None:
    package = project / "nianbao"
    before = package_digest(package)
    modules = sorted(package.rglob("*.py"))
    assert len(modules) > 40
    for module in modules:
        original = module.read_bytes()
        module.write_bytes(original + b"# an edit\n")
        try:
            assert package_digest(package) != before, module
        finally:
            module.write_bytes(original)
    assert package_digest(package) == before


def test_an_edit_of_any_template_or_site_src_file_changes_the_setup(project: Path) -> None:
    config = Config(project / "content", project / "out", templates=project / "templates", site_src=project / "site_src")
    listing = scan(config.content)
    before = setup(config, listing)
    files = [*sorted((project / "templates").iterdir()), *sorted(p for p in (project / "site_src").iterdir() if p.is_file())]
    assert len(files) > 15
    for file in files:
        original = file.read_bytes()
        file.write_bytes(original + b"\n")
        try:
            assert setup(config, listing) != before, file.name
        finally:
            file.write_bytes(original)


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


def _corpus_step_year_and_agency(content: Path, files: list[Path]) -> None:
    """One report's year moved two years back, another's agency renamed (lists, agency pages and flags regroup)."""
    text = files[10].read_text(encoding="utf-8")
    year = re.search(r"(20\d\d)年", text).group(1)  # type: ignore[union-attr]
    files[10].write_text(text.replace(year, str(int(year) - 2)), encoding="utf-8")
    text = files[11].read_text(encoding="utf-8")
    name = re.match(r"(.+?)20\d\d年", text).group(1)  # type: ignore[union-attr]
    files[11].write_text(text.replace(name, name[:3] + "新" + name[3:]), encoding="utf-8")


def _corpus_step_merge(content: Path, files: list[Path]) -> None:
    """Two agencies said to be one (content/agencies.yaml), then a third name added to them."""
    names = [generate(seed).expected["agency"] for seed in (8, 9)]
    (content / "agencies.yaml").write_text(f"- [{names[0]}, {names[1]}]\n", encoding="utf-8")


def _corpus_step_merge_more(content: Path, files: list[Path]) -> None:
    third = generate(10).expected["agency"]
    _replace(content / "agencies.yaml", "]", f", {third}]")


def _corpus_step_unmerge(content: Path, files: list[Path]) -> None:
    (content / "agencies.yaml").unlink()


def _corpus_step_touch(content: Path, files: list[Path]) -> None:
    """A file's time changed, its content not (read again, the same report); another's text edited."""
    os.utime(files[12], ns=(files[12].stat().st_atime_ns, files[12].stat().st_mtime_ns + 10**9))
    _replace(files[13], "政府信息", "政府資訊")


def _corpus_step_correct(content: Path, files: list[Path]) -> None:
    """A correction in a report's sidecar (the figure, its provenance and the review pages change)."""
    files[14].with_name(files[14].name + ".yaml").write_text(
        "corrections:\n  proactive.total: {value: 4321, reason: 测试更正}\n", encoding="utf-8"
    )


def _corpus_step_bad_file_and_gone_page(content: Path, files: list[Path]) -> None:
    """A file that cannot be read (a problem the home and flags pages name), a page of the site gone, a text edit."""
    (content / "broken.pdf").write_bytes(b"not a pdf")
    (content.parent / "site" / "agencies.html").unlink()
    _replace(files[15], "政府信息", "政府資訊")


def _corpus_step_nothing(content: Path, files: list[Path]) -> None:
    """Nothing changed."""


def _corpus_step_fix_bad_file(content: Path, files: list[Path]) -> None:
    (content / "broken.pdf").unlink()
    _replace(files[15], "。", "。补记一句。")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} holds no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CORPUS_STEPS = [
    _corpus_step_edit, _corpus_step_figure, _corpus_step_year_and_agency, _corpus_step_merge, _corpus_step_merge_more,
    _corpus_step_delete, _corpus_step_unmerge, _corpus_step_rename, _corpus_step_add_and_edit, _corpus_step_touch,
    _corpus_step_correct, _corpus_step_bad_file_and_gone_page, _corpus_step_nothing, _corpus_step_fix_bad_file,
]  # fmt: skip


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
        _assert_same(tmp_path / "site", tmp_path / "clean", step.__name__)
        shutil.rmtree(tmp_path / "clean")

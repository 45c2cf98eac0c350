"""Rebuilds from the command line: what an edit costs, and that the site is still a clean build's."""

import json
import re
from pathlib import Path

from helpers import generated_content, site_files
from nianbao.build.cache import ParseCache
from nianbao.build.pipeline import Builder, build
from nianbao.config import Config
from tools.corpus import generate


def test_a_rebuild_reads_whole_only_the_reports_whose_pages_change(tmp_path, monkeypatch):
    content = generated_content(tmp_path / "content", 40)
    config = Config(content, tmp_path / "inc", cache=tmp_path / "cache", jobs=1)
    build(config)
    edited = sorted(content.glob("*.txt"))[5]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text + "\n本段为修改后新增的内容。\n", encoding="utf-8")

    read: list[str] = []
    real_get = ParseCache.get

    def counting_get(self, sha256, source):
        read.append(source)
        return real_get(self, sha256, source)

    monkeypatch.setattr(ParseCache, "get", counting_get)
    result = build(config)
    monkeypatch.undo()

    assert result.changed  # only the edited report's own files and its agency's page were planned
    assert 0 < result.written < 20  # of 130 files
    reports = json.loads((tmp_path / "inc/data/reports.json").read_text(encoding="utf-8"))["reports"]
    agency = next(r["agency"] for r in reports if r["source"] == edited.name)
    siblings = {r["source"] for r in reports if r["agency"] == agency}  # on the edited report's agency page
    assert set(read) <= siblings  # the edited one looked up (its new content is not cached) and those
    assert len(reports) == 40
    build(Config(content, tmp_path / "clean", cache=None, jobs=1))
    inc, clean = site_files(tmp_path / "inc"), site_files(tmp_path / "clean")
    assert inc.keys() == clean.keys()
    assert [name for name in inc if inc[name] != clean[name]] == []


def test_rebuilds_after_edits_removals_and_additions_match_clean_builds(tmp_path):
    content = generated_content(tmp_path / "content", 12)
    config = Config(content, tmp_path / "inc", cache=tmp_path / "cache", jobs=1)
    build(config)
    files = sorted(content.glob("*.txt"))
    original = files[6].read_text(encoding="utf-8")

    def edit(path: Path, old: str, new: str) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    def first_figure(path: Path) -> str:
        return re.search(r"\d{2,}", path.read_text(encoding="utf-8").split("\n", 8)[-1]).group()  # type: ignore[union-attr]

    steps = [
        lambda: files[0].unlink(),  # the first piece of reports.json gone
        lambda: edit(files[6], "政府信息", "政府資訊"),  # text only: only its own pages planned
        lambda: edit(files[6], "。", "。补记一句。"),  # and again
        lambda: files[6].write_text(original, encoding="utf-8"),  # back as it was
        lambda: edit(files[3], first_figure(files[3]), first_figure(files[3]) + "7"),  # a figure
        lambda: (  # output files gone, and a figure edited: their pieces come from the last reports.json, or are made
            [p.unlink() for p in sorted((tmp_path / "inc/data/reports").glob("*.json"))[::3]],
            edit(files[2], first_figure(files[2]), first_figure(files[2]) + "1"),
        ),
        lambda: ((tmp_path / "inc/data/reports.json").unlink(), edit(files[5], "政府信息", "政府資訊")),
        lambda: files[-1].unlink(),  # the last one
        lambda: (content / "zz-new.txt").write_text(generate(50).text, encoding="utf-8"),
    ]
    for n, step in enumerate(steps):
        step()
        build(config)
        build(Config(content, tmp_path / f"clean{n}", cache=None, jobs=1))
        inc, clean = site_files(tmp_path / "inc"), site_files(tmp_path / f"clean{n}")
        assert inc.keys() == clean.keys()
        assert [name for name in inc if inc[name] != clean[name]] == [], f"after step {n}"


def test_a_command_line_build_after_the_preview_server_wrote_matches_a_clean_build(tmp_path):
    """The preview server writes the site without keeping the command line's memo up to date: the next
    ``python build.py`` must not trust that memo's record of what is on disk."""
    content = generated_content(tmp_path / "content", 12)
    config = Config(content, tmp_path / "site", cache=tmp_path / "cache", jobs=1)
    build(config)
    edited = sorted(content.glob("*.txt"))[4]
    before = edited.read_text(encoding="utf-8")
    server = Builder(config)  # as serve.py keeps one
    edited.write_text(before.replace("政府信息", "政府資訊", 1), encoding="utf-8")
    server.build()
    edited.write_text(before, encoding="utf-8")  # back as the last command-line build saw it, with no server running
    build(config)
    build(Config(content, tmp_path / "clean", cache=None, jobs=1))
    site, clean = site_files(tmp_path / "site"), site_files(tmp_path / "clean")
    assert site.keys() == clean.keys()
    assert [name for name in site if site[name] != clean[name]] == []


def _same_as_clean(content: Path, site: Path, clean: Path) -> list[str]:
    """The files of ``site`` that differ from a clean build's (manifests aside), or are only in one of them."""
    build(Config(content, clean, cache=None, jobs=1))
    got, want = site_files(site), site_files(clean)
    return sorted(got.keys() ^ want.keys()) + [k for k in want.keys() & got.keys() if got[k] != want[k] and "manifest" not in k]


def test_the_output_folder_deleted_is_built_whole_again(tmp_path):
    """The memo says nothing changed, but the output folder (and its manifest) is gone: every page is made again."""
    import shutil

    content = generated_content(tmp_path / "content", 8)
    config = Config(content, tmp_path / "site", cache=tmp_path / "cache", jobs=1)
    build(config)
    shutil.rmtree(tmp_path / "site")
    assert build(config).changed is None
    assert _same_as_clean(content, tmp_path / "site", tmp_path / "clean") == []
    assert build(config).up_to_date  # and the next build takes it as its own


def test_a_build_stopped_between_writing_pages_and_recording_them_is_not_trusted(tmp_path, monkeypatch):
    """A text edit's pages swapped in, then the build killed before the memo's journal recorded them (simulated): the
    journal's pending mark makes the next build plan the whole site, so undoing the edit undoes its pages."""
    import pytest

    from nianbao.build.state import Saved

    content = generated_content(tmp_path / "content", 8)
    config = Config(content, tmp_path / "site", cache=tmp_path / "cache", jobs=1)
    build(config)
    edited = sorted(content.glob("*.txt"))[3]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("政府信息", "政府資訊", 1), encoding="utf-8")

    def killed(self: Saved, generation: object, changes: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Saved, "append", killed)
    with pytest.raises(KeyboardInterrupt):
        build(config)
    monkeypatch.undo()
    edited.write_text(text, encoding="utf-8")
    assert build(config).changed is None
    assert _same_as_clean(content, tmp_path / "site", tmp_path / "clean") == []


def test_the_preview_and_command_line_builds_into_one_output_take_turns_without_stale_pages(tmp_path):
    """The preview server's Builder writes the output after a command-line build saved its memo: that memo is
    forgotten, so the next command-line build does not trust it."""
    content = generated_content(tmp_path / "content", 8)
    config = Config(content, tmp_path / "site", cache=tmp_path / "cache", jobs=1)
    preview = Builder(config)  # as serve.py keeps one
    preview.build()
    build(config)
    edited = sorted(content.glob("*.txt"))[2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("政府信息", "政府資訊", 1), encoding="utf-8")
    preview.build()
    edited.write_text(text, encoding="utf-8")
    build(config)
    assert _same_as_clean(content, tmp_path / "site", tmp_path / "clean") == []

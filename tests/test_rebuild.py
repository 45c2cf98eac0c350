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

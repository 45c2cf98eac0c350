"""The search index after an edit: made again only where the edit falls, and the same as a clean build's."""

import json
from pathlib import Path

import pytest

from helpers import generated_content, site_files
from nianbao import search
from nianbao.build.pipeline import Builder, build
from nianbao.config import Config
from nianbao.search import searchable, shard_of
from tools.corpus import generate


def _reports_with(index: Path, phrase: str) -> set[str]:
    """The ids of the reports whose pairs include every pair of ``phrase``, read from the index files."""
    docs = json.loads((index / "docs.json").read_text(encoding="utf-8"))
    found = None
    text = searchable(phrase)
    for pair in (text[i : i + 2] for i in range(len(text) - 1)):
        shard = json.loads((index / f"{shard_of(pair, docs['shards'])}.json").read_text(encoding="utf-8"))
        numbers, n = set(), 0
        for gap in shard.get(pair, []):
            n += gap
            numbers.add(n)
        found = numbers if found is None else found & numbers
    return {docs["docs"][n][0] for n in found or ()}


@pytest.fixture
def content(tmp_path):
    return generated_content(tmp_path / "content", 30)


def test_an_edited_report_updates_only_its_pairs_and_matches_a_clean_build(content, tmp_path, monkeypatch):
    config = Config(content, tmp_path / "inc", cache=None, jobs=1)
    builder = Builder(config)
    builder.build()
    first, second = sorted(content.glob("*.txt"))[:2]
    first.write_text(first.read_text(encoding="utf-8") + "\n本机关在鹦鹉螺湾设立了政务公开体验区。\n", encoding="utf-8")
    text = second.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if len(line) > 12 and not any(c.isdigit() for c in line))
    second.write_text(text.replace(line, "（此段删去）"), encoding="utf-8")

    def full_index(*args):
        raise AssertionError("two edited reports: the index should be updated, not made anew")

    monkeypatch.setattr(search, "_full", full_index)
    builder.build()
    monkeypatch.undo()

    index = tmp_path / "inc" / search.FOLDER
    edited = {r.id for r in builder.build().reports if r.source == first.name}
    assert _reports_with(index, "鹦鹉螺湾") == edited
    assert second.name not in {r.source for r in builder.build().reports if r.id in _reports_with(index, line[:12])}
    build(Config(content, tmp_path / "clean", cache=None, jobs=1))
    inc, clean = site_files(tmp_path / "inc"), site_files(tmp_path / "clean")
    assert inc.keys() == clean.keys()
    assert [name for name in inc if inc[name] != clean[name]] == []


def test_a_new_report_makes_the_index_anew(content, tmp_path):
    builder = Builder(Config(content, tmp_path / "out", cache=None, jobs=1))
    builder.build()
    g = generate(99)
    (content / "new.txt").write_text(g.text + "\n新设的鹦鹉螺湾公开点。\n", encoding="utf-8")
    reports = builder.build().reports
    assert _reports_with(tmp_path / "out" / search.FOLDER, "鹦鹉螺湾") == {r.id for r in reports if r.source == "new.txt"}


def test_rebuilds_from_the_command_line_read_back_the_last_data_and_match_a_clean_build(content, tmp_path):
    """Each run a new Builder, its memo read from .cache: unchanged reports' pieces of reports.json come
    from the file the last run wrote, the edited ones are made again."""
    config = Config(content, tmp_path / "inc", cache=tmp_path / "cache", jobs=1)
    build(config)
    first = sorted(content.glob("*.txt"))[3]
    first.write_text(first.read_text(encoding="utf-8").replace("政府信息", "政府資訊", 1), encoding="utf-8")
    (content / "extra.txt").write_text(generate(77).text, encoding="utf-8")
    build(config)
    first.write_text(first.read_text(encoding="utf-8") + "\n补记一行。\n", encoding="utf-8")
    build(config)
    build(Config(content, tmp_path / "clean", cache=None, jobs=1))
    inc, clean = site_files(tmp_path / "inc"), site_files(tmp_path / "clean")
    assert inc.keys() == clean.keys()
    assert [name for name in inc if inc[name] != clean[name]] == []
    data = json.loads(inc["data/reports.json"])
    assert "extra.txt" in {r["source"] for r in data["reports"]}


def test_pairs_found_by_the_parse_workers_make_the_index_a_single_process_makes(tmp_path):
    content = generated_content(tmp_path / "content", 40)  # enough to be parsed in workers
    build(Config(content, tmp_path / "workers", cache=tmp_path / "cache", jobs=2))
    build(Config(content, tmp_path / "alone", cache=None, jobs=1))
    workers, alone = site_files(tmp_path / "workers"), site_files(tmp_path / "alone")
    index = [name for name in alone if name.startswith("search/")]
    assert len(index) > 2
    assert [name for name in index if workers.get(name) != alone[name]] == []
    pairs = search.Pairs(tmp_path / "cache")
    assert len(pairs._read()) == 40  # kept for the next build, as when found after parsing

"""The parse cache: a build's parses go into one pack file and an index, another process reads them
back, and a damaged cache only costs parsing again."""

import pickle

from helpers import generated_content, site_files
from nianbao.build.cache import INDEX, ParseCache, code_digest, unsealed
from nianbao.build.pipeline import build
from nianbao.build.reading import parsed
from nianbao.config import Config
from nianbao.load import load_source


def _built(tmp_path, count, jobs):
    """(content folder, cache folder, the cache's parse folder) after a build of ``count`` generated reports."""
    content = generated_content(tmp_path / "content", count)
    cache = tmp_path / "cache"
    build(Config(content, tmp_path / "first", cache=cache, jobs=jobs))
    return content, cache, cache / "parse" / code_digest()


def test_a_build_keeps_its_parses_in_one_pack_that_a_new_process_reads(tmp_path):
    content, cache, folder = _built(tmp_path, 24, jobs=2)
    packs = list(folder.glob("*.pack"))
    assert len(packs) == 1  # not a file a report
    assert sorted(p.name for p in folder.iterdir()) == sorted([INDEX, packs[0].name])

    fresh = ParseCache(cache)  # as another process finds it: from the index file
    for path in sorted(content.glob("*.txt")):
        doc, _ = load_source(path, content)
        assert fresh.get(doc.sha256, doc.source) == parsed(doc)
    assert fresh.get("0" * 64, "missing.txt") is None


def test_a_damaged_pack_or_index_costs_a_parse_not_the_build(tmp_path):
    content, cache, folder = _built(tmp_path, 6, jobs=1)
    pack = next(folder.glob("*.pack"))
    pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])  # cut short: the later reports' pickles end early

    docs = [load_source(path, content)[0] for path in sorted(content.glob("*.txt"))]
    assert len(unsealed((folder / INDEX).read_bytes())) == 6
    found = [ParseCache(cache).get(d.sha256, d.source) for d in docs]
    assert 0 < sum(r is not None for r in found) < 6  # those wholly in the first half
    assert all(r == parsed(d) for r, d in zip(found, docs, strict=True) if r is not None)
    (folder / INDEX).write_bytes(b"not a pickle")
    assert all(ParseCache(cache).get(d.sha256, d.source) is None for d in docs)

    build(Config(content, tmp_path / "second", cache=cache, jobs=1))
    build(Config(content, tmp_path / "clean", cache=None, jobs=1))
    second, clean = site_files(tmp_path / "second"), site_files(tmp_path / "clean")
    assert [name for name in second if second[name] != clean.get(name)] == []


def test_a_report_its_reading_worker_cannot_parse_is_one_problem_and_is_tried_again_by_the_next_build(tmp_path, monkeypatch):
    import nianbao.build.reading
    from nianbao.build.pipeline import Builder
    from nianbao.export import report_dict

    content = generated_content(tmp_path / "content", 20)  # enough to be read (and parsed) in forked workers
    broken = sorted(p.name for p in content.glob("*.txt"))[7]
    real = nianbao.build.reading.parse_report

    def failing(doc):
        if doc.source == broken:
            raise ValueError("表格无法识别")
        return real(doc)

    monkeypatch.setattr(nianbao.build.reading, "parse_report", failing)
    config = Config(content, tmp_path / "out", cache=tmp_path / "cache", jobs=2)
    builder = Builder(config, keep_memo=True)  # one for both builds, as the preview keeps one
    first = builder.build()
    assert [(p.source, p.stage) for p in first.problems] == [(broken, "parse")]  # once: not parsed again in the same build
    assert "表格无法识别" in first.problems[0].message
    assert sorted(r.source for r in first.reports) == sorted(p.name for p in content.glob("*.txt") if p.name != broken)

    monkeypatch.setattr(nianbao.build.reading, "parse_report", real)  # mended: the next build parses it, from the text it kept
    second = builder.build()
    alone = build(Config(content, tmp_path / "alone", cache=None, jobs=1))  # read and parsed in this process
    assert second.problems == [] == alone.problems
    assert [report_dict(r) for r in second.reports] == [report_dict(r) for r in alone.reports]
    assert site_files(tmp_path / "out") == site_files(tmp_path / "alone")


def test_reports_read_back_share_their_figure_keys(tmp_path):
    """A build holds 10,000 reports of ~600 keys each: read back from a pickle (the cache, a worker) they share one
    string per key, not a copy each (about a quarter of a report's memory), and are equal to what was pickled."""
    content = generated_content(tmp_path / "content", 8)
    reports = [parsed(load_source(p, content)[0]) for p in sorted(content.glob("*.txt"))]
    first, second = max(
        ((a, b) for a in reports for b in reports if a is not b), key=lambda p: len(p[0].figures.keys() & p[1].figures.keys())
    )
    back = [pickle.loads(pickle.dumps(r)) for r in (first, second)]
    assert back == [first, second]
    assert [r.fingerprint for r in back] == [first.fingerprint, second.fingerprint]
    for name in ("figures", "evidence", "provenance"):
        common = getattr(back[0], name).keys() & getattr(back[1], name).keys()
        assert len(common) > 50
        theirs = {k: k for k in getattr(back[1], name)}
        assert all(k is theirs[k] for k in getattr(back[0], name) if k in common), name

"""Every page's stamp covers what the page shows (issue 21). A page is rendered again only when the stamp declared
where it is planned (``Site.page``: the templates' digest and its ``inputs``) changes, so a field a template shows
that the stamp does not hold would leave the page stale after an edit, and nothing else would notice.

For each way a report can change (an edit of its file: any of its light figures, a few of its request table's
cells, its agency, year, date, region or template; its flags, as the checks across reports change them; its
agency key, as agencies.yaml merges it), one report of a small site is changed and the whole site is rendered
again without a memo: every page whose bytes changed must have a changed stamp."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import site_files
from nianbao.build.pipeline import Builder
from nianbao.config import Config
from nianbao.model import Flag, Region, Report
from nianbao.render import Site, render_site
from nianbao.render.memo import Memo
from nianbao.write import Writer
from tools.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
MATRIX = "requests.matrix."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Report], Path]:
    """The checked reports of the seeds and 12 generated reports in 省/市/县 folders, and a folder to render in."""
    tmp = tmp_path_factory.mktemp("stamps")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    for seed in range(12):
        g = generate(seed)
        (content / g.folder).mkdir(parents=True, exist_ok=True)
        (content / g.folder / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
    result = Builder(Config(content, tmp / "built", cache=None, jobs=1)).build()
    return result.reports, tmp


def _render(reports: list[Report], out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, object], dict[str, bytes]]:
    """Each page's stamp, and every file, of the site of ``reports`` rendered into ``out`` without a memo."""
    stamps: dict[str, object] = {}
    planned = Site.file

    def file(self: Site, path: str, stamp: object, make: Callable[[], str | bytes | None]) -> bool:
        stamps[path] = stamp
        return planned(self, path, stamp, make)

    monkeypatch.setattr(Site, "file", file)
    config = Config(out.parent / "content", out, cache=None, jobs=1)
    writer = Writer(out)
    render_site(reports, [], writer, config, Memo({}))
    writer.finish()
    monkeypatch.undo()
    return stamps, site_files(out)


def _edits(report: Report) -> dict[str, Callable[[Report], Report]]:
    """Every way ``report`` can change, by name: what an edit of its file can change comes with a new sha256."""

    def edited(**changes: object) -> Callable[[Report], Report]:
        return lambda r: r.changed(sha256="e" * 64, **changes)

    def figure(key: str) -> Callable[[Report], Report]:
        value = report.get(key)
        new = value + 7 if isinstance(value, int) else 7 if value is None else f"{value}改"
        return edited(figures=report.figures | {key: new})

    edits = {f"figure {k}": figure(k) for k in report.figures if not k.startswith(MATRIX)}
    edits |= {f"figure {k}": figure(k) for k in sorted(k for k in report.figures if k.startswith(MATRIX))[:: 15]}
    region = report.region
    edits |= {
        "agency": edited(agency=f"{report.agency}新"),
        "year": edited(year=(report.year or 2020) - 1),
        "published": edited(published="2001-02-03"),
        "region": edited(region=Region(region.province, region.city, "另一区" if region.county else "另一市", None)),
        "template": edited(template="narrative" if report.template != "narrative" else "gb2021"),
        "text": edited(text=report.text + "\n补记一句。"),
        "flags, one more": lambda r: r.with_flags([Flag("CROSS_YEAR", "warning", "与上年结转数不一致（测试）")]),
        "flags, one said otherwise": lambda r: r.changed(
            flags=tuple(dataclasses.replace(f, message=f.message + "（改）") for f in r.flags)
        ),
        "agency key": lambda r: r.changed(agency_id=f"{r.agency_id}-merged"),
    }
    return edits


def test_every_page_whose_bytes_change_has_a_changed_stamp(site: tuple[list[Report], Path], monkeypatch) -> None:
    reports, tmp = site
    target = max(range(len(reports)), key=lambda i: (bool(reports[i].flags), len(reports[i].figures)))
    before, files = _render(reports, tmp / "before", monkeypatch)
    stale = []
    for name, edit in _edits(reports[target]).items():
        changed = [edit(r) if i == target else r for i, r in enumerate(reports)]
        out = tmp / "after"
        shutil.rmtree(out, ignore_errors=True)
        after, now = _render(changed, out, monkeypatch)
        stale += [(name, p) for p in before.keys() & after.keys() if files.get(p) != now.get(p) and before[p] == after[p]]
    assert stale == []

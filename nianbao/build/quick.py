"""A rebuild after a few reports changed in what only their own pages show (their text, the figures
of their request table): those pages, their agency's page, their pieces of the data files and the
search shards their pairs fall in are made again, and every other file of the last build stands,
as a full rebuild would leave it. Nothing is read of the other reports but what the memo keeps.

Anything else (a figure a list or chart shows, a flag, an agency or year, a file added, removed or
unreadable, templates or settings) is left to the full build: ``quick_build`` returns None.
"""

from __future__ import annotations

import functools
import logging
import time

from nianbao.build.cache import ParseCache, RenderMemo
from nianbao.build.reading import checked, parse_all, text, whole
from nianbao.build.records import Seen, StoredReport, stored
from nianbao.config import Config
from nianbao.export import report_json
from nianbao.load import Key, find_sources, load_source
from nianbao.model import Report
from nianbao.render import Site, views
from nianbao.render.datafiles import splice_data
from nianbao.render.memo import Memo
from nianbao.render.provenance import review_data
from nianbao.search import FOLDER, Pairs, update
from nianbao.write import Writer

log = logging.getLogger(__name__)
MOST = 20  # reports changed, at most
JOURNAL = 1 << 24  # bytes of the memo's journal, at most: then a full build saves the memo afresh


def quick_build(
    config: Config, saved: RenderMemo, listing: list[tuple[str, int, int]]
) -> tuple[int, int, dict[str, float]] | None:
    """Rebuild after a few reports changed only where they show alone: (files written, files
    kept, timings); None when this is not such a change (nothing is written then). Of the memo
    ``saved`` by the last build, only the data part is read: every page this makes is new."""
    start = time.perf_counter()
    if saved.journal_size() > JOURNAL:
        return None
    memo = Memo(saved.load(data_only=True))
    found, problems = find_sources(listing)
    sources: dict[str, Seen] = {k[1]: v[1] for k, v in memo.last.items() if k[0] == "source"}  # type: ignore[index,misc]
    if problems or len(found) != len(sources):
        return None
    changed = []
    for rel, key in found:
        last = sources.get(rel)
        if last is None:
            return None
        if last.key != key:
            changed.append((rel, key))
    if not changed or len(changed) > MOST:
        return None
    edited: dict[str, Report] = {}  # by id
    for rel, key in changed:
        report = _read(config, rel, key, sources[rel], memo)
        if report is None:
            return None
        edited[report.id] = report
    writer = Writer(config.output)
    try:
        done = _render(config, edited, sources, writer, memo)
    except Exception:  # a report of the last build that cannot be read back, say: the full build says what
        log.debug("quick rebuild declined", exc_info=True)
        done = False
    except BaseException:
        writer.discard()
        raise
    if not done:
        writer.discard()
        return None
    writer.commit()
    saved.append(memo.last, memo.now)
    return writer.written, writer.unchanged, {"quick": time.perf_counter() - start}


def _read(config: Config, rel: str, key: Key, last: Seen, memo: Memo) -> Report | None:
    """The report of an edited file, if everything but its own pages shows it as before; its memo entry updated."""
    doc, problems = load_source(config.content / rel, config.content)
    if doc is None or problems:
        return None
    reports, problems = parse_all([doc], ParseCache.of(config.cache), 1)
    if problems:
        return None
    report = reports[0].renamed(last.report.id)  # its source is the same: so is its id
    record = last.report._replace(sha256=doc.sha256, fingerprint=report.fingerprint)  # what follows from its new content
    if stored(report, {}) != record:  # something but its own pages show changed
        return None
    memo.now[("source", rel)] = (None, last._replace(key=key, sha256=doc.sha256, report=record, problems=()))
    return report


def _render(config: Config, edited: dict[str, Report], sources: dict[str, Seen], writer: Writer, memo: Memo) -> bool:
    names = {views.agency_group(r) for r in edited.values()}
    everyone: list[Report] = []  # as the full build has them: the outliers are found among them all
    for last in sources.values():
        read = functools.partial(whole, config, last.sha256, last.source)
        everyone.append(edited.get(last.report.id) or StoredReport(last.report, read))
    group = [r for r in everyone if views.agency_group(r) in names]  # the edited ones' agencies'
    group = checked(group, memo, everyone)
    by_id = {r.id: r for r in group}
    for report_id in edited:  # what the review and flags pages show of it must be as before: they are not made here
        made = review_data(by_id[report_id])
        if made != memo.last.get(("review", report_id), (None, None))[1]:
            return False
        memo.now[("review", report_id)] = (by_id[report_id].fingerprint, made)
    pieces = splice_data({i: by_id[i] for i in edited}, writer, memo)
    if pieces is None:
        return False
    site = Site(group, [], writer, config.rendering, memo)
    for agency in site.agencies:
        site.agency_page(agency)
    for report_id, piece in pieces.items():
        report = by_id[report_id]
        site.report_files(report, functools.partial(report_json, piece))
        site.report_page(report)
        row_key, row_stamp = site.row_key(report)
        summary, row = memo.last.get(("summary", report_id)), memo.last.get(row_key)
        if summary is not None:  # what the lists show of it is what they showed
            memo.now[("summary", report_id)] = (report.fingerprint, summary[1])
        if row is not None:
            memo.now[row_key] = (row_stamp, row[1])
    site.flush(1)
    return _search(config, edited, writer, memo)


def _search(config: Config, edited: dict[str, Report], writer: Writer, memo: Memo) -> bool:
    last, ids = memo.last.get(("search",)), memo.last.get(("search-ids",))
    if last is None or ids is None:
        return False
    order: tuple[str, ...] = ids[1]  # type: ignore[assignment]  # the index's report ids, in its order
    numbers = {report_id: n for n, report_id in enumerate(order) if report_id in edited}
    if len(numbers) != len(edited):
        return False
    changed = []
    for report_id, n in numbers.items():
        was = memo.last.get(("indexed", report_id))
        if was is None:
            return False
        changed.append((n, *was[1]))  # type: ignore[misc]
    by_number = {n: edited[i] for i, n in numbers.items()}
    state = update(changed, last[1], Pairs(None), functools.partial(text, config), lambda n: by_number[n].text, writer)  # type: ignore[arg-type]
    if state is None:
        return False
    writer.keep(f"{FOLDER}/docs.json")  # the reports' ids, agencies and years: as they were
    memo.now.update((("indexed", i), (None, (r.source, r.sha256))) for i, r in edited.items())
    memo.now[("search",)] = (None, state)
    return True

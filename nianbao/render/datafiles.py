"""The data downloads: reports.json and reports.csv, with each report's piece made again only when
the report changed.

An unchanged report's piece of reports.json is read back from the file the last build wrote (where
it sits there is remembered), so the pieces, which weigh as much as the whole file, are not carried
in the memo between runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from nianbao.export import REPORTS_HEAD, csv_columns, csv_line, report_data, reports_csv, reports_json
from nianbao.forked import fork_map
from nianbao.model import Report
from nianbao.render.memo import Memo, fingerprint
from nianbao.write import Writer

JSON = "data/reports.json"


# output folder -> (the memo's record of its reports.json, the file's bytes): a process that builds
# again (the preview server) need not read back what it wrote
_WRITTEN: dict[str, tuple[object, bytes]] = {}


def _last_json(root: Path, memo: Memo) -> bytes | None:
    """reports.json as the last build wrote it; None if it is not there or not that file any more."""
    record = memo.last.get(("json",), (None, None))[1]
    written = _WRITTEN.get(str(root))
    if written is not None and written[0] is record:  # the very build the memo is of
        return written[1]
    try:
        data = (root / JSON).read_bytes()
    except OSError:
        return None
    return data if isinstance(record, tuple) and len(data) == record[0] else None


def data_files(reports: list[Report], writer: Writer, memo: Memo, workers: int, again: bool) -> list[bytes | memoryview]:
    """Write reports.json and reports.csv (a row for each report, in order); each report's piece of reports.json.
    ``again``: this process builds again (the preview server), so it keeps reports.json in memory."""
    old = _last_json(writer.root, memo)
    view = memoryview(old) if old is not None else None
    pieces: list[bytes | memoryview] = [b""] * len(reports)
    shapes: list[tuple[str, ...]] = [()] * len(reports)
    todo = []
    was: dict[int, int] = {}  # where each piece read back starts in the last file
    for i, report in enumerate(reports):
        hit = memo.last.get(("data", report.id))
        if view is not None and hit is not None and hit[0] == fingerprint(report):
            start, end, shape = hit[1]  # type: ignore[misc]
            if view[start : start + 7] == b'{"id":"':
                pieces[i], shapes[i], was[i] = view[start:end], shape, start
                continue
        todo.append(i)
    rows: dict[int, dict[str, Any]] = {}
    for i, (piece, row) in zip(todo, fork_map(report_data, [reports[i] for i in todo], workers), strict=True):
        pieces[i], shapes[i], rows[i] = piece, tuple(row), row
    # one object for each shape (the memo then pickles it once), found by identity first: hashing
    # 10,000 tuples of hundreds of keys each costs more than the rest of a rebuild's CSV
    distinct = {id(shape): shape for shape in shapes}
    known: dict[tuple[str, ...], tuple[str, ...]] = {}
    same = {i: known.setdefault(shape, shape) for i, shape in distinct.items()}
    shapes = [same[id(shape)] for shape in shapes]
    start = len(REPORTS_HEAD)
    moved = bool(todo)
    for i, (report, piece, shape) in enumerate(zip(reports, pieces, shapes, strict=True)):
        moved = moved or was.get(i) != start
        end = start + len(piece)
        memo.now[("data", report.id)] = (fingerprint(report), (start, end, shape))
        start = end + 1  # the comma between pieces
    if old is not None and not moved and len(old) == start + len(b"]}\n") - 1:
        payload = old  # every piece where it was, and nothing after them: the same file
    else:
        payload = reports_json(pieces)
    record = (len(payload),)
    memo.now[("json",)] = (None, record)
    if again:
        _WRITTEN[str(writer.root)] = (record, payload)
    if payload is not old or not writer.keep(JSON):
        writer.write(JSON, payload, changed=bool(todo) and old is not None)

    columns = csv_columns(list(known))
    stamps = [(fingerprint(r), columns) for r in reports]
    missing = [i for i, r in enumerate(reports) if i not in rows and not memo.reuse(("line", r.id), stamps[i])]
    for i, (_, row) in zip(missing, fork_map(report_data, [reports[i] for i in missing], workers), strict=True):
        rows[i] = row  # the columns changed: the rows of unchanged reports are needed again
    lines = [
        memo.get(("line", r.id), stamps[i], functools.partial(csv_line, rows.get(i, {}), columns)) for i, r in enumerate(reports)
    ]
    writer.write("data/reports.csv", reports_csv(columns, lines))
    return pieces

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


def _last_json(root: Path, memo: Memo) -> bytes | None:
    """reports.json as the last build wrote it; None if it is not there or not that file any more."""
    try:
        data = (root / JSON).read_bytes()
    except OSError:
        return None
    size = memo.last.get(("json",), (None, None))[1]
    return data if len(data) == size else None


def data_files(reports: list[Report], writer: Writer, memo: Memo, workers: int) -> list[bytes | memoryview]:
    """Write reports.json and reports.csv (a row for each report, in order); each report's piece of reports.json."""
    old = _last_json(writer.root, memo)
    view = memoryview(old) if old is not None else None
    pieces: list[bytes | memoryview] = [b""] * len(reports)
    shapes: list[tuple[str, ...]] = [()] * len(reports)
    todo = []
    for i, report in enumerate(reports):
        hit = memo.last.get(("data", report.id))
        if view is not None and hit is not None and hit[0] == fingerprint(report):
            start, end, shape = hit[1]  # type: ignore[misc]
            if view[start : start + 7] == b'{"id":"':
                pieces[i], shapes[i] = view[start:end], shape
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
    for report, piece, shape in zip(reports, pieces, shapes, strict=True):
        end = start + len(piece)
        memo.now[("data", report.id)] = (fingerprint(report), (start, end, shape))
        start = end + 1  # the comma between pieces
    payload = reports_json(pieces)
    memo.now[("json",)] = (None, len(payload))
    writer.write(JSON, payload)

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

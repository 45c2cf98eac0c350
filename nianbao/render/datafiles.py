"""The data downloads: reports.json, reports.csv and each report's own JSON file, with each report's
piece made again only when the report changed.

An unchanged report's piece of reports.json is copied from the file the last build wrote (where it
sits there is remembered) by the kernel, without reading it: the pieces weigh hundreds of megabytes
at 10,000 reports, and are neither read back nor carried in the memo between runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from nianbao.export import REPORTS_HEAD, Row, csv_columns, csv_head, csv_line, report_data, report_json
from nianbao.forked import fork_map, write_shares
from nianbao.model import Report
from nianbao.render.memo import Key, Kind, Memo
from nianbao.render.spreadsheet import without_hash, write_reports
from nianbao.write import Writer

JSON = "data/reports.json"
CSV = "data/reports.csv"
HELD = 1 << 24  # bytes of new pieces of reports.json, at most, still held while the pages are made
Entry = tuple[Key, tuple[object, object]]  # of a memo: key, (stamp, value)


def _last_json(root: Path, memo: Memo) -> tuple[int, int] | None:
    """reports.json as the last build wrote it, open, and its size; None if it is not there or not that file any more."""
    record = memo.last.get((Kind.JSON,), (None, None))[1]
    try:
        fd = os.open(root / JSON, os.O_RDONLY)
    except OSError:
        return None
    size = os.fstat(fd).st_size
    if isinstance(record, tuple) and size == record[0]:
        return fd, size
    os.close(fd)
    return None


class Place(NamedTuple):
    """Where a report's piece sits in reports.json (the memo's (Kind.PIECE, id) entry), and its row's columns."""

    start: int
    end: int
    shape: tuple[str, ...]


Piece = bytes | tuple[int, int]  # made, or where it is in the last reports.json


def data_files(
    reports: list[Report],
    writer: Writer,
    memo: Memo,
    workers: int,
    make_entry: Callable[[Report], Entry] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> None:
    """Write reports.json and reports.csv (a row for each report, in order), and each report's own JSON file
    (made from its piece) unless the last build made it from the same report. Unchanged reports' pieces are
    copied from where they are in the last file, not read. The pieces are let go of once written: they weigh
    hundreds of megabytes, which the pages' workers would otherwise hold too. ``make_entry(report)`` makes a memo
    entry for each changed report in the same workers (what pages show of it: made once here, not in each
    of the pages' workers); ``meanwhile()`` is called here while they work."""
    old = _last_json(writer.root, memo)
    pieces, shapes, todo = _kept_pieces(reports, memo, old)
    own = [f"data/reports/{r.id}.json" for r in reports]  # each report's file: made from its piece
    changed = set(todo)
    files = [i for i, path in enumerate(own) if i in changed or not writer.keep(path)]
    written = set(files)
    work = sorted(changed | written)
    last = writer.root / JSON

    def make(share: int, shares: int, out: Writer) -> list[tuple[int, bytes, Row, Entry | None]]:
        """The pieces, rows (and ``make_entry``'s entries) of this share's changed reports; the reports' own files written."""
        done: list[tuple[int, bytes, Row, Entry | None]] = []
        shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
        for i in work[share::shares]:
            if i in changed:
                piece, (keys, cells) = report_data(reports[i])
                row = (shapes.setdefault(keys, keys), cells)  # one object for a shape: pickled once
                done.append((i, piece, row, _entry(make_entry, reports[i]) if make_entry is not None else None))
            else:
                piece = _read(last, pieces[i])  # type: ignore[arg-type]
            if i in written:
                out.write(own[i], report_json(piece))
        return done

    rows: dict[int, Row] = {}
    for share in write_shares(make, len(work), workers, writer, meanwhile):
        for i, piece, row, entry in share:
            pieces[i], shapes[i], rows[i] = piece, row[0], row
            if entry is not None:
                memo.now[entry[0]] = entry[1]
    shapes, known = _one_of_each(shapes)
    _write_json(reports, pieces, shapes, writer, memo, old, changed=bool(todo))
    _write_csv(reports, rows, csv_columns(known), writer, memo, workers)
    if sum(len(piece) for piece in pieces if isinstance(piece, bytes)) > HELD:  # let go of before the pages' workers start
        writer.wait()  # else reports.json is written while the pages are made


def _kept_pieces(
    reports: list[Report], memo: Memo, old: tuple[int, int] | None
) -> tuple[list[Piece], list[tuple[str, ...]], list[int]]:
    """Each report's piece where the last reports.json has it unchanged, with its row's columns; the
    indexes of the reports whose pieces are to be made."""
    pieces: list[Piece] = [b""] * len(reports)
    shapes: list[tuple[str, ...]] = [()] * len(reports)
    todo = []
    try:
        for i, report in enumerate(reports):
            hit = memo.last.get((Kind.PIECE, report.id))
            if old is not None and hit is not None and hit[0] == report.fingerprint:
                place: Place = hit[1]  # type: ignore[assignment]
                if os.pread(old[0], 7, place.start) == b'{"id":"':
                    pieces[i], shapes[i] = (place.start, place.end), place.shape
                    continue
            todo.append(i)
    finally:
        if old is not None:
            os.close(old[0])
    return pieces, shapes, todo


def _one_of_each(shapes: list[tuple[str, ...]]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """``shapes`` with one object for each distinct shape (the memo then pickles it once), and the distinct ones.
    Found by identity first: hashing 10,000 tuples of hundreds of keys costs more than the rest of a rebuild's CSV."""
    distinct = {id(shape): shape for shape in shapes}
    known: dict[tuple[str, ...], tuple[str, ...]] = {}
    same = {i: known.setdefault(shape, shape) for i, shape in distinct.items()}
    return [same[id(shape)] for shape in shapes], list(known)


def _write_json(
    reports: list[Report],
    pieces: list[Piece],
    shapes: list[tuple[str, ...]],
    writer: Writer,
    memo: Memo,
    old: tuple[int, int] | None,
    changed: bool,
) -> None:
    """reports.json of ``pieces``: kept if every piece is where it was, else written or spliced from the last one."""
    start = len(REPORTS_HEAD)
    for report, piece, shape in zip(reports, pieces, shapes, strict=True):
        size = _size(piece)
        memo.put((Kind.PIECE, report.id), (report.fingerprint, Place(start, start + size, shape)))
        start += size + 1  # and the comma between pieces
    parts = _joined(pieces)
    memo.put((Kind.JSON,), (None, (sum(map(_size, parts)),)))
    if old is not None and parts[1:] == [(len(REPORTS_HEAD), old[1] - 3), b"]}\n"] and writer.keep(JSON):
        pass  # every piece where it was, and nothing after them: the same file
    elif all(isinstance(part, bytes) for part in parts) and (writer.root / JSON).exists():
        writer.write(JSON, b"".join(parts), changed=changed and old is not None)  # type: ignore[arg-type]
    else:
        writer.splice(JSON, parts)  # in a thread, while the rows of reports.csv are made here


def _write_csv(
    reports: list[Report], rows: dict[int, Row], columns: tuple[str, ...], writer: Writer, memo: Memo, workers: int
) -> None:
    """reports.csv: each report's line where the last file has it (the report and the columns the same) is copied
    from there by the kernel, the others made; then the workbook, kept if every line made anew is its report's last
    line but for the file's hash (what the workbook shows is then the same: a few reports' text edited)."""
    head = csv_head(columns)
    old = _last_csv(writer.root, memo, head)
    parts: list[Piece] = [head]
    made = []  # the indexes of the reports whose lines are made
    for i, report in enumerate(reports):
        hit = memo.last.get((Kind.LINE, report.id)) if old is not None else None
        if hit is not None and hit[0] == report.fingerprint and i not in rows:
            parts.append(hit[1])  # type: ignore[arg-type]
        else:
            made.append(i)
            parts.append(b"")
    missing = [i for i in made if i not in rows]  # the columns changed: the rows of unchanged reports are needed again
    for i, (_, row) in zip(missing, fork_map(report_data, [reports[i] for i in missing], workers), strict=True):
        rows[i] = row
    as_shown = old is not None
    for i in made:
        parts[i + 1] = line = csv_line(rows[i], columns)
        was = memo.last.get((Kind.LINE, reports[i].id))
        as_shown = as_shown and was is not None and without_hash(_read(writer.root / CSV, was[1])) == without_hash(line)  # type: ignore[arg-type]
    at = len(head)
    for report, part in zip(reports, parts[1:], strict=True):
        memo.put((Kind.LINE, report.id), (report.fingerprint, (at, at + _size(part))))
        at += _size(part)
    memo.put((Kind.CSV,), (None, at))
    merged = _merged(parts)
    if merged == [head, (len(head), old)] and writer.keep(CSV):
        pass  # every line where it was: the same file
    elif len(merged) == 1:  # all made
        writer.write(CSV, merged[0])  # type: ignore[arg-type]
    else:
        writer.splice(CSV, merged)  # in a thread, while the pages are made
    ids = tuple(r.id for r in reports)
    write_reports(writer, memo, columns, _lines(parts, writer.root / CSV), ids, as_shown)  # data/reports.xlsx


def _last_csv(root: Path, memo: Memo, head: bytes) -> int | None:
    """The size of reports.csv as the last build wrote it, if it is there, that file, and of the same columns."""
    size = memo.last.get((Kind.CSV,), (None, None))[1]
    try:
        with open(root / CSV, "rb") as f:
            same = os.fstat(f.fileno()).st_size == size and f.read(len(head)) == head
    except OSError:
        return None
    return size if same and isinstance(size, int) else None


def _lines(parts: list[Piece], last: Path) -> Iterator[bytes]:
    """The lines of reports.csv's ``parts`` (the last file read once, if a line is there)."""
    whole = None
    for part in parts[1:]:
        if isinstance(part, bytes):
            yield part
            continue
        if whole is None:
            whole = last.read_bytes()
        yield whole[part[0] : part[1]]


def _merged(parts: list[Piece]) -> list[Piece]:
    """``parts`` with the ranges next to each other joined, and the bytes next to each other."""
    out: list[Piece | list[bytes]] = []
    for part in parts:
        if isinstance(part, bytes):
            if not (out and isinstance(out[-1], list)):
                out.append([])
            out[-1].append(part)  # type: ignore[union-attr]
        elif out and isinstance(out[-1], tuple) and out[-1][1] == part[0]:
            out[-1] = (out[-1][0], part[1])
        else:
            out.append(part)
    return [b"".join(part) if isinstance(part, list) else part for part in out]


def _entry(make_entry: Callable[[Report], Entry], report: Report) -> Entry | None:
    try:
        return make_entry(report)
    except Exception:  # left to the pages that need it, whose failure is reported with its template's line
        return None


def _size(part: bytes | tuple[int, int]) -> int:
    """Bytes a part of reports.json holds: made, or a range of the last file."""
    return len(part) if isinstance(part, bytes) else part[1] - part[0]


def _joined(pieces: list[bytes | tuple[int, int]]) -> list[bytes | tuple[int, int]]:
    """reports.json of ``pieces``, as parts to write: bytes, and ranges of the last file. Pieces that
    were next to each other there are one range (the comma between them is in it too)."""
    parts: list[bytes | tuple[int, int]] = []
    made: list[bytes] = [REPORTS_HEAD]
    for i, piece in enumerate(pieces):
        last = parts[-1] if parts and not made else None
        if isinstance(piece, tuple) and isinstance(last, tuple) and last[1] + 1 == piece[0]:
            parts[-1] = (last[0], piece[1])
            continue
        if i:
            made.append(b",")
        if isinstance(piece, bytes):
            made.append(piece)
        else:
            parts += [b"".join(made), piece]
            made = []
    made.append(b"]}\n")
    return [p for p in [*parts, b"".join(made)] if p]


def _read(last: Path, piece: tuple[int, int]) -> bytes:
    """A piece where it is in the last file (not yet replaced: it is while this build goes on)."""
    with open(last, "rb") as f:
        f.seek(piece[0])
        return f.read(piece[1] - piece[0])

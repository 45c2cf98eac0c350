"""What the last build made, and from what: for this build to reuse where the inputs are the same."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from nianbao.write import Writer

T = TypeVar("T")


class Kind(StrEnum):
    """What a memo entry is: the first part of its key (the second, if any, names which one: a path or an id)."""

    # read by every build ("data"): what tells what changed, and what the incremental data files and index use
    GENERATION = "generation"  # which memo a journal's changes were made on
    SETUP = "setup"  # the digest of code, settings, templates and site_src (state.setup)
    PROBLEMS = "problems"  # the files the build could not use, and why
    SOURCE = "source"  # by content path: the file as read (records.Seen) and its report's stored record
    SHOWN = "shown"  # by report id: what the checks across reports made of it (state.checks)
    REVIEWED = "reviewed"  # by report id: a digest of what the review pages show of it
    IDS = "ids"  # the reports' ids, stamped with their sources
    CROSS = "cross"  # by agency: the flags across its consecutive years
    OUTLIERS = "outliers"  # every report's OUTLIER flags, stamped with what they are found from
    PIECE = "piece"  # by report id: where its piece is in reports.json (datafiles.Place)
    JSON = "json"  # reports.json's size as written
    CSV = "csv"  # reports.csv's size as written
    LINE = "line"  # by report id: where its line is in reports.csv
    XLSX = "xlsx"  # the workbook's stamp and the reports it holds
    SEARCH = "search"  # the search index as written (search.State)
    SEARCH_IDS = "search-ids"  # the reports' ids in the index's order
    INDEXED = "indexed"  # by report id: the file and content it was indexed from
    # read only by a build that plans the whole site ("pages")
    FILE = "file"  # by path: the stamp a page of the site was made from
    ROW = "row"  # by report id: its row of the comparison tables, rendered
    SUMMARY = "summary"  # by report id: what the lists show of it (their pages' stamps)
    REVIEW = "review"  # by report id: what the review pages show of it


DATA = frozenset(Kind) - {Kind.FILE, Kind.ROW, Kind.SUMMARY, Kind.REVIEW}  # the kinds every build reads
Key = tuple[Kind] | tuple[Kind, str]
Entries = dict[Key, tuple[object, object]]  # (stamp, value) by key


class Memo:
    """What the last build made (``last``), for this build to reuse where the inputs are the same, and what
    this build made or reused (``now``).

    A build that planned the whole site carries only ``now`` to the next (what it did not use is gone);
    one that planned only some reports' pages carries ``last`` with ``changes()`` over it.
    """

    def __init__(self, last: Entries):
        self.last = last
        self.now: Entries = {}

    def reuse(self, key: Key, stamp: object) -> bool:
        hit = self.last.get(key)
        if hit is not None and hit[0] == stamp:
            self.now[key] = hit
            return True
        return False

    def put(self, key: Key, entry: tuple[object, object]) -> None:
        """Keep ``entry``, made now: the last build's object if that equals it (so it is no change)."""
        last = self.last.get(key)
        self.now[key] = last if last is not None and last == entry else entry

    def changes(self) -> Entries:
        """The entries this build made anew, or made differently from the last."""
        return {k: v for k, v in self.now.items() if self.last.get(k) is not v}

    def kept(self, writer: Writer, path: str, stamp: object) -> bool:
        """True when ``path`` was made from ``stamp`` by the last build and is still there: the writer keeps it."""
        return self.reuse((Kind.FILE, path), stamp) and writer.keep(path)

    def made(self, path: str, stamp: object) -> None:
        """Remember that ``path`` was just made from ``stamp``."""
        self.now[(Kind.FILE, path)] = (stamp, None)

    def get(self, key: Key, stamp: object, make: Callable[[], T]) -> T:
        """``make()``, unless this build or the last one made it from ``stamp``."""
        made = self.now.get(key)
        if made is not None and made[0] == stamp:
            return made[1]  # type: ignore[return-value]
        if self.reuse(key, stamp):
            return self.last[key][1]  # type: ignore[return-value]
        value = make()
        self.now[key] = (stamp, value)
        return value

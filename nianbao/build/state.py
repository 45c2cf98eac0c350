"""The build's record of "last time" for one output folder (the render memo, ``Saved``) and what a change dirties
(``dirty``): which reports' own pages are to be made again, or that the whole site is to be planned.

Like make, the record trusts file times and sizes: a content file whose (mtime, size) is its ``Seen`` record's
is not read again. The set-up (code, settings, templates, site_src, the agency merges) is one digest: when it
changed, the whole site is planned (and each page is still rendered only if its stamp changed).
"""

from __future__ import annotations

import gc
import hashlib
import os
import struct
import tempfile
from collections.abc import Mapping
from pathlib import Path
from stat import S_ISREG

from nianbao.build.cache import UNREADABLE, code_digest, digest, sealed, unsealed, unwritable
from nianbao.build.records import Seen, stored
from nianbao.config import ECHARTS, Config
from nianbao.meta import AGENCIES
from nianbao.model import Problem, Report
from nianbao.render.memo import DATA, Entries, Key, Kind, Memo
from nianbao.render.provenance import review_data

JOURNAL = 1 << 24  # bytes of the memo's journal, at most: then the next build plans the whole site and saves it afresh


def scan(folder: Path, skip: str = "") -> list[tuple[str, int, int]]:
    """(path relative to ``folder``, '/'-separated; mtime in ns; size) of every file under it, in path
    order, but hidden ones and those in hidden folders or folders named ``skip``."""
    out: list[tuple[str, int, int]] = []

    def visit(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != skip:
                            visit(entry.path, f"{prefix}{entry.name}/")
                        continue
                    stat = entry.stat()
                except OSError:  # gone since it was listed
                    continue
                if S_ISREG(stat.st_mode):
                    out.append((prefix + entry.name, stat.st_mtime_ns, stat.st_size))

    visit(str(folder), "")
    return sorted(out)


def setup(config: Config, content: list[tuple[str, int, int]]) -> bytes:
    """A digest of what every page may show besides the reports: the code, the settings the site shows, the
    templates, site_src's own files and ECharts, the agency merges (in ``content``, the content folder's ``scan``)."""
    echarts = config.site_src / ECHARTS
    shipped = (echarts.stat().st_mtime_ns, echarts.stat().st_size) if echarts.is_file() else None
    settings = (config.content.resolve(), config.base_url, config.templates.resolve(), config.site_src.resolve())
    merges = [entry for entry in content if entry[0] == AGENCIES]
    made_of = [code_digest(), settings, scan(config.templates), scan(config.site_src, "node_modules"), shipped, merges]
    return digest(made_of)


def dirty(
    memo: Memo, made_of: bytes, parsed: Mapping[tuple[str, str], Report], reports: list[Report], problems: list[Problem]
) -> frozenset[str] | None:
    """The ids of the reports whose own pages (their page, files and agency's page) alone show what changed since
    the last build in ``memo`` (none: nothing did); None when anything else did (the set-up ``made_of``, the set
    of files, a problem, a figure, flag, agency or year lists show, what the review pages show), for which the
    whole site is planned. ``parsed``: each report as parsed (by source and sha256), before the checks across
    reports; ``reports``: as checked. What the review pages show of each edited report is kept in ``memo`` (the
    data part holds a digest of it, "reviewed")."""
    last = memo.last
    if last.get((Kind.SETUP,), (None, None))[1] != made_of or last.get((Kind.PROBLEMS,), (None, None))[1] != tuple(problems):
        return None
    if last.get((Kind.IDS,), (None, None))[0] != tuple(sorted(r.source for r in reports)):  # not the same files
        return None
    changed = set()
    for report in reports:
        seen, shown = last.get((Kind.SOURCE, report.source), (None, None))[1], last.get((Kind.SHOWN, report.id), (None, None))[1]
        if not isinstance(seen, Seen) or shown != checks(report):
            return None
        if seen.sha256 == report.sha256:
            continue
        own = parsed[(report.source, report.sha256)]
        if stored(own, {}) != seen.report._replace(sha256=own.sha256, fingerprint=own.fingerprint):
            return None
        review = review_data(report)
        if digest(review) != last.get((Kind.REVIEWED, report.id), (None, None))[1]:
            return None
        memo.now[(Kind.REVIEW, report.id)] = (report.fingerprint, review)
        changed.add(report.id)
    return frozenset(changed)


def checks(report: Report) -> tuple[object, ...]:
    """What the checks across reports make of a report (its agency, merged, and its flags), as lists show it."""
    return report.agency, report.agency_id, report.flags


def _part(key: Key) -> str:
    return "data" if key[0] in DATA else "pages"


class Saved:
    """The render memo of the last build into one output folder, kept between runs of ``python build.py`` (pickles
    of our own): the entries of the DATA kinds in one file, the rest in another, read only when the whole site is
    planned. A build that planned the whole site saves the memo afresh; one that planned some reports' pages
    appends its changes to a journal beside it, read back over the memo it was made on."""

    def __init__(self, folder: Path | None, output: Path):
        out = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:12]
        self.path = folder / "render" / f"{code_digest()}-{out}" if folder else None

    def _file(self, part: str) -> Path:
        return self.path.with_name(f"{self.path.name}.{part}")  # type: ignore[union-attr]

    def load(self, part: str = "data", generation: object = None) -> Entries:
        """The entries of ``part`` ("data", or "pages": of the data's ``generation``) with the journal's over them;
        their objects set aside from the garbage collector: they live as long as the build, and the collector's
        passes over millions of them cost more than reading them."""
        if self.path is None:
            return {}
        enabled = gc.isenabled()
        gc.disable()
        try:
            entries = unsealed(self._file(part).read_bytes())
            made_on = entries.get((Kind.GENERATION,)) if isinstance(entries, dict) else None
            if made_on is None or (part == "pages" and made_on != generation):
                return {}
            pending = False  # a build began to change the output and did not record what it changed: not to be trusted
            for made_on_now, changes in self._journal():
                pending = changes is None
                if made_on_now == made_on and changes is not None:
                    entries.update((k, v) for k, v in changes.items() if _part(k) == part)
            return {} if pending else entries
        except UNREADABLE:
            return {}
        finally:
            gc.freeze()
            if enabled:
                gc.enable()

    def _journal(self) -> list[tuple[object, Entries]]:
        try:
            journal = self._file("journal").read_bytes()
        except OSError:
            return []
        out, at = [], 0
        while at + 4 <= len(journal):  # each change: its length, then it sealed
            (size,) = struct.unpack_from("<I", journal, at)
            out.append(unsealed(journal[at + 4 : at + 4 + size]))
            at += 4 + size
        return out

    def save(self, memo: Entries) -> None:
        if self.path is None:
            return
        memo[(Kind.GENERATION,)] = (None, os.urandom(8).hex())  # what a journal's entries are made on
        parts: dict[str, Entries] = {"data": {}, "pages": {(Kind.GENERATION,): memo[(Kind.GENERATION,)]}}
        for k, v in memo.items():
            parts[_part(k)][k] = v
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for old in self.path.parent.glob(f"*-{self.path.name.split('-', 1)[1]}*"):
                if not old.name.startswith(self.path.name):
                    old.unlink(missing_ok=True)  # made by older code
            self._file("journal").unlink(missing_ok=True)
            for part, entries in parts.items():
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
                with os.fdopen(fd, "wb") as f:
                    f.write(sealed(entries))
                os.replace(tmp, self._file(part))
        except OSError as exc:  # a cache that cannot be written only costs time
            unwritable(self.path.parent, exc)

    def forget(self) -> None:
        """Remove the memo: the output is about to be written by a build that does not keep it."""
        if self.path is not None:
            for part in ("data", "pages", "journal"):
                self._file(part).unlink(missing_ok=True)

    def journal_full(self) -> bool:
        """The journal has grown long: the next save is to be afresh."""
        try:
            return self.path is not None and self._file("journal").stat().st_size > JOURNAL
        except OSError:
            return False

    def pending(self, generation: object) -> None:
        """Say in the journal that the output is being changed: until changes follow, the memo is not to be trusted."""
        self._record(generation, None)

    def append(self, generation: object, changes: Entries) -> None:
        """Keep ``changes`` to the memo of ``generation`` in the journal."""
        self._record(generation, changes)

    def _record(self, generation: object, changes: Entries | None) -> None:
        if self.path is None:
            return
        blob = sealed((generation, changes))
        try:
            with self._file("journal").open("ab") as f:
                f.write(struct.pack("<I", len(blob)) + blob)
        except OSError as exc:
            unwritable(self.path.parent, exc)

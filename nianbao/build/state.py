"""The build's record of "last time" for one output folder: what the last build was made from (its ``Stamp``),
what it said (its ``Outcome``) and what it made (the render memo, cache.RenderMemo). ``BuildState`` keeps them
together: they are saved, trusted and forgotten as one.

Like make, the stamp trusts file times and sizes: it lists every content file's (path, mtime, size), every
template and site_src file's, the code's digest and the settings. When the stamp is the last build's and every
file that build wrote is still in the output folder, the site is already what a build would write.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from nianbao.build.cache import UNREADABLE, RenderMemo, code_digest, sealed, unsealed, unwritable
from nianbao.config import ECHARTS, Config
from nianbao.meta import AGENCIES
from nianbao.model import Problem
from nianbao.write import MANIFEST, replace_file


@dataclass(frozen=True)
class Outcome:
    """What the CLI reports of a build: reports read, flags raised, problems met."""

    reports: int
    flags: int
    problems: tuple[Problem, ...]


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


class Stamp(NamedTuple):
    """Digests of everything a build reads."""

    setup: str  # code, the settings the site shows, templates, site_src's own files and ECharts, the agency merges
    content: str  # the content folder's ``scan``


def stamp(config: Config, content: list[tuple[str, int, int]]) -> Stamp:
    """The stamp of a build of ``content`` (the content folder's ``scan``) with ``config``."""
    echarts = config.site_src / ECHARTS
    shipped = (echarts.stat().st_mtime_ns, echarts.stat().st_size) if echarts.is_file() else None
    settings = (config.content.resolve(), config.base_url, config.templates.resolve(), config.site_src.resolve())  # what shows
    merges = [entry for entry in content if entry[0] == AGENCIES]  # it regroups reports: no quick rebuild past it
    setup = [code_digest(), settings, scan(config.templates), scan(config.site_src, "node_modules"), shipped, merges]
    return Stamp(_digest(setup), _digest(content))


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


class BuildState:
    """The last build into ``config.output``: its stamp and outcome (a small file under the cache folder), and
    its render memo. A build that writes the output without keeping them forgets both first."""

    def __init__(self, config: Config):
        out = hashlib.sha256(str(config.output.resolve()).encode()).hexdigest()[:12]
        self.path = config.cache / "last-build" / f"{out}.pickle" if config.cache else None
        self.output = config.output
        self.memo = RenderMemo(config.cache, config.output)

    def _last(self) -> tuple[Stamp, Outcome] | None:
        if self.path is None:
            return None
        try:
            digests, outcome = unsealed(self.path.read_bytes())
        except UNREADABLE:
            return None
        return (Stamp(*digests), outcome) if isinstance(outcome, Outcome) else None

    def up_to_date(self, now: Stamp) -> Outcome | None:
        """The last build's outcome if it was made from ``now`` and its files are all still there."""
        last = self._last()
        if last is None or last[0] != now:
            return None
        try:
            written = json.loads((self.output / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return last[1] if all(os.path.isfile(os.path.join(self.output, rel)) for rel in written) else None

    def same_setup(self, now: Stamp) -> Outcome | None:
        """The last build's outcome if it had the set-up of ``now`` (its content may differ)."""
        last = self._last()
        return last[1] if last is not None and last[0].setup == now.setup else None

    def forget(self) -> None:
        """Forget the last build: the output is about to be written by a build that does not keep its record."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        self.memo.forget()

    def save(self, now: Stamp, outcome: Outcome) -> None:
        if self.path is None:
            return
        try:
            replace_file(self.path, sealed((tuple(now), outcome)))
        except OSError as exc:  # only costs the next build its shortcut
            unwritable(self.path.parent, exc)

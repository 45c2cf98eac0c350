"""What the last build made, and from what: for this build to reuse where the inputs are the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nianbao.write import Writer

T = TypeVar("T")
Entries = dict[object, tuple[object, object]]  # by what an entry is (a page, a row, a JSON piece): (stamp, value)


class Memo:
    """What the last build made (``last``), for this build to reuse where the inputs are the same, and what
    this build made or reused (``now``).

    A build that planned the whole site carries only ``now`` to the next (what it did not use is gone);
    one that planned only some reports' pages carries ``last`` with ``changes()`` over it.
    """

    def __init__(self, last: Entries):
        self.last = last
        self.now: Entries = {}

    def reuse(self, key: object, stamp: object) -> bool:
        hit = self.last.get(key)
        if hit is not None and hit[0] == stamp:
            self.now[key] = hit
            return True
        return False

    def put(self, key: object, entry: tuple[object, object]) -> None:
        """Keep ``entry``, made now: the last build's object if that equals it (so it is no change)."""
        last = self.last.get(key)
        self.now[key] = last if last is not None and last == entry else entry

    def changes(self) -> Entries:
        """The entries this build made anew, or made differently from the last."""
        return {k: v for k, v in self.now.items() if self.last.get(k) is not v}

    def kept(self, writer: Writer, path: str, stamp: object) -> bool:
        """True when ``path`` was made from ``stamp`` by the last build and is still there: the writer keeps it."""
        return self.reuse(("file", path), stamp) and writer.keep(path)

    def made(self, path: str, stamp: object) -> None:
        """Remember that ``path`` was just made from ``stamp``."""
        self.now[("file", path)] = (stamp, None)

    def get(self, key: object, stamp: object, make: Callable[[], T]) -> T:
        """``make()``, unless this build or the last one made it from ``stamp``."""
        made = self.now.get(key)
        if made is not None and made[0] == stamp:
            return made[1]  # type: ignore[return-value]
        if self.reuse(key, stamp):
            return self.last[key][1]  # type: ignore[return-value]
        value = make()
        self.now[key] = (stamp, value)
        return value

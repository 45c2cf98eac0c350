"""What the last build made, and from what: for this build to reuse where the inputs are the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nianbao.write import Writer

T = TypeVar("T")


class Memo:
    """What the last build made, for this build to reuse where the inputs are the same.

    Entries are (stamp, value), keyed by what they are (a page, a row, a JSON piece);
    only the entries this build used are carried to the next.
    """

    def __init__(self, last: dict[object, tuple[object, object]]):
        self.last = last
        self.now: dict[object, tuple[object, object]] = {}

    def reuse(self, key: object, stamp: object) -> bool:
        hit = self.last.get(key)
        if hit is not None and hit[0] == stamp:
            self.now[key] = hit
            return True
        return False

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
